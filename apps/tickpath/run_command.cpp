// `tickpath run`: resolve the config (exit 2 on bad input), plan cores, decide hugepages, start the
// EAL and the port, place the ring, then choose the pipeline's types once (decoder, source,
// pacing, idle, sink) and hand the typed pipeline to drive_run() (run_session.cpp: the control
// loop, summary and reports, compiled once).
//
// Order of destruction matters and is the reverse of declaration below: threads are joined
// before the pipeline dies, the pipeline before the ring memory, the memory (rte_free) and the
// port before the EAL is cleaned up.
#include "apps/tickpath/run_command.hpp"
#include "apps/tickpath/cli_error.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <string_view>

#include <fmt/format.h>

#include "platform/uring/report_dir.hpp"
#include "apps/tickpath/run_session.hpp"
#include "control/metrics/line_skew.hpp"
#include "core/ingest/arbitrated_decoder.hpp"
#include "core/ingest/line_pair_source.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "platform/dpdk/eal.hpp"
#include "platform/dpdk/eal_config.hpp"
#include "platform/dpdk/nic_clock.hpp"
#include "platform/dpdk/rx_source.hpp"
#include "platform/floor/preflight.hpp"
#include "platform/memory/placed_ring.hpp"
#include "platform/run/typed_pipeline.hpp"
#include "platform/topology/core_plan.hpp"
#include "platform/topology/core_request.hpp"
#include "platform/topology/format.hpp"
#include "platform/topology/machine.hpp"
#include "runtime/run_clock.hpp"
#include "runtime/shutdown.hpp"
#include "runtime/start_facts.hpp"

namespace tickpath::app {
namespace {

// Builds the typed pipeline and runs it through drive_run(). Source and decoder live in the
// caller's frames, which outlive the run.
template <core::FrameSource Source, class Decoder, class Idle, core::ObservabilitySink Sink>
int run_pipeline(RunContext& ctx, Source& source, Decoder& decoder) {
  platform::TypedPipeline<Source, Decoder, Idle, Sink> typed(*ctx.config, ctx.nic_clock, ctx.wall_clock);
  ctx.facts.start_tsc = core::tsc_now();
  const platform::AckLogPlacement ack_log{ctx.report_dir, ctx.plan.housekeeping_cpu, ctx.calibration.hz(), ctx.facts.start_tsc};
  if (std::string error = typed.build(*ctx.ring, source, decoder, ack_log); !error.empty()) return fail(1, error);
  return drive_run(ctx, typed);
}

// The sink is chosen here, once (observability.sink): the executor is compiled for it, so no
// event ever asks whether observability is on.
// report.ack_log wraps the chosen sink in the ack log's tee, also once, here.
template <core::FrameSource Source, class Decoder, class Idle>
int with_sink(RunContext& ctx, Source& source, Decoder& decoder) {
  const bool ack_log = ctx.config->report.ack_log;
  const bool metrics = ctx.config->observability.sink == config::SinkKind::metrics;
  if (ack_log && metrics) {
    return run_pipeline<Source, Decoder, Idle, core::AckLogSink<control::MetricsSink>>(ctx, source, decoder);
  }
  if (ack_log) return run_pipeline<Source, Decoder, Idle, core::AckLogSink<core::NullSink>>(ctx, source, decoder);
  if (metrics) return run_pipeline<Source, Decoder, Idle, control::MetricsSink>(ctx, source, decoder);
  return run_pipeline<Source, Decoder, Idle, core::NullSink>(ctx, source, decoder);
}

template <core::FrameSource Source, class Decoder>
int with_idle(RunContext& ctx, Source& source, Decoder& decoder) {
  if (ctx.config->cores.idle == config::HotIdle::spin) return with_sink<Source, Decoder, runtime::SpinIdle>(ctx, source, decoder);
  return with_sink<Source, Decoder, runtime::PauseIdle>(ctx, source, decoder);
}

// Pacing is a source wrapper chosen here, once: the unpaced loop has no pacing branch.
template <core::FrameSource Source, class Decoder>
int with_pacing(RunContext& ctx, Source& source, Decoder& decoder) {
  if (ctx.config->run.rate_pps > 0) {
    core::PacedSource<Source> paced(source, ctx.config->run.rate_pps, ctx.calibration.hz());
    return with_idle(ctx, paced, decoder);
  }
  return with_idle(ctx, source, decoder);
}

template <class Decoder>
int with_source(RunContext& ctx, Decoder& decoder) {
  platform::Port& port = *ctx.port;
  if (port.timestamp_offset() >= 0) {
    platform::DpdkRxSource<true> source(port.id(), 0, port.timestamp_offset(), port.timestamp_flag());
    return with_pacing(ctx, source, decoder);
  }
  platform::DpdkRxSource<false> source(port.id(), 0);
  return with_pacing(ctx, source, decoder);
}

// ingest.lines: both ports' rx queues behind one LinePairSource, and the arbitrating decoder;
// chosen here, once, so the single-line stage is compiled without either. The destination
// filter too: without a multicast group on either line the decoder has none.
template <class Filter>
int with_two_lines(RunContext& ctx, Filter filter) {
  const config::Config& c = *ctx.config;
  ctx.lines = std::make_unique<core::ArbiterCounters>();
  ctx.line_skew = std::make_unique<control::LineSkewHistograms>();
  using Decoder = core::ArbitratedMoldUdp64Decoder<control::LineSkewHistograms, Filter>;
  const std::array<std::uint16_t, 2> udp_ports{config::ingest_line(c, 0).udp_port, config::ingest_line(c, 1).udp_port};
  auto decoder = std::make_unique<Decoder>(udp_ports, c.ingest.lines.window, *ctx.line_skew, *ctx.lines, filter);
  platform::DpdkRxSource<false> a(ctx.port->id(), ctx.port->rx_queue());
  platform::DpdkRxSource<false> b(ctx.port_b->id(), ctx.port_b->rx_queue());
  core::LinePairSource<platform::DpdkRxSource<false>, platform::DpdkRxSource<false>> pair(a, b);
  return with_pacing(ctx, pair, *decoder);
}

int with_decoder(RunContext& ctx) {
  // Just before the sink is built: the map's rate spans preflight (runtime/run_clock.hpp).
  const config::Config& c = *ctx.config;
  if (c.ingest.wall_clock_latency) ctx.wall_clock = runtime::measure_wall_clock(ctx.wall_clock_first, ctx.calibration);
  if (c.ingest.lines.two()) {
    // Each line's group as its port joined it (platform/dpdk/eal_config.hpp): 0 for none.
    const std::array<std::uint32_t, 2> groups{platform::port_settings(c, 0).multicast_group, platform::port_settings(c, 1).multicast_group};
    if (groups[0] == 0 && groups[1] == 0) return with_two_lines(ctx, core::AnyLineDestination{});
    return with_two_lines(ctx, core::LineGroupFilter(groups));
  }
  if (c.ingest.format == config::IngestFormat::moldudp64) {
    core::MoldUdp64Decoder decoder(c.ingest.udp_port);
    return with_source(ctx, decoder);
  }
  core::RawDecoder decoder;
  return with_source(ctx, decoder);
}

}  // namespace

int run_command(const RunOptions& options) {
  // 1. The config: every key validated before anything starts.
  auto resolved = config::load_run_startup(options);
  if (auto* error = std::get_if<std::string>(&resolved)) return fail(2, *error);
  const config::Config& c = std::get<config::Startup>(resolved).config;

  // 2. Machine and core plan.
  const platform::Machine machine = platform::discover_machine();
  auto planned = platform::plan_cores(machine, platform::core_request(c));
  if (auto* error = std::get_if<std::string>(&planned)) return fail(2, *error);
  RunContext ctx;
  ctx.config = &c;
  ctx.http_token = std::get<config::Startup>(resolved).http_token;
  ctx.plan = std::get<platform::CorePlan>(planned);
  fmt::print("{}", platform::format_plan(ctx.plan));

  // 2b. The clock, proven before anything starts: invariant TSC and a bounded calibration.
  auto proven = runtime::prove_tsc();
  if (auto* error = std::get_if<std::string>(&proven)) return fail(2, *error);
  ctx.clock_proof = std::get<core::CalibrationResult>(proven);
  ctx.calibration = ctx.clock_proof.calibration;

  // 3. Hugepages, decided before the EAL (a failed rte_eal_init cannot be retried).
  using PlacedRing = platform::PlacedRing<core::Event>;
  const std::uint64_t ring_bytes = core::BroadcastRing<core::Event>::storage_bytes(c.ring.capacity);
  const auto decision = platform::decide_hugepages(c, platform::probe_hugepages(), PlacedRing::bytes(c.ring.capacity));
  if (!decision.error.empty()) return fail(1, decision.error);
  if (!decision.warning.empty()) fmt::print(stderr, "tickpath: {}\n", decision.warning);

  // 4. Report folder, before the EAL: an unwritable folder is found before anything runs. It was
  // named by the operator (--report-dir, --run-folder, report.dir): bad input, exit 2.
  const platform::ReportDir folder = options.run_folder ? platform::make_exact_report_dir(*options.run_folder) : platform::make_report_dir(c.report.dir);
  if (!folder.error.empty()) return fail(2, folder.error);
  ctx.report_dir = folder.path;

  // 5. EAL, port, ring memory.
  std::fflush(stdout);
  const platform::EalSettings eal_config = platform::eal_settings(c, ctx.plan.housekeeping_cpu, options.eal_extra);
  auto eal_started = platform::Eal::start(platform::build_eal_args(eal_config, decision), {ctx.plan.housekeeping_cpu});
  if (auto* error = std::get_if<std::string>(&eal_started)) return fail(1, *error);
  std::unique_ptr<platform::Eal> eal = std::move(std::get<std::unique_ptr<platform::Eal>>(eal_started));
  // After the EAL: its init must not replace our handlers.
  runtime::ShutdownSignals::install();

  const platform::PortSettings port_a = platform::port_settings(c, 0);
  const platform::PortSettings port_b_settings = platform::port_settings(c, 1);
  auto opened = platform::Port::open(port_a);
  if (auto* error = std::get_if<std::string>(&opened)) return fail(1, *error);
  std::unique_ptr<platform::Port> port = std::move(std::get<std::unique_ptr<platform::Port>>(opened));
  ctx.port = port.get();
  std::unique_ptr<platform::Port> port_b;
  if (c.ingest.lines.two()) {
    auto opened_b = platform::Port::open(port_b_settings);
    if (auto* error = std::get_if<std::string>(&opened_b)) return fail(1, "line B: " + *error);
    port_b = std::move(std::get<std::unique_ptr<platform::Port>>(opened_b));
    ctx.port_b = port_b.get();
    for (const platform::Port* p : {port.get(), port_b.get()}) {
      if (!p->multicast_note().empty()) fmt::print("line {}: multicast {}\n", p == port.get() ? 'A' : 'B', p->multicast_note());
    }
  }

  const int node = port->numa_node();
  auto placed = PlacedRing::place(c.ring.capacity, node, eal->has_hugepages());
  if (auto* error = std::get_if<std::string>(&placed)) return fail(1, *error);
  std::unique_ptr<PlacedRing> ring = std::move(std::get<std::unique_ptr<PlacedRing>>(placed));
  const platform::RingMemory& memory = ring->memory();
  if (!memory.note().empty()) fmt::print(stderr, "tickpath: warning: {}\n", memory.note());
  ctx.ring = &ring->ring();

  // 6. Facts known before the run.
  ctx.nic_clock = platform::measure_nic_clock(*port);
  if (c.ingest.wall_clock_latency) ctx.wall_clock_first = runtime::read_wall_clock_pair();
  const platform::NicTimestampInfo& ts = port->timestamp_info();
  const auto port_facts = [](const platform::Port& p, const platform::PortSettings& s) {
    return runtime::PortFacts{s.device, p.driver(), p.link_up(), p.rx_queue(), p.multicast_note()};
  };
  const runtime::StartFacts facts{
      .hugepages = eal->has_hugepages(), .ring_pages = platform::to_string(memory.kind()), .ring_bytes = ring_bytes,
      .clock = ctx.clock_proof, .numa_node = node, .port = port_facts(*port, port_a),
      .hw_timestamps = port->timestamp_offset() >= 0,
      .port_b = port_b ? std::optional(port_facts(*port_b, port_b_settings)) : std::nullopt,
      .ingest_cpu = ctx.plan.ingest_cpu, .execution_cpu = ctx.plan.execution_cpu,
      .housekeeping_cpu = ctx.plan.housekeeping_cpu, .hot_shared = ctx.plan.hot_shared,
      .isolated = machine.isolated, .nohz_full = machine.nohz_full, .eal_args = eal->args(),
      .nic_timestamps = {ts.requested, ts.offered, ts.enabled, ts.clock_readable, ctx.nic_clock.valid, ts.note}};
  ctx.facts.config = config::to_json(c);
  ctx.facts.platform = runtime::to_json(facts);

  // 7. The floor on the hot cpus, before warmup (the pipeline's threads do not exist yet).
  const platform::PreflightRequest preflight{ctx.plan.ingest_cpu, ctx.plan.execution_cpu, c.preflight.jitter_s,
                                             c.preflight.c2c_samples};
  ctx.facts.platform.update(
      platform::measure_preflight(preflight, ctx.calibration, [](std::string_view line) { fmt::print("{}\n", line); }));
  std::fflush(stdout);

  const int rc = with_decoder(ctx);
  runtime::ShutdownSignals::uninstall();
  return rc;
}

}  // namespace tickpath::app

// drive_run(): the run's platform objects (ports, EAL, HTTP, telemetry) handed to
// platform::run_session() as the functions and transports it reads them through.
#include "apps/tickpath/run_session.hpp"

#include <fmt/format.h>

#include "apps/tickpath/build_info.hpp"
#include "apps/tickpath/cli_error.hpp"
#include "platform/dpdk/eal.hpp"
#include "platform/dpdk/nic_clock.hpp"
#include "platform/dpdk/telemetry.hpp"
#include "platform/http/http_transport.hpp"
#include "platform/run/run_session.hpp"
#include "platform/topology/thread.hpp"

namespace tickpath::app {
namespace {

control::NicCounters nic_counters(const platform::Port& port) {
  const platform::PortStats st = port.stats();
  return control::NicCounters{st.ipackets, st.imissed, st.ierrors, st.rx_nombuf};
}

// Pins and names a pipeline thread; hot threads also register with the EAL.
std::string pin_and_name(int cpu, const char* name, runtime::ThreadRole role) {
  platform::name_current_thread(name);
  if (auto error = platform::pin_current_thread(cpu)) return fmt::format("{}: {}", name, *error);
  // Hot threads receive and free mbufs: with an lcore id they get the mempool's per-lcore cache.
  if (role == runtime::ThreadRole::hot) {
    if (std::string error = platform::Eal::register_thread(); !error.empty()) return fmt::format("{}: {}", name, error);
  }
  return {};
}

}  // namespace

int drive_run(RunContext& ctx, control::RunningPipeline& pipeline) {
  const config::Config& c = *ctx.config;
  platform::RunSession s;
  s.config = &c;
  s.report_dir = ctx.report_dir;
  s.where = {ctx.plan.ingest_cpu, ctx.plan.execution_cpu, ctx.plan.housekeeping_cpu};
  s.hot_shared = ctx.plan.hot_shared;
  s.pin = pin_and_name;
  s.observed.calibration = ctx.calibration;
  s.observed.analytics_enabled = c.analytics.enabled;
  s.observed.lines = ctx.lines.get();
  s.observed.line_skew = ctx.line_skew.get();
  const platform::Port* port = ctx.port;
  s.observed.nic = [port] { return nic_counters(*port); };
  if (const platform::Port* b = ctx.port_b) s.observed.nic_b = [b] { return nic_counters(*b); };
  s.link_up = [port] { return port->link_up(); };
  // The operator interfaces: DPDK telemetry, then HTTP (started in that order, stopped in reverse).
  platform::HttpOptions http;
  http.cpu = ctx.plan.housekeeping_cpu;
  http.bearer_token = ctx.http_token;
  http.limits.idle_timeout_s = c.http.idle_timeout_s;
  s.transports.push_back(std::make_unique<platform::TelemetryTransport>());
  s.transports.push_back(std::make_unique<platform::HttpTransport>(c.http.listen, std::move(http)));
  s.clock_proof = ctx.clock_proof;
  s.wall_clock = ctx.wall_clock;
  s.nic_clock_drift = [&ctx] { return platform::nic_clock_drift(*ctx.port, ctx.nic_clock, ctx.calibration); };
  s.facts = ctx.facts;
  s.build = {build_version(), build_commit()};

  const platform::SessionEnd end = platform::run_session(s, pipeline);
  if (!end.error.empty()) return fail(1, end.error);
  if (end.report_errors.empty()) return 0;
  print_report_errors(end.report_errors);
  fmt::print(stderr, "tickpath: the run completed; its report in {} is incomplete (exit {})\n", ctx.report_dir,
             kExitReportIncomplete);
  return kExitReportIncomplete;
}

}  // namespace tickpath::app

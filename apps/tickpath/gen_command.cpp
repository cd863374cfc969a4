// `tickpath gen`: validate everything, then either write a capture (--pcap, no EAL) or start the
// EAL and a port and transmit at the load shape's times, stamping each message's test header
// right before rte_eth_tx_burst. Once a second: a live line. At the end: what was injected, on
// stdout and (--report) as JSON.
#include "apps/tickpath/gen_command.hpp"
#include "apps/tickpath/cli_error.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/number_format.hpp"
#include "core/time/calibration.hpp"
#include "core/time/tsc.hpp"
#include "platform/dpdk/eal.hpp"
#include "platform/dpdk/eal_args.hpp"
#include "platform/dpdk/feed_sender.hpp"
#include "platform/dpdk/hugepages.hpp"
#include "platform/dpdk/port.hpp"
#include "platform/dpdk/tx_queue.hpp"
#include "report/hdr_histogram.hpp"
#include "runtime/shutdown.hpp"
#include "wire/feed_pcap.hpp"

namespace tickpath::app {
namespace {

int fail(int code, const std::string& message) { return app::fail(code, message, "tickpath gen"); }

// Empty when the options are usable; else the first thing wrong, naming the option.
std::string validate(GenOptions& o) {
  const int targets = (o.pcap.empty() ? 0 : 1) + (o.vdev.empty() ? 0 : 1) + (o.pci.empty() ? 0 : 1);
  if (targets != 1) return "give exactly one of --pcap FILE, --vdev SPEC, --pci ADDR";
  if (!o.duration_s && !o.frames) return "give --duration SECONDS or --frames N";
  if (o.duration_s && !(*o.duration_s > 0)) return fmt::format("--duration must be > 0 (got {})", *o.duration_s);
  if (o.frames && *o.frames == 0) return "--frames must be >= 1";
  auto shape = wire::parse_shape(o.shape);
  if (!shape) return fmt::format("--shape '{}' is not one of constant, burst, ramp, poisson", o.shape);
  o.load.shape = *shape;
  o.load.burst_interval_ns = o.burst_interval_us * 1e3;
  o.load.ramp_ns = o.duration_s ? *o.duration_s * 1e9 : 1e9;
  if (std::string e = wire::validate(o.load); !e.empty()) return e;
  if (o.malformed_ratio < 0 || o.malformed_ratio > 0.5) {
    return fmt::format("--malformed-ratio must be in 0..0.5 (got {})", o.malformed_ratio);
  }
  o.feed.malformed_every = o.malformed_ratio > 0 ? static_cast<std::uint64_t>(std::llround(1.0 / o.malformed_ratio)) : 0;
  o.feed.frame.session = o.session;
  if (!o.dst_mac.empty() && !wire::parse_mac(o.dst_mac, o.feed.frame.dst_mac)) return fmt::format("--dst-mac '{}' is not a MAC address (aa:bb:cc:dd:ee:ff)", o.dst_mac);
  if (!o.src_mac.empty() && !wire::parse_mac(o.src_mac, o.feed.frame.src_mac)) return fmt::format("--src-mac '{}' is not a MAC address (aa:bb:cc:dd:ee:ff)", o.src_mac);
  if (!o.dst_ip.empty() && !wire::parse_ipv4(o.dst_ip, o.feed.frame.dst_ip)) return fmt::format("--dst-ip '{}' is not an IPv4 address", o.dst_ip);
  if (!o.src_ip.empty() && !wire::parse_ipv4(o.src_ip, o.feed.frame.src_ip)) return fmt::format("--src-ip '{}' is not an IPv4 address", o.src_ip);
  if (std::string e = wire::validate(o.feed); !e.empty()) return e;
  if (!platform::parse_hugepage_policy(o.hugepages)) return fmt::format("--hugepages '{}' is not one of auto, required, off", o.hugepages);
  if (o.stats_interval_s <= 0) return "--stats-interval must be > 0";
  if (o.lines != 1 && o.lines != 2) return fmt::format("--lines must be 1 or 2 (got {})", o.lines);
  if (o.lines == 2) {
    if (o.pcap.empty() && o.vdev_b.empty() == o.pci_b.empty()) {
      return "--lines 2 sends on two ports: give --vdev-b SPEC or --pci-b ADDR for line B (or --pcap FILE)";
    }
    if (!o.pcap.empty() && (!o.vdev_b.empty() || !o.pci_b.empty())) return "--vdev-b/--pci-b with --pcap: the capture is FILE-A and FILE-B";
    if (std::string e = wire::validate(o.line_a, 'a'); !e.empty()) return e;
    if (std::string e = wire::validate(o.line_b, 'b'); !e.empty()) return e;
    if (o.feed.duplicate_every != 0) return "--duplicate-every with --lines 2: use per-line faults (a feed duplicate is on both lines)";
  } else if (!o.vdev_b.empty() || !o.pci_b.empty()) {
    return "--vdev-b/--pci-b need --lines 2";
  } else if (o.line_a.drop_every != 0 || o.line_b.drop_every != 0 || o.line_a.reorder_every != 0 ||
             o.line_b.reorder_every != 0 || o.skew_us != 0) {
    return "--drop-every-a/b, --reorder-every-a/b and --skew-us need --lines 2";
  }
  return {};
}

nlohmann::json spec_json(const GenOptions& o) {
  return {{"target", !o.pcap.empty() ? "pcap:" + o.pcap : !o.vdev.empty() ? "vdev:" + o.vdev : "pci:" + o.pci},
          {"shape", std::string(wire::to_string(o.load.shape))},
          {"rate", o.load.rate},
          {"ramp_to", o.load.ramp_to},
          {"burst_size", o.load.burst_size},
          {"burst_interval_us", o.burst_interval_us},
          {"duration_s", o.duration_s ? nlohmann::json(*o.duration_s) : nlohmann::json(nullptr)},
          {"frames", o.frames ? nlohmann::json(*o.frames) : nlohmann::json(nullptr)},
          {"session", o.session},
          {"first_seq", o.feed.frame.first_seq},
          {"udp_port", o.feed.frame.udp_dst_port},
          {"max_messages", o.feed.max_messages},
          {"message_size", o.feed.message_size},
          {"gap_every", o.feed.gap_every},
          {"gap_size", o.feed.gap_size},
          {"duplicate_every", o.feed.duplicate_every},
          {"reorder_every", o.feed.reorder_every},
          {"malformed_every", o.feed.malformed_every},
          {"heartbeat_every", o.feed.heartbeat_every},
          {"seed", o.feed.seed}};
}

std::string format_injected(const wire::Injected& in) {
  std::string out = fmt::format(
      "injected: frames {}  data_frames {}  messages {}  gaps {} ({} sequence numbers)  duplicates {}  "
      "reorders {}  heartbeats {}  end_of_session {}  malformed {}  foreign {}\n",
      in.frames, in.data_frames, in.messages, in.gaps, in.gap_sequences, in.duplicates, in.reorders,
      in.heartbeats, in.end_of_session, in.malformed(), in.foreign());
  std::string drops;
  for (std::size_t i = 1; i < core::kDropReasonCount; ++i) {
    if (in.broken[i] != 0) drops += fmt::format(" {}={}", core::to_string(static_cast<core::DropReason>(i)), in.broken[i]);
  }
  if (!drops.empty()) out += "broken frames by reason:" + drops + "\n";
  return out;
}

std::string write_report(const std::string& path, const nlohmann::json& j) {
  if (path.empty()) return {};
  std::ofstream out(path);
  out << j.dump(2) << '\n';
  out.close();
  if (!out) return fmt::format("--report {}: could not write: {}", path, std::strerror(errno));
  return {};
}

// What gen sends, from the validated options: the same plan for a capture and for ports.
wire::FeedPlan feed_plan(const GenOptions& o) {
  return {o.feed, o.load, o.duration_s, o.frames, {o.line_a, o.line_b}, o.skew_us};
}

// --pcap FILE (one line) or FILE-A and FILE-B (--lines 2): what each line dropped and reordered
// is reported beside the feed's tally.
int write_pcap(const GenOptions& o) {
  wire::PcapFeedPlan plan{feed_plan(o), o.pcap, o.lines == 2};
  runtime::ShutdownSignals::install();
  auto written = wire::write_feed_pcap(plan, runtime::ShutdownSignals::flag());
  runtime::ShutdownSignals::uninstall();
  if (auto* e = std::get_if<std::string>(&written)) return fail(1, *e);
  const wire::PcapFeedResult& r = std::get<wire::PcapFeedResult>(written);
  nlohmann::json report{{"spec", spec_json(o)}, {"injected", r.injected.to_json()}};
  if (!plan.two_lines) {
    fmt::print("gen: wrote {} frames to {} ({:.3f}s of {} load at {} frames/s planned)\n", r.injected.frames, o.pcap,
               r.span_s, wire::to_string(o.load.shape), o.load.rate);
    fmt::print("{}", format_injected(r.injected));
    report["tx"] = {{"sent", r.injected.frames}, {"full_retries", 0}, {"no_mbuf", 0}};
  } else {
    fmt::print("gen: wrote {} ({} frames) and {} ({} frames), B {:+.1f}us after A\n", r.files[0], r.lines[0].frames,
               r.files[1], r.lines[1].frames, o.skew_us);
    fmt::print("{}", format_injected(r.injected));
    for (std::size_t line = 0; line < 2; ++line) {
      const wire::LineInjected& li = r.lines[line];
      fmt::print("line {}: dropped {} frames ({} messages)  reordered {}\n", "AB"[line], li.dropped_frames,
                 li.dropped_messages, li.reordered);
    }
    report["lines"] = {{"A", r.lines[0].to_json()}, {"B", r.lines[1].to_json()}, {"skew_us", o.skew_us},
                       {"files", r.files}};
  }
  if (std::string e = write_report(o.report, report); !e.empty()) return fail(1, e);
  return 0;
}

// Opens one port of the run's EAL for sending.
std::variant<std::unique_ptr<platform::Port>, std::string> open_tx_port(const std::string& vdev, const std::string& pci,
                                                                       const GenOptions& o) {
  platform::PortSettings ps;
  ps.device = !vdev.empty() ? vdev.substr(0, vdev.find(',')) : pci;
  ps.mbufs = o.mbufs;
  ps.tx_descriptors = o.tx_descriptors;
  ps.rx_descriptors = 64;
  ps.promiscuous = false;
  return platform::Port::open(ps);
}

nlohmann::json lateness_json(const report::HdrHistogram& lateness) {
  return {{"count", lateness.total_count()},
          {"p50", lateness.value_at_percentile(50)},
          {"p99", lateness.value_at_percentile(99)},
          {"p99_9", lateness.value_at_percentile(99.9)},
          {"max", lateness.max()},
          {"note", "how far behind its schedule gen sent each frame; frames carry their due time, so this "
                   "is in the receiver's wire_to_ack/wall_to_ack, and reported here on its own"}};
}

int transmit(const GenOptions& o) {
  const bool two = o.lines == 2;
  const auto policy = *platform::parse_hugepage_policy(o.hugepages);
  const auto decision = platform::decide_hugepages(policy, platform::probe_hugepages(),
                                                   platform::eal_memory_needed(0, o.mbufs * (two ? 2u : 1u)), 0);
  if (!decision.error.empty()) return fail(1, decision.error);
  if (!decision.warning.empty()) fmt::print(stderr, "tickpath gen: {}\n", decision.warning);
  platform::EalSettings eal_settings;
  eal_settings.file_prefix = o.file_prefix;
  eal_settings.extra_args = o.eal_extra;
  eal_settings.main_cpu = o.cpu;
  eal_settings.vdev = o.vdev;
  eal_settings.pci = o.pci;
  eal_settings.vdev_b = o.vdev_b;
  eal_settings.pci_b = o.pci_b;
  std::fflush(stdout);
  // No housekeeping cpu here: the EAL keeps its control threads off the tx cpu by itself.
  auto started = platform::Eal::start(platform::build_eal_args(eal_settings, decision), {});
  if (auto* e = std::get_if<std::string>(&started)) return fail(1, *e);
  auto eal = std::move(std::get<std::unique_ptr<platform::Eal>>(started));
  runtime::ShutdownSignals::install();

  std::vector<std::unique_ptr<platform::Port>> ports;
  for (int line = 0; line < o.lines; ++line) {
    const std::string& vdev = line == 0 ? o.vdev : o.vdev_b;
    const std::string& pci = line == 0 ? o.pci : o.pci_b;
    auto opened = open_tx_port(vdev, pci, o);
    if (auto* e = std::get_if<std::string>(&opened)) return fail(1, *e);
    ports.push_back(std::move(std::get<std::unique_ptr<platform::Port>>(opened)));
    fmt::print("gen: {}port {} ({}), {} load at {} frames/s{}\n", two ? fmt::format("line {} ", "AB"[line]) : "",
               !vdev.empty() ? vdev.substr(0, vdev.find(',')) : pci, ports.back()->driver(), wire::to_string(o.load.shape), o.load.rate,
               two && line == 1 ? fmt::format(", B {:+.1f}us after A", o.skew_us) : "");
  }
  std::vector<std::unique_ptr<platform::TxQueue>> queues;
  std::vector<platform::TxQueue*> queue_ptrs;
  for (auto& port : ports) {
    queues.push_back(std::make_unique<platform::TxQueue>(port->id(), 0, port->pool()));
    queue_ptrs.push_back(queues.back().get());
  }

  const platform::FeedSendPlan plan{feed_plan(o), o.stats_interval_s};
  const core::TscCalibration cal = core::TscCalibration::measure(std::chrono::milliseconds(100));
  std::uint64_t last_frames = 0;
  auto live_line = [&](double t_s, const wire::Injected& so_far) {
    std::uint64_t oerrors = 0, retries = 0;
    for (auto& port : ports) oerrors += port->stats().oerrors;
    for (auto* q : queue_ptrs) retries += q->stats().full_retries;
    fmt::print("t={:.1f}s sent {}  frames/s {}  messages {}  tx_full_retries {}  oerrors {}\n", t_s, so_far.frames,
               report::format_rate(static_cast<double>(so_far.frames - last_frames) / o.stats_interval_s), so_far.messages,
               retries, oerrors);
    std::fflush(stdout);
    last_frames = so_far.frames;
  };
  platform::FeedSendResult sent = platform::send_feed(plan, queue_ptrs, cal, runtime::ShutdownSignals::flag(), live_line);
  // Let the PMDs drain their tx rings before the ports stop.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  const wire::Injected& in = sent.injected;
  nlohmann::json tx_json = nlohmann::json::array();
  for (std::size_t line = 0; line < ports.size(); ++line) {
    const platform::PortStats st = ports[line]->stats();
    const platform::TxStats& t = sent.tx[line];
    fmt::print("gen: {}sent {} frames in {:.2f}s ({} frames/s); port opackets {} oerrors {}; tx_full_retries {}  no_mbuf waits {}\n",
               two ? fmt::format("line {} ", "AB"[line]) : "", t.sent, sent.elapsed_s,
               report::format_rate(sent.elapsed_s > 0 ? static_cast<double>(t.sent) / sent.elapsed_s : 0.0), st.opackets,
               st.oerrors, t.full_retries, t.no_mbuf);
    tx_json.push_back({{"sent", t.sent},
                       {"full_retries", t.full_retries},
                       {"no_mbuf", t.no_mbuf},
                       {"port_opackets", st.opackets},
                       {"port_oerrors", st.oerrors},
                       {"stopped_by_signal", runtime::ShutdownSignals::signal_number() != 0}});
  }
  fmt::print("{}", format_injected(in));
  for (std::size_t line = 0; line < sent.lines.size(); ++line) {
    const wire::LineInjected& li = sent.lines[line];
    fmt::print("line {}: dropped {} frames ({} messages)  reordered {}\n", "AB"[line], li.dropped_frames,
               li.dropped_messages, li.reordered);
  }
  if (two) {
    const control::SignedSkew& k = sent.sent_skew;
    fmt::print("gen: skew as sent, B-A over {} frames both lines sent: p50 {:+.0f} ns  p99 {:+.0f} ns  min {:+.0f} ns  max {:+.0f} ns (asked {:+.1f}us)\n",
               k.count, k.p50_ns, k.p99_ns, k.min_ns, k.max_ns, o.skew_us);
  }
  const report::HdrHistogram& lateness = sent.lateness;
  fmt::print("gen: lateness behind schedule at send (frames stamped with their due time): p50 {} ns  p99 {} ns  max {} ns\n",
             lateness.value_at_percentile(50), lateness.value_at_percentile(99), lateness.max());
  nlohmann::json report{{"spec", spec_json(o)},
                        {"injected", in.to_json()},
                        {"duration_s", sent.elapsed_s},
                        {"lateness_ns", lateness_json(lateness)},
                        {"tx", tx_json[0]}};
  if (two) {
    const control::SignedSkew& k = sent.sent_skew;
    report["lines"] = {{"A", sent.lines[0].to_json()}, {"B", sent.lines[1].to_json()}, {"skew_us", o.skew_us},
                       {"sent_skew_ns", {{"count", k.count}, {"p50", k.p50_ns}, {"p99", k.p99_ns}, {"min", k.min_ns}, {"max", k.max_ns}}},
                       {"tx", {{"A", tx_json[0]}, {"B", tx_json[1]}}}};
  }
  if (std::string e = write_report(o.report, report); !e.empty()) return fail(1, e);
  queues.clear();
  ports.clear();
  runtime::ShutdownSignals::uninstall();
  return 0;
}

}  // namespace

int gen_command(GenOptions options) {
  if (std::string e = validate(options); !e.empty()) return fail(2, e);
  if (!options.pcap.empty()) return write_pcap(options);
  return transmit(options);
}

}  // namespace tickpath::app

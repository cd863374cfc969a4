// `tickpath gen`: validate everything, then either write a capture (--pcap, no EAL) or start the
// EAL and a port per line and transmit at the load shape's times (platform/dpdk/feed_sender).
// Once a second: a live line. At the end: what was injected, on stdout and (--report) as JSON.
#include "apps/tickpath/gen_command.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "apps/tickpath/cli_error.hpp"
#include "config/config.hpp"
#include "core/time/calibration.hpp"
#include "platform/dpdk/eal.hpp"
#include "platform/dpdk/feed_ports.hpp"
#include "platform/dpdk/feed_sender.hpp"
#include "platform/uring/text_file.hpp"
#include "runtime/shutdown.hpp"
#include "wire/feed_pcap.hpp"

namespace tickpath::app {
namespace {

int fail(int code, const std::string& message) { return app::fail(code, message, "tickpath gen"); }

std::string write_report(const std::string& path, const nlohmann::json& j) {
  const std::string e = path.empty() ? "" : platform::write_text_file(path, j.dump(2) + '\n', false);
  return e.empty() ? e : "--report " + e;
}

// --pcap FILE (one line) or FILE-A and FILE-B (--lines 2).
int write_pcap(const GenOptions& o) {
  runtime::ShutdownSignals::install();
  auto written = wire::write_feed_pcap({wire::feed_plan(o), o.pcap, o.lines == 2}, runtime::ShutdownSignals::flag());
  runtime::ShutdownSignals::uninstall();
  if (auto* e = std::get_if<std::string>(&written)) return fail(1, *e);
  const wire::PcapFeedResult& r = std::get<wire::PcapFeedResult>(written);
  fmt::print("{}", wire::format_capture(o, r));
  if (std::string e = write_report(o.report, wire::capture_report(o, r)); !e.empty()) return fail(1, e);
  return 0;
}

// gen's EAL: the hugepage decision for its tx pools, then the EAL on --cpu with every port
// the lines send on. No housekeeping cpu here: the EAL keeps its control threads off the tx cpu.
std::variant<std::unique_ptr<platform::Eal>, std::string> start_gen_eal(const GenOptions& o) {
  const auto decision = platform::decide_hugepages(o, o, platform::probe_hugepages());
  if (!decision.error.empty()) return decision.error;
  if (!decision.warning.empty()) fmt::print(stderr, "tickpath gen: {}\n", decision.warning);
  std::fflush(stdout);
  return platform::Eal::start(platform::build_eal_args(platform::eal_settings(o, o), decision), {});
}

int transmit(const GenOptions& o) {
  const bool two = o.lines == 2;
  auto started = start_gen_eal(o);
  if (auto* e = std::get_if<std::string>(&started)) return fail(1, *e);
  auto eal = std::move(std::get<std::unique_ptr<platform::Eal>>(started));
  runtime::ShutdownSignals::install();

  platform::FeedPorts ports;
  for (int line = 0; line < o.lines; ++line) {
    const std::string& device = platform::transmitter_device(o, line);
    if (std::string e = ports.open(device, {o.mbufs, o.tx_descriptors}); !e.empty()) return fail(1, e);
    fmt::print("gen: {}port {} ({}), {} load at {} frames/s{}\n", two ? fmt::format("line {} ", "AB"[line]) : "",
               config::device_name(device, ""), ports.port(line).driver(), wire::to_string(o.load.shape), o.load.rate,
               two && line == 1 ? fmt::format(", B {:+.1f}us after A", o.skew_us) : "");
  }

  const core::TscCalibration cal = core::TscCalibration::measure(std::chrono::milliseconds(100));
  const platform::FeedSendResult sent = platform::send_feed(
      {wire::feed_plan(o), o.stats_interval_s}, ports.queues(), cal, runtime::ShutdownSignals::flag(),
      [&](double t_s, const wire::Injected& so_far) {
        fmt::print("{}", ports.live_line(t_s, so_far, o.stats_interval_s));
        std::fflush(stdout);
      });
  platform::FeedPorts::settle();

  std::vector<platform::PortStats> port_stats;
  for (std::size_t line = 0; line < ports.size(); ++line) port_stats.push_back(ports.port(line).stats());
  fmt::print("{}", platform::format_feed_sent(sent, port_stats, o.skew_us));
  const nlohmann::json report = platform::feed_sent_report(wire::spec_json(o), sent, port_stats, o.skew_us,
                                                           runtime::ShutdownSignals::signal_number() != 0);
  if (std::string e = write_report(o.report, report); !e.empty()) return fail(1, e);
  runtime::ShutdownSignals::uninstall();
  return 0;
}

}  // namespace

int gen_command(GenOptions options) {
  if (std::string e = wire::prepare_feed_request(options); !e.empty()) return fail(2, e);
  if (std::string e = platform::check_transmitter_eal(options); !e.empty()) return fail(2, e);
  if (!options.pcap.empty()) return write_pcap(options);
  return transmit(options);
}

}  // namespace tickpath::app

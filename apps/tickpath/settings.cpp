#include "apps/tickpath/settings.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "config/config.hpp"
#include "config/http_access.hpp"
#include "config/multicast_group.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::app {

std::variant<AppSettings, std::string> resolve_settings(const std::string& config_path,
                                                        const std::vector<std::string>& overrides,
                                                        const RunOptions* cli) {
  // The command line's own flags are overrides too, applied last, so the effective config in
  // the summary is exactly what ran.
  std::vector<std::string> all = overrides;
  if (cli != nullptr) {
    if (cli->duration_s) all.push_back(fmt::format("run.duration_s={}", *cli->duration_s));
    if (cli->events) all.push_back(fmt::format("run.events={}", *cli->events));
    if (cli->rate_pps) all.push_back(fmt::format("run.rate_pps={}", *cli->rate_pps));
    if (cli->report_dir) all.push_back(fmt::format("report.dir={}", nlohmann::json(*cli->report_dir).dump()));
    // --run-folder puts the run's files exactly there (a --repeat or sweep child): the folder it
    // sits in is the report.dir that really held them, so the recorded config says that.
    if (cli->run_folder) {
      std::filesystem::path folder = std::filesystem::absolute(*cli->run_folder).lexically_normal();
      if (folder.filename().empty()) folder = folder.parent_path();  // "…/run-1/"
      const std::string parent = folder.parent_path().string();
      all.push_back(fmt::format("report.dir={}", nlohmann::json(parent).dump()));
    }
  }
  config::LoadResult loaded = config::load_config(config_path, all);
  if (auto* error = std::get_if<config::ConfigError>(&loaded)) return "config: " + error->message;
  const config::Config& c = std::get<config::Config>(loaded);

  AppSettings s;
  s.file_prefix = c.eal.file_prefix;
  s.eal_args = c.eal.args;
  s.hugepages = *platform::parse_hugepage_policy(c.eal.hugepages);  // validated by the schema
  s.memory_mb = static_cast<std::uint64_t>(c.eal.memory_mb);
  s.vdev = c.port.vdev;
  s.pci = c.port.pci;
  // The ethdev name of a vdev is its first field: "net_pcap0,rx_pcap=x.pcap" -> "net_pcap0".
  s.port.device = !s.pci.empty() ? s.pci : s.vdev.substr(0, s.vdev.find(','));
  s.port.rx_descriptors = static_cast<std::uint16_t>(c.port.rx_descriptors);
  s.port.mbufs = static_cast<std::uint32_t>(c.port.mbufs);
  s.port.mbuf_cache = static_cast<std::uint32_t>(c.port.mbuf_cache);
  s.port.promiscuous = c.port.promiscuous;
  s.port.hw_timestamps = c.port.hw_timestamps;
  s.format = c.ingest.format == "moldudp64" ? Format::moldudp64 : Format::raw;
  s.udp_port = static_cast<std::uint16_t>(c.ingest.udp_port);
  s.burst = static_cast<std::size_t>(c.ingest.burst);
  if (c.ingest.lines.two()) {
    const auto& l = c.ingest.lines;
    const auto name = [](const std::string& pci, const std::string& vdev) { return !pci.empty() ? pci : vdev.substr(0, vdev.find(',')); };
    s.two_lines = true;
    s.vdev = l.a.vdev;
    s.pci = l.a.pci;
    s.port.device = name(s.pci, s.vdev);
    s.line_b_vdev = l.b.vdev;
    s.line_b_pci = l.b.pci;
    s.line_b_port = s.port;
    s.line_b_port.device = name(s.line_b_pci, s.line_b_vdev);
    s.line_udp_ports = {static_cast<std::uint16_t>(l.a.udp_port != 0 ? l.a.udp_port : c.ingest.udp_port),
                        static_cast<std::uint16_t>(l.b.udp_port != 0 ? l.b.udp_port : c.ingest.udp_port)};
    s.arbiter_window = static_cast<std::uint64_t>(l.window);
    // Validated by the schema (multicast_key): "" or a group in 224.0.0.0/4.
    const auto group = [](const std::string& text) { return text.empty() ? 0u : *config::parse_multicast_group(text); };
    s.line_groups = {group(l.a.multicast), group(l.b.multicast)};
    s.port.rx_queue = static_cast<std::uint16_t>(l.a.rx_queue);
    s.port.multicast_group = s.line_groups[0];
    s.port.key = "ingest.lines.a";
    s.line_b_port.rx_queue = static_cast<std::uint16_t>(l.b.rx_queue);
    s.line_b_port.multicast_group = s.line_groups[1];
    s.line_b_port.key = "ingest.lines.b";
  }
  s.wall_clock_latency = c.ingest.wall_clock_latency;
  s.ring_capacity = static_cast<std::size_t>(c.ring.capacity);
  s.ingest_cpu = static_cast<int>(c.cores.ingest);
  s.execution_cpu = static_cast<int>(c.cores.execution);
  s.housekeeping_cpu = static_cast<int>(c.cores.housekeeping);
  s.require_isolated = c.cores.require_isolated;
  s.idle = c.cores.idle == "spin" ? HotIdleKind::spin : HotIdleKind::pause;
  s.housekeeping_idle = c.cores.housekeeping_idle == "spin"    ? HousekeepingIdleKind::spin
                        : c.cores.housekeeping_idle == "pause" ? HousekeepingIdleKind::pause
                                                               : HousekeepingIdleKind::backoff;
  s.preflight_jitter_s = c.preflight.jitter_s;
  s.preflight_c2c_samples = static_cast<std::uint64_t>(c.preflight.c2c_samples);
  s.warmup_steps = static_cast<std::uint64_t>(c.warmup.steps);
  s.duration_s = c.run.duration_s;
  s.events = static_cast<std::uint64_t>(c.run.events);
  s.rate_pps = c.run.rate_pps;
  s.stats_interval_ms = static_cast<int>(c.run.stats_interval_ms);
  s.analytics = c.analytics.enabled;
  s.metrics_sink = c.observability.sink == "metrics";
  for (const auto& w : c.failure.schedule) {
    s.failure_schedule.push_back({*control::parse_scenario(w.scenario), static_cast<std::uint64_t>(w.at_event),
                                  static_cast<std::uint64_t>(w.for_events)});
  }
  s.automation = c.automation.enabled;
  s.http_listen = c.http.listen;
  s.http_idle_timeout_s = static_cast<unsigned>(c.http.idle_timeout_s);
  if (!c.http.token_file.empty()) {
    auto token = config::read_bearer_token(c.http.token_file);
    if (auto* error = std::get_if<std::string>(&token)) return "config: " + *error;
    s.http_token = std::move(std::get<config::BearerToken>(token).value);
  }
  s.stale_after_s = static_cast<double>(c.health.stale_after_ms) / 1000.0;
  s.max_lag_events = static_cast<std::uint64_t>(c.health.max_lag_events);
  s.max_line_skew_ns = c.health.max_line_skew_us * 1e3;
  s.report_dir = c.report.dir;
  s.ack_log = c.report.ack_log;
  s.ack_queue = static_cast<std::size_t>(c.report.ack_queue);
  s.effective_config = config::to_json(c);
  return s;
}

platform::CoreRequest core_request(const AppSettings& s) {
  platform::CoreRequest request;
  request.ingest = s.ingest_cpu;
  request.execution = s.execution_cpu;
  request.housekeeping = s.housekeeping_cpu;
  request.require_isolated = s.require_isolated;
  request.nic_numa_node = s.pci.empty() ? -1 : platform::pci_numa_node(s.pci);
  return request;
}

platform::EalSettings eal_settings(const AppSettings& s, int housekeeping_cpu, const std::vector<std::string>& extra_args) {
  platform::EalSettings eal;
  eal.file_prefix = s.file_prefix;
  eal.config_args = s.eal_args;
  if (!s.line_b_vdev.empty()) eal.config_args.push_back("--vdev=" + s.line_b_vdev);
  if (!s.line_b_pci.empty()) eal.config_args.insert(eal.config_args.end(), {"-a", s.line_b_pci});
  eal.extra_args = extra_args;
  eal.main_cpu = housekeeping_cpu;
  eal.vdev = s.vdev;
  eal.pci = s.pci;
  return eal;
}

}  // namespace tickpath::app

#pragma once
// Everything `tickpath run` needs, resolved from the config file, --set overrides and the
// command line before anything starts. Building it is where bad input is rejected (exit 2).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/tickpath/run_command.hpp"
#include "control/failure/schedule.hpp"
#include "platform/dpdk/eal_args.hpp"
#include "platform/dpdk/hugepages.hpp"
#include "platform/dpdk/port.hpp"
#include "platform/topology/core_plan.hpp"

namespace tickpath::app {

enum class Format { raw, moldudp64 };
enum class HotIdleKind { spin, pause };
// Housekeeping consumers may also back off (yield, sleep): they share a cpu with the control plane.
enum class HousekeepingIdleKind { spin, pause, backoff };

struct AppSettings {
  // eal / port
  std::string file_prefix;
  std::vector<std::string> eal_args;
  platform::HugepagePolicy hugepages = platform::HugepagePolicy::automatic;
  std::uint64_t memory_mb = 0;
  std::string vdev;
  std::string pci;
  platform::PortSettings port;
  // ingest / ring
  Format format = Format::raw;
  std::uint16_t udp_port = 30001;
  std::size_t burst = 32;
  bool wall_clock_latency = false;  // build the metrics sink with a valid TSC->realtime map
  // ingest.lines: line A is vdev/pci/port above, line B below; arbitrated before the ring.
  bool two_lines = false;
  std::string line_b_vdev;
  std::string line_b_pci;
  platform::PortSettings line_b_port;
  std::array<std::uint16_t, 2> line_udp_ports{};
  std::array<std::uint32_t, 2> line_groups{};  // ingest.lines.<x>.multicast, host order; 0 = any
  std::uint64_t arbiter_window = 4096;
  std::size_t ring_capacity = 65536;
  // cores
  int ingest_cpu = -1;
  int execution_cpu = -1;
  int housekeeping_cpu = -1;
  bool require_isolated = false;
  HotIdleKind idle = HotIdleKind::pause;
  HousekeepingIdleKind housekeeping_idle = HousekeepingIdleKind::backoff;
  // preflight: the floor measured on the run's own cpus before warmup
  double preflight_jitter_s = 0.2;
  std::uint64_t preflight_c2c_samples = 10000;
  // runtime
  std::uint64_t warmup_steps = 10000;
  double duration_s = 10;
  std::uint64_t events = 0;  // 0 = no limit
  double rate_pps = 0;       // 0 = unpaced
  int stats_interval_ms = 1000;
  bool analytics = true;
  bool metrics_sink = true;  // false: NullSink, no latency histograms
  std::vector<control::ScheduleWindow> failure_schedule;
  bool automation = true;
  std::string http_listen;
  std::string http_token;  // from http.token_file; "" = POST needs no token (loopback only)
  unsigned http_idle_timeout_s = 2;
  double stale_after_s = 2.0;
  std::uint64_t max_lag_events = 0;  // 0: the ring's capacity
  double max_line_skew_ns = 1e6;
  std::string report_dir = "reports";
  bool ack_log = false;                // the executor's sink becomes AckLogSink<...>
  std::size_t ack_queue = 65536;       // its SPSC queue's capacity
  nlohmann::json effective_config;
};

// Loads the config (or the built-in defaults), applies --set overrides, then the command line's
// own flags (--duration, --events, --rate, --report-dir). Error: the message names the key.
[[nodiscard]] std::variant<AppSettings, std::string> resolve_settings(const std::string& config_path,
                                                                      const std::vector<std::string>& overrides,
                                                                      const RunOptions* cli);

// The core plan's request from cores.* (the NIC's node from port.pci; -1 with a vdev). `run`,
// `topology` and `audit` plan from this one request.
[[nodiscard]] platform::CoreRequest core_request(const AppSettings& s);

// The EAL's settings from eal.*, the port (and line B's) and the command line's extra EAL
// arguments; the EAL's main lcore is the housekeeping cpu.
[[nodiscard]] platform::EalSettings eal_settings(const AppSettings& s, int housekeeping_cpu,
                                                 const std::vector<std::string>& extra_args);

}  // namespace tickpath::app

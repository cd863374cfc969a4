#pragma once
// The appliance's configuration: typed, with defaults that are the laptop mode (DPDK's null PMD,
// `raw` frames, hugepages if they can be had). Every key is validated here, before the EAL or
// any thread starts; an error names the key and where it came from (file:line:col or --set).
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/choices.hpp"

namespace tickpath::config {

struct Config {
  struct Eal {
    std::vector<std::string> args;         // appended to the EAL's arguments
    std::string file_prefix = "tickpath";  // one per process: two appliances side by side
    HugepagePolicy hugepages = HugepagePolicy::automatic;  // auto | required | off
    std::uint64_t memory_mb = 0;           // --no-huge -m; 0 = sized from ring and pool
  } eal;
  struct Port {
    std::string vdev = "net_null0";  // a DPDK virtual device (exclusive with pci)
    std::string pci;                 // a NIC's PCI address
    std::uint16_t rx_descriptors = 1024;
    std::uint32_t mbufs = 8191;
    std::uint32_t mbuf_cache = 256;
    bool promiscuous = true;
    bool hw_timestamps = false;
  } port;
  struct Ingest {
    IngestFormat format = IngestFormat::raw;  // raw | moldudp64
    std::uint16_t udp_port = 30001;
    std::uint32_t burst = 32;
    // wall_to_ack: the sender's CLOCK_REALTIME send_ns against ours. Only meaningful with
    // PTP-synchronised clocks on a live feed (a pcap replay's send_ns is the file's planned time).
    bool wall_clock_latency = false;
    // [ingest.lines]: A/B line arbitration. Two lines when line B names a port (vdev or pci);
    // line A then replaces port.vdev / port.pci (the other [port] keys apply to both ports).
    struct Line {
      std::string vdev;
      std::string pci;
      std::uint16_t udp_port = 0;  // 0: ingest.udp_port
      std::uint16_t rx_queue = 0;  // the port's rx queue this line is polled on
      std::string multicast;       // IPv4 group in 224.0.0.0/4 the port joins; "" = any destination
    };
    struct Lines {
      std::uint64_t window = 4096;  // sequence numbers per session the arbiter holds (power of two)
      Line a;
      Line b;
      [[nodiscard]] bool two() const { return !b.vdev.empty() || !b.pci.empty(); }
    } lines;
  } ingest;
  struct Ring {
    std::uint64_t capacity = 65536;
  } ring;
  struct Cores {
    int ingest = -1;  // -1: the core plan chooses
    int execution = -1;
    int housekeeping = -1;
    bool require_isolated = false;
    HotIdle idle = HotIdle::pause;  // hot threads: spin | pause ("backoff" is rejected: it makes syscalls)
    HousekeepingIdle housekeeping_idle = HousekeepingIdle::backoff;  // housekeeping consumers: spin | pause | backoff
  } cores;
  struct Preflight {
    // Before warmup, on the run's own hot cpus: a jitter pass (0: skip) and the c2c one-way time
    // between ingest and execution (0 samples: skip). Recorded in summary.json `platform`.
    double jitter_s = 0.2;
    std::uint64_t c2c_samples = 10000;
  } preflight;
  struct Warmup {
    std::uint64_t steps = 10000;
  } warmup;
  struct Run {
    double duration_s = 10.0;
    std::uint64_t events = 0;  // 0: no limit
    double rate_pps = 0;      // 0: unpaced
    std::uint32_t stats_interval_ms = 1000;
  } run;
  struct Analytics {
    bool enabled = true;
  } analytics;
  struct Observability {
    SinkKind sink = SinkKind::metrics;  // metrics | null: the executor's sink, chosen once at start-up
  } observability;
  struct Report {
    std::string dir = "reports";
    bool ack_log = false;
    std::uint64_t ack_queue = 65536;  // acks the log's SPSC queue holds (power of two); full = dropped
  } report;
  struct Health {
    std::uint32_t stale_after_ms = 2000;
    std::uint64_t max_lag_events = 0;  // 0: the ring's capacity
    double max_line_skew_us = 1000;   // ingest.lines: |B - A| p99 over an interval beyond this warns
  } health;
  struct Failure {
    // [[failure.schedule]]: a scenario active for events [at_event, at_event + for_events) of the
    // execution consumer, applied exactly at those events (deterministic on every machine).
    struct Window {
      // market_data_outage | execution_failure: control::parse_scenario's names (lib/control sits
      // above lib/config, so the name stays text here and is checked against the same list).
      std::string scenario;
      std::uint64_t at_event = 0;
      std::uint64_t for_events = 0;
    };
    std::vector<Window> schedule;
  } failure;
  struct Automation {
    bool enabled = true;  // runbook: feed stale -> market_data_outage, cleared -> restored
  } automation;
  struct Http {
    std::string listen = "127.0.0.1:9109";  // loopback only by default; "" = off
    std::string token_file;  // a bearer token for POST; required when listen is not loopback
    std::uint32_t idle_timeout_s = 2;  // a connection silent this long is closed
  } http;
};

struct ConfigError {
  std::string key;      // "ring.capacity", or "" for a file-level error
  std::string message;  // complete, names the key and where
};

using LoadResult = std::variant<Config, ConfigError>;

// `path` empty: the built-in defaults. `overrides`: "key=value" strings (--set), applied after
// the file, in order; the value is a TOML value, or a bare word taken as a string.
[[nodiscard]] LoadResult load_config(const std::string& path, const std::vector<std::string>& overrides);

// Every key, nested by table: the effective config for summary.json.
[[nodiscard]] nlohmann::json to_json(const Config& config);

// Whether `text` is UTF-8. Every string tickpath is given ends up in summary.json (JSON is UTF-8):
// anything else is rejected at the door, naming where it came from, instead of failing later.
[[nodiscard]] bool is_valid_utf8(const std::string& text);

// The keys this version knows, "table.key", in schema order.
[[nodiscard]] std::vector<std::string> known_keys();

// The one vdev parser: a port's ethdev name is its PCI address, or its vdev's first field
// ("net_pcap0,rx_pcap=x.pcap" -> "net_pcap0").
[[nodiscard]] std::string device_name(const std::string& vdev, const std::string& pci);

// Ingest line `which` (0: A, 1: B) as it runs. With one line, line A is [port] and line B is
// empty; a line's udp_port 0 is ingest.udp_port. Copies the whole Line, so a key added to it
// comes through unchanged.
[[nodiscard]] Config::Ingest::Line ingest_line(const Config& config, std::size_t which);

}  // namespace tickpath::config

#pragma once
// The appliance's configuration: typed, with defaults that are the laptop mode (DPDK's null PMD,
// `raw` frames, hugepages if they can be had). Every key is validated here, before the EAL or
// any thread starts; an error names the key and where it came from (file:line:col or --set).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace tickpath::config {

struct Config {
  struct Eal {
    std::vector<std::string> args;         // appended to the EAL's arguments
    std::string file_prefix = "tickpath";  // one per process: two appliances side by side
    std::string hugepages = "auto";        // auto | required | off
    std::int64_t memory_mb = 0;            // --no-huge -m; 0 = sized from ring and pool
  } eal;
  struct Port {
    std::string vdev = "net_null0";  // a DPDK virtual device (exclusive with pci)
    std::string pci;                 // a NIC's PCI address
    std::int64_t rx_descriptors = 1024;
    std::int64_t mbufs = 8191;
    std::int64_t mbuf_cache = 256;
    bool promiscuous = true;
    bool hw_timestamps = false;
  } port;
  struct Ingest {
    std::string format = "raw";  // raw | moldudp64
    std::int64_t udp_port = 30001;
    std::int64_t burst = 32;
    // wall_to_ack: the sender's CLOCK_REALTIME send_ns against ours. Only meaningful with
    // PTP-synchronised clocks on a live feed (a pcap replay's send_ns is the file's planned time).
    bool wall_clock_latency = false;
    // [ingest.lines]: A/B line arbitration. Two lines when line B names a port (vdev or pci);
    // line A then replaces port.vdev / port.pci (the other [port] keys apply to both ports).
    struct Line {
      std::string vdev;
      std::string pci;
      std::int64_t udp_port = 0;  // 0: ingest.udp_port
      std::int64_t rx_queue = 0;  // the port's rx queue this line is polled on
      std::string multicast;      // IPv4 group in 224.0.0.0/4 the port joins; "" = any destination
    };
    struct Lines {
      std::int64_t window = 4096;  // sequence numbers per session the arbiter holds (power of two)
      Line a;
      Line b;
      [[nodiscard]] bool two() const { return !b.vdev.empty() || !b.pci.empty(); }
    } lines;
  } ingest;
  struct Ring {
    std::int64_t capacity = 65536;
  } ring;
  struct Cores {
    std::int64_t ingest = -1;  // -1: the core plan chooses
    std::int64_t execution = -1;
    std::int64_t housekeeping = -1;
    bool require_isolated = false;
    std::string idle = "pause";  // hot threads: spin | pause ("backoff" is rejected: it makes syscalls)
    std::string housekeeping_idle = "backoff";  // housekeeping consumers: spin | pause | backoff
  } cores;
  struct Preflight {
    // Before warmup, on the run's own hot cpus: a jitter pass (0: skip) and the c2c one-way time
    // between ingest and execution (0 samples: skip). Recorded in summary.json `platform`.
    double jitter_s = 0.2;
    std::int64_t c2c_samples = 10000;
  } preflight;
  struct Warmup {
    std::int64_t steps = 10000;
  } warmup;
  struct Run {
    double duration_s = 10.0;
    std::int64_t events = 0;  // 0: no limit
    double rate_pps = 0;      // 0: unpaced
    std::int64_t stats_interval_ms = 1000;
  } run;
  struct Analytics {
    bool enabled = true;
  } analytics;
  struct Observability {
    std::string sink = "metrics";  // metrics | null: the executor's sink, chosen once at start-up
  } observability;
  struct Report {
    std::string dir = "reports";
    bool ack_log = false;
    std::int64_t ack_queue = 65536;  // acks the log's SPSC queue holds (power of two); full = dropped
  } report;
  struct Health {
    std::int64_t stale_after_ms = 2000;
    std::int64_t max_lag_events = 0;  // 0: the ring's capacity
    double max_line_skew_us = 1000;   // ingest.lines: |B - A| p99 over an interval beyond this warns
  } health;
  struct Failure {
    // [[failure.schedule]]: a scenario active for events [at_event, at_event + for_events) of the
    // execution consumer, applied exactly at those events (deterministic on every machine).
    struct Window {
      std::string scenario;  // market_data_outage | execution_failure
      std::int64_t at_event = 0;
      std::int64_t for_events = 0;
    };
    std::vector<Window> schedule;
  } failure;
  struct Automation {
    bool enabled = true;  // runbook: feed stale -> market_data_outage, cleared -> restored
  } automation;
  struct Http {
    std::string listen = "127.0.0.1:9109";  // loopback only by default; "" = off
    std::string token_file;  // a bearer token for POST; required when listen is not loopback
    std::int64_t idle_timeout_s = 2;  // a connection silent this long is closed
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

}  // namespace tickpath::config

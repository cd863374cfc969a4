#pragma once
// What the control plane knows at one instant, built by the aggregator on a housekeeping core
// from single-writer counters and histogram snapshots. Everything an operator interface shows
// (live line, /metrics, /state, DPDK telemetry, health probes) is computed from one of these,
// never from the hot path's structures directly, so no interface can slow a hot thread.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "control/metrics/histogram_snapshot.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::control {

struct ConsumerSnapshot {
  std::string name;
  std::uint64_t consumed = 0;
  std::uint64_t overruns = 0;
  std::uint64_t lost = 0;
  std::uint64_t lag = 0;  // events published but not yet consumed
};

// ingest.lines: one line's freshness.
struct LineSnapshot {
  char letter = 'A';
  std::uint64_t frames = 0;
  core::Ticks last_rx_tsc = 0;  // 0: nothing received on this line yet
  std::uint64_t won = 0;
  std::uint64_t duplicate = 0;
  std::uint64_t late = 0;
  std::uint64_t gaps = 0;
  std::uint64_t filled_by_other = 0;
};

struct ControlSnapshot {
  double uptime_s = 0;
  core::Ticks taken_tsc = 0;
  std::string state;  // lifecycle: INIT | WARMUP | READY | DEGRADED
  bool link_up = false;
  bool ready = false;        // READY and link up (runtime::evaluate_readiness)
  std::string ready_reason;  // "ready", or why not

  // ingest
  std::uint64_t frames = 0;
  std::uint64_t published = 0;
  std::uint64_t heartbeats = 0;
  std::uint64_t malformed = 0;
  std::uint64_t foreign = 0;
  std::vector<std::pair<std::string, std::uint64_t>> drops;  // by reason, every reason listed
  std::uint64_t feed_gaps = 0;        // MoldUDP64 sequence numbers skipped (when detected)
  std::uint64_t feed_recovered = 0;   // of those, delivered later by out-of-order frames
  std::uint64_t feed_duplicates = 0;  // frames whose every message was already received
  std::uint64_t feed_out_of_order = 0;  // late frames that filled a gap
  std::uint64_t end_of_session = 0;   // valid MoldUDP64 end-of-session frames
  std::uint64_t untracked_frames = 0;  // frames of sessions beyond the session table
  std::uint64_t last_event_tsc = 0;   // rx stamp of the newest published event (0: none yet)
  // NIC
  std::uint64_t nic_ipackets = 0;
  std::uint64_t nic_missed = 0;
  std::uint64_t nic_errors = 0;
  std::uint64_t nic_rx_nombuf = 0;
  // execution
  std::uint64_t executed = 0;
  std::uint64_t provisional = 0;
  // the execution consumer's `consumed` read again after executed/provisional: the upper bound of
  // the decisions' invariant (control/health/invariants.hpp)
  std::uint64_t execution_consumed_recheck = 0;
  std::vector<ConsumerSnapshot> consumers;
  // cumulative latency histograms in ticks, by stage; empty with the null sink
  std::vector<std::pair<std::string, HistogramSnapshot>> latency;
  // per stage, in latency's order: differences below 0 recorded as 0 (MetricsSink::negative)
  std::vector<std::uint64_t> latency_negative;
  core::TscCalibration calibration;
  // report.ack_log: acks queued for acks.bin and acks the full queue dropped
  bool ack_log = false;
  std::uint64_t ack_log_queued = 0;
  std::uint64_t ack_log_dropped = 0;
  // ingest.lines: both lines (empty with one line) and the cumulative A/B skew histograms (ticks):
  // B - A >= 0 and A - B > 0 (line_skew.hpp)
  std::vector<LineSnapshot> lines;
  std::uint64_t lines_lost = 0;  // numbers neither line delivered within the window
  HistogramSnapshot line_skew_b_later;
  HistogramSnapshot line_skew_a_later;
  // failure scenarios currently active
  std::vector<std::string> active_failures;
};

}  // namespace tickpath::control

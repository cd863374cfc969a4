#pragma once
// One recorded control-plane tick, the fixture every view test starts from: /state, the DPDK
// telemetry replies, the Prometheus text and the live line are all pure functions of it (the live
// line also of the tick before, recorded_snapshot_before()). The calibration is 1 GHz, so ticks
// read as nanoseconds and every figure below can be checked by hand.
#include <cstdint>

#include "control/metrics/histogram.hpp"
#include "control/snapshot.hpp"

namespace tickpath::control::testing {

// `n` samples of `value` ticks each.
inline void record_n(Histogram& h, std::uint64_t value, int n) {
  for (int i = 0; i < n; ++i) h.record(value);
}

// The tick at t=1.0 s.
inline ControlSnapshot recorded_snapshot_before() {
  ControlSnapshot s;
  s.calibration = core::TscCalibration(1e9);
  s.uptime_s = 1.0;
  s.taken_tsc = 1'000'000'000;
  s.state = "WARMUP";
  s.link_up = true;
  s.ready = false;
  s.ready_reason = "lifecycle WARMUP";
  s.frames = 1000;
  s.published = 1000;
  s.nic_ipackets = 1000;
  s.nic_missed = 2;
  s.executed = 0;
  s.provisional = 1000;
  s.consumers = {{"execution", 1000, 1, 0, 0}, {"analytics", 1000, 3, 0, 0}};
  Histogram ingest;
  record_n(ingest, 100'000, 1000);  // 100 us each: the interval after this must not show them
  s.latency.emplace_back("ingest_to_ack", ingest.snapshot());
  s.latency.emplace_back("wire_to_ack", Histogram().snapshot());
  s.latency_negative = {0, 0};
  s.lines = {{'A', 600, 900'000'000, 600, 0, 0, 0, 0}, {'B', 400, 900'000'000, 400, 600, 0, 0, 0}};
  return s;
}

// The tick at t=2.0 s: 41,000 more events, READY, every kind of figure non-zero somewhere.
inline ControlSnapshot recorded_snapshot() {
  ControlSnapshot s;
  s.calibration = core::TscCalibration(1e9);
  s.uptime_s = 2.0;
  s.taken_tsc = 2'000'000'000;
  s.state = "READY";
  s.link_up = true;
  s.ready = true;
  s.ready_reason = "ready";
  s.frames = 42'130;
  s.published = 42'000;
  s.heartbeats = 7;
  s.malformed = 100;
  s.foreign = 30;
  s.drops = {{"not_ipv4", 30}, {"truncated_udp", 60}, {"message_past_end", 40}};
  s.feed_gaps = 5;
  s.feed_recovered = 2;
  s.feed_duplicates = 3;
  s.feed_out_of_order = 2;
  s.end_of_session = 1;
  s.untracked_frames = 4;
  s.last_event_tsc = 1'999'999'000;
  s.nic_ipackets = 42'200;
  s.nic_missed = 9;
  s.nic_errors = 1;
  s.nic_rx_nombuf = 6;
  s.executed = 40'000;
  s.provisional = 2000;
  s.execution_consumed_recheck = 42'000;
  s.consumers = {{"execution", 42'000, 1, 0, 0}, {"analytics", 41'500, 15, 400, 100}};
  Histogram ingest;
  record_n(ingest, 100'000, 1000);  // the tick before's samples, still in the cumulative histogram
  record_n(ingest, 800, 40'000);    // this interval: 800 ns ...
  record_n(ingest, 2000, 900);      // ... a tail at 2 us ...
  record_n(ingest, 31'000, 100);    // ... and 31 us at the top
  s.latency.emplace_back("ingest_to_ack", ingest.snapshot());
  Histogram wire;
  record_n(wire, 5000, 99);
  record_n(wire, 9000, 1);
  s.latency.emplace_back("wire_to_ack", wire.snapshot());
  s.latency_negative = {0, 3};
  s.ack_log = true;
  s.ack_log_queued = 42'000;
  s.ack_log_dropped = 12;
  s.lines = {{'A', 25'000, 1'999'999'000, 24'000, 900, 10, 3, 2}, {'B', 19'000, 1'999'998'000, 18'000, 1000, 0, 4, 1}};
  s.lines_lost = 1;
  Histogram b_later;
  record_n(b_later, 120, 90);  // B 120 ns after A, 90 times ...
  s.line_skew_b_later = b_later.snapshot();
  Histogram a_later;
  record_n(a_later, 300, 10);  // ... and 300 ns before it 10 times
  s.line_skew_a_later = a_later.snapshot();
  s.active_failures = {"market_data_outage", "execution_failure"};
  return s;
}

}  // namespace tickpath::control::testing

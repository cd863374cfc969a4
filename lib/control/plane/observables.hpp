#pragma once
// The sources the control plane reads while the pipeline runs: counters written by single
// writers, histograms, the lifecycle, the port's statistics. Read-only pointers, filled by the
// wiring (apps) once before the threads start; the aggregator is the only reader on the control
// thread, and it turns them into one ControlSnapshot per interval.
#include <cstdint>
#include <functional>

#include "control/metrics/analytics.hpp"
#include "control/metrics/line_skew.hpp"
#include "control/metrics/metrics_sink.hpp"
#include "core/bus/spsc_queue.hpp"
#include "core/counter.hpp"
#include "core/execution/ack.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "core/state/lifecycle.hpp"
#include "core/time/calibration.hpp"
#include "runtime/pipeline_counters.hpp"

namespace tickpath::control {

struct NicCounters {
  std::uint64_t ipackets = 0;
  std::uint64_t imissed = 0;
  std::uint64_t ierrors = 0;
  std::uint64_t rx_nombuf = 0;
};

struct Observables {
  const runtime::PipelineCounters* counters = nullptr;
  const MetricsSink* sink = nullptr;  // nullptr: observability.sink = "null"
  const AnalyticsHandler* analytics = nullptr;
  const core::Lifecycle* lifecycle = nullptr;
  std::function<NicCounters()> nic;  // the port's statistics (rte_eth_stats_get)
  core::TscCalibration calibration;
  bool analytics_enabled = true;
  // report.ack_log: the log's queue (pushed = acks queued) and its drop counter; nullptr when off.
  const core::SpscQueue<core::Ack>* ack_log_queue = nullptr;
  const core::Counter* ack_log_dropped = nullptr;
  // ingest.lines: the arbiter's per-line counters and the A/B skew; nullptr with one line.
  const core::ArbiterCounters* lines = nullptr;
  const LineSkewHistograms* line_skew = nullptr;
  std::function<NicCounters()> nic_b;  // line B's port statistics; empty with one line
};

}  // namespace tickpath::control

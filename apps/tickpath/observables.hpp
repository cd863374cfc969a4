#pragma once
// What the control plane (live line, summary) reads while the pipeline runs: counters written by
// single writers, histograms, the lifecycle, the port's statistics. Read-only pointers.
#include <functional>

#include "apps/tickpath/pipeline.hpp"
#include "control/metrics/analytics.hpp"
#include "control/metrics/line_skew.hpp"
#include "control/metrics/metrics_sink.hpp"
#include "core/bus/spsc_queue.hpp"
#include "core/counter.hpp"
#include "core/execution/ack.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "core/state/lifecycle.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::app {

struct NicCounters {
  std::uint64_t ipackets = 0;
  std::uint64_t imissed = 0;
  std::uint64_t ierrors = 0;
  std::uint64_t rx_nombuf = 0;
};

struct Observables {
  const PipelineCounters* counters = nullptr;
  const control::MetricsSink* sink = nullptr;  // nullptr: observability.sink = "null"
  const control::AnalyticsHandler* analytics = nullptr;
  const core::Lifecycle* lifecycle = nullptr;
  std::function<NicCounters()> nic;  // the port's statistics (rte_eth_stats_get)
  core::TscCalibration calibration;
  bool analytics_enabled = true;
  // report.ack_log: the log's queue (pushed = acks queued) and its drop counter; nullptr when off.
  const core::SpscQueue<core::Ack>* ack_log_queue = nullptr;
  const core::Counter* ack_log_dropped = nullptr;
  // ingest.lines: the arbiter's per-line counters and the A/B skew; nullptr with one line.
  const core::ArbiterCounters* lines = nullptr;
  const control::LineSkewHistograms* line_skew = nullptr;
  std::function<NicCounters()> nic_b;  // line B's port statistics; empty with one line
};

}  // namespace tickpath::app

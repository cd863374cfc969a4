#pragma once
// The counters one running pipeline writes and the control plane reads: each struct has a single
// writer (the ingest thread, a consumer's thread) and sits on cache lines of its own, so a read
// from the housekeeping core never slows the writer.
#include "core/bus/consumer_loop.hpp"
#include "core/execution/execution_handler.hpp"
#include "core/ingest/drop_reason.hpp"
#include "core/ingest/ingest_counters.hpp"
#include "runtime/heartbeat.hpp"

namespace tickpath::runtime {

struct PipelineCounters {
  core::IngestCounters ingest;
  core::ConsumerCounters execution;
  core::ExecutionCounters decisions;
  core::ConsumerCounters analytics;
  // Idle polls of the hot loops: with the work counters above, the service watchdog's proof of life.
  LoopHeartbeat ingest_beat;
  LoopHeartbeat execution_beat;
};

}  // namespace tickpath::runtime

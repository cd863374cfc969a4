#pragma once
// What run_command.cpp builds before the threads start, shared by every (Source, Decoder, Idle,
// Sink) variant, and drive_run(): the built pipeline handed to platform/run's session with the
// port, the EAL and the transports seen through functions (compiled once, not per variant).
#include <memory>
#include <string>

#include "config/config.hpp"
#include "control/metrics/line_skew.hpp"
#include "control/plane/running_pipeline.hpp"
#include "control/plane/summary_document.hpp"
#include "core/bus/broadcast_ring.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "platform/dpdk/port.hpp"
#include "platform/topology/core_plan.hpp"
#include "runtime/run_clock.hpp"

namespace tickpath::app {

struct RunContext {
  const config::Config* config = nullptr;
  std::string http_token;  // http.token_file's bearer token (config::Startup)
  platform::CorePlan plan;
  core::BroadcastRing<core::Event>* ring = nullptr;
  platform::Port* port = nullptr;
  platform::Port* port_b = nullptr;  // ingest.lines: line B's port; nullptr with one line
  std::unique_ptr<core::ArbiterCounters> lines;            // with two lines
  std::unique_ptr<control::LineSkewHistograms> line_skew;  // with two lines
  core::TscCalibration calibration;
  core::CalibrationResult clock_proof;  // prove_tsc(): the rate, its bound, the pairs drift is measured from
  control::NicClockMap nic_clock;       // valid only when the port stamps rx and its clock can be read
  control::WallClockMap wall_clock;     // valid only with ingest.wall_clock_latency
  runtime::WallClockPair wall_clock_first;  // step 6's paired read: the map's rate starts here
  control::RunFacts facts;
  std::string report_dir;
};

// Control plane up, threads started, one report per interval, stop on duration / event limit /
// signal, drain, summary and report files (platform/run/run_session.hpp). Returns the exit code
// (0, 1, or 3: report incomplete).
int drive_run(RunContext& ctx, control::RunningPipeline& pipeline);

}  // namespace tickpath::app

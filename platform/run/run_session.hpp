#pragma once
// One run after start-up, for any typed pipeline (control/plane/running_pipeline.hpp): the
// control plane up with the transports the wiring built, the threads started, one report per
// interval (the live line, the journal: platform/uring/run_journal.hpp), stop on duration, event
// limit or signal, drain, then summary.json and the report files (io_uring). Compiled once.
//
// Order of destruction matters: the control plane (HTTP, telemetry) stops after the report is
// written; the pipeline (owned by the caller) outlives all of it.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "control/api/transport.hpp"
#include "control/plane/observables.hpp"
#include "control/plane/running_pipeline.hpp"
#include "control/plane/summary_document.hpp"
#include "core/time/calibration.hpp"
#include "runtime/pipeline.hpp"

namespace tickpath::platform {

// Everything the wiring built before the threads start, as run_session() needs it: no port, EAL
// or ring here, only what they are seen through.
struct RunSession {
  const config::Config* config = nullptr;
  std::string report_dir;             // created, empty
  runtime::ThreadPlacement where{-1, -1, -1};  // the core plan's cpus
  bool hot_shared = false;            // ingest and execution on one thread
  runtime::PinFunction pin;           // names and pins each pipeline thread
  control::Observables observed;      // the ports' and lines' sources; the pipeline adds its own
  std::function<bool()> link_up;      // line A's link, for health and readiness
  std::vector<std::unique_ptr<control::Transport>> transports;  // started in order, stopped in reverse
  core::CalibrationResult clock_proof;  // prove_tsc(): its drift is measured again at the end
  control::WallClockMap wall_clock;     // valid only with ingest.wall_clock_latency
  std::function<nlohmann::json()> nic_clock_drift;  // summary's platform.clock.nic, read at the end
  control::RunFacts facts;              // start_tsc set when the pipeline was built
  control::BuildIdentity build;         // summary.json's version and commit
};

struct SessionEnd {
  std::string error;                        // a transport could not start: nothing ran (exit 1)
  std::vector<std::string> report_errors;   // the run completed; each file not written (exit 3)
};

// Prints what a run prints on stdout (the live line, the final table, the floor, "report: DIR").
[[nodiscard]] SessionEnd run_session(RunSession& session, control::RunningPipeline& pipeline);

}  // namespace tickpath::platform

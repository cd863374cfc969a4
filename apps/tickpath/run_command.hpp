#pragma once
#include "config/run_flags.hpp"

namespace tickpath::app {

using RunOptions = config::RunFlags;

// Exit codes: 0 done (also after SIGINT/SIGTERM), 1 a run-time failure (EAL, port, memory),
// 2 bad input (config, CLI) rejected before anything started, 3 (kExitReportIncomplete,
// cli_error.hpp) the run completed but its report is incomplete (a file of the run folder could
// not be written: stderr and, where it could be written, summary.json's report.errors name the
// file and the errno text).
int run_command(const RunOptions& options);

}  // namespace tickpath::app

#pragma once
// `tickpath run --repeat N`: N child runs of one configuration into one folder
// (platform/process/run_set.hpp), then the repeat table (lib/report/run_set_report.hpp).
#include "apps/tickpath/run_command.hpp"

namespace tickpath::app {

// Exit 0 all runs completed, 1 a run failed, 2 bad input, 128 + signal when interrupted (what
// finished is kept).
int repeat_command(const RunOptions& options, int repeat);

}  // namespace tickpath::app

#pragma once
// `tickpath jitter`'s run folder: jitter.json (the report with "command": "jitter") and one
// HdrHistogram percentile distribution of the gaps per measured cpu (jitter-cpuN.hgrm, in
// microseconds like latency.hgrm). Pure text; written by the caller through the run folder's
// writer (platform/uring/run_files.hpp).
#include <vector>

#include "platform/floor/jitter.hpp"
#include "report/run_report.hpp"

namespace tickpath::platform {

// jitter.json first (what `tickpath jitter --json` prints), then the .hgrm of each cpu measured;
// a cpu that could not be measured has none.
[[nodiscard]] std::vector<report::NamedText> jitter_files(const JitterReport& report);

// Every cpu asked for was pinned and measured.
[[nodiscard]] bool all_measured(const JitterReport& report);

}  // namespace tickpath::platform

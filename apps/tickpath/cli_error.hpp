#pragma once
// How every subcommand reports an error: stdout flushed first (so the error lands after what was
// already printed), one line `<who>: <message>` on stderr, and the exit code returned for the
// caller to pass on (2 bad input, 1 run-time failure, 3 report incomplete: docs/operations.md).
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace tickpath::app {

inline int fail(int code, std::string_view message, std::string_view who = "tickpath") {
  std::fflush(stdout);
  fmt::print(stderr, "{}: {}\n", who, message);
  return code;
}

// The exit code of a command whose work completed but whose report is incomplete (`run`, `jitter`).
inline constexpr int kExitReportIncomplete = 3;

// Names every error on stderr, one line each: `tickpath: report incomplete: <file>: <errno text>`.
inline void print_report_errors(const std::vector<std::string>& errors) {
  for (const std::string& e : errors) fmt::print(stderr, "tickpath: report incomplete: {}\n", e);
}

}  // namespace tickpath::app

#pragma once
// How every subcommand reports an error: stdout flushed first (so the error lands after what was
// already printed), one line `<who>: <message>` on stderr, and the exit code returned for the
// caller to pass on (2 bad input, 1 run-time failure, 3 report incomplete: docs/operations.md).
#include <cstdio>
#include <string_view>

#include <fmt/format.h>

namespace tickpath::app {

inline int fail(int code, std::string_view message, std::string_view who = "tickpath") {
  std::fflush(stdout);
  fmt::print(stderr, "{}: {}\n", who, message);
  return code;
}

}  // namespace tickpath::app

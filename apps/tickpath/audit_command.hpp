#pragma once
#include <string>
#include <vector>

namespace tickpath::app {

struct AuditOptions {
  std::string config_path;
  std::vector<std::string> overrides;
  bool json = false;
  std::string root = "/";
};

// Exit code of a config error in `tickpath audit` (sysexits.h EX_USAGE): 2 already means "a
// check FAILed", and a script must be able to tell the two apart.
inline constexpr int kAuditUsageError = 64;

// Prints one row per check (or JSON). 0: all PASS/SKIP, 1: some WARN, 2: some FAIL,
// kAuditUsageError: bad config or command line.
int audit_command(const AuditOptions& options);

}  // namespace tickpath::app

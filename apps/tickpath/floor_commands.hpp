#pragma once
// `tickpath jitter` and `tickpath c2c`: the machine's own floor (platform/floor), as commands.
// Neither starts the EAL: both are safe to run next to a live appliance (on other cpus).
#include <cstdint>
#include <string>

namespace tickpath::app {

struct JitterCommandOptions {
  std::string cores;  // "0-3,8"; empty: every cpu this process may run on
  double duration_s = 10;
  double threshold_ns = 1000;
  bool json = false;
  std::string report_dir = "reports";
};

struct C2cCommandOptions {
  std::string cores;
  std::uint64_t samples = 20000;
  bool json = false;
};

// Exit codes: 0 measured, 1 a cpu could not be measured, 2 bad input.
int jitter_command(const JitterCommandOptions& options);
int c2c_command(const C2cCommandOptions& options);

}  // namespace tickpath::app

#pragma once
// `tickpath jitter`: the OS noise floor of each core, in the manner of `hiccups` and `oslat`.
// One pinned thread per cpu spins on the TSC (spin_gaps.hpp) for the same wall-clock window, all
// at once (the way hot threads run); every gap above a threshold is a hiccup.
#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/metrics/histogram_snapshot.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::platform {

struct JitterOptions {
  std::vector<int> cpus;        // one spinning thread each
  double duration_s = 10;       // per cpu, all at the same time
  double threshold_ns = 1000;   // a gap at least this long is a hiccup
};

struct CoreJitter {
  int cpu = -1;
  std::string error;  // non-empty: the thread could not be pinned and measured nothing
  std::uint64_t samples = 0;
  control::HistogramSnapshot gaps;  // ticks
  std::uint64_t hiccups = 0;
  double hiccup_ns = 0;                    // time lost in hiccups
  std::array<std::uint64_t, 4> decades{};  // gaps in [1us,10us) [10us,100us) [100us,1ms) [1ms,inf)
};

struct JitterReport {
  core::TscCalibration calibration;
  double duration_s = 0;
  double threshold_ns = 0;
  std::vector<CoreJitter> cores;
};

inline constexpr std::array<const char*, 4> kDecadeNames = {"1us", "10us", "100us", "1ms"};

// Blocks for duration_s. An error (bad option) is returned before any thread starts; a cpu that
// cannot be pinned is reported in its CoreJitter.
[[nodiscard]] std::variant<JitterReport, std::string> measure_jitter(const JitterOptions& options,
                                                                     const core::TscCalibration& calibration);

// summary.json / jitter.json: {"duration_s", "threshold_ns", "cores": [{cpu, samples, min_ns,
// p50_ns, p99_ns, p99_9_ns, p99_99_ns, max_ns, mean_ns, hiccups, hiccup_ns, hiccup_share,
// hiccups_by_size: {"1us", "10us", "100us", "1ms"}}]}
[[nodiscard]] nlohmann::json to_json(const JitterReport& report);

// The table printed by `tickpath jitter`.
[[nodiscard]] std::string format_jitter(const JitterReport& report);

}  // namespace tickpath::platform

#pragma once
// A run's preflight: the machine's floor measured on the run's own hot cpus just before warmup
// (preflight.jitter_s, preflight.c2c_samples), so every summary.json carries the noise and
// hand-off floor it ran on, and the final table can say how far above that floor the pipeline is.
#include <cstdint>
#include <functional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/time/calibration.hpp"

namespace tickpath::platform {

struct PreflightRequest {
  int ingest_cpu = 0;
  int execution_cpu = 0;
  double jitter_s = 0;            // per hot cpu; 0: skip
  std::uint64_t c2c_samples = 0;  // ingest cpu <-> execution cpu; 0: skip
};

// `say` gets one line per measurement, as each is made. Returns the keys to merge into
// summary.json `platform`:
//   jitter:  the jitter JSON for the hot cpus, or null when skipped
//   c2c_ns:  one-way p50 ingest cpu -> execution cpu in ns; null when skipped or one shared cpu
//   c2c:     the pair's figures, or {"same_cpu": true, "cpu": N, "note": ...}, or {"skipped": true}
[[nodiscard]] nlohmann::json measure_preflight(const PreflightRequest& request, const core::TscCalibration& calibration,
                                               const std::function<void(std::string_view)>& say);

}  // namespace tickpath::platform

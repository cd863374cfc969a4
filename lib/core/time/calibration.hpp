#pragma once
// Ticks <-> nanoseconds for the control plane. Never used per event on the hot path: events
// carry raw ticks and the aggregator converts whole histograms.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/time/tsc.hpp"

namespace tickpath::core {

class TscCalibration {
 public:
  // The identity calibration of the monotonic fallback: one tick is one nanosecond.
  constexpr TscCalibration() noexcept = default;
  constexpr explicit TscCalibration(double ticks_per_second) noexcept
      : hz_(ticks_per_second), ns_per_tick_(1e9 / ticks_per_second) {}

  // The rate of calibrate(window), or the identity (1 GHz) when it failed: for benchmarks and
  // tools whose figures do not depend on it being right. `run` and `selftest` use calibrate() and
  // refuse to start on failure.
  [[nodiscard]] static TscCalibration measure(std::chrono::milliseconds window);

  [[nodiscard]] constexpr double hz() const noexcept { return hz_; }
  [[nodiscard]] constexpr double ns_per_tick() const noexcept { return ns_per_tick_; }
  [[nodiscard]] constexpr double to_ns(Ticks ticks) const noexcept {
    return static_cast<double>(ticks) * ns_per_tick_;
  }
  [[nodiscard]] constexpr Ticks to_ticks(double ns) const noexcept {
    return ns <= 0 ? 0 : static_cast<Ticks>(ns / ns_per_tick_ + 0.5);
  }

 private:
  double hz_ = 1e9;
  double ns_per_tick_ = 1.0;
};

// One reading of CLOCK_MONOTONIC_RAW bracketed by two fenced TSC reads: the narrowest of `tries`
// brackets is kept (a bracket widened by an interrupt or a vDSO retry says little), and the
// midpoint is the TSC of the clock's instant, uncertain by +- width / 2.
struct ClockPair {
  Ticks tsc = 0;
  std::uint64_t raw_ns = 0;
  Ticks width = 0;
};
[[nodiscard]] ClockPair read_clock_pair(int tries = 64);

// A measured TSC rate with its proof: the two pairs it came from and the error bound they allow.
struct CalibrationResult {
  bool ok = false;
  std::string error;  // why not ok: "CLOCK_MONOTONIC_RAW went backwards", ...
  TscCalibration calibration;
  ClockPair start, end;
  // Worst-case rate error from the two brackets' half-widths over the window, plus 1 ns of the
  // clock's own resolution at each end: |rate - true rate| / rate <= error_ppm * 1e-6.
  double error_ppm = 0;
};

// Measures the tick rate against CLOCK_MONOTONIC_RAW (not NTP-slewed) over `window`, with
// read_clock_pair() at each end. Blocks the caller: start-up only. Fails (ok = false) when the
// clocks do not advance together or the bound exceeds kMaxCalibrationErrorPpm.
inline constexpr double kMaxCalibrationErrorPpm = 50.0;
[[nodiscard]] CalibrationResult calibrate(std::chrono::milliseconds window);

// The TSC's drift against CLOCK_MONOTONIC_RAW since the calibration's start pair, read now:
// (TSC-derived ns - raw ns) and as ppm of the raw interval. Control plane, after a run.
struct ClockDrift {
  double elapsed_ns = 0;
  double drift_ns = 0;
  double drift_ppm = 0;
  Ticks width = 0;  // the end pair's bracket
};
[[nodiscard]] ClockDrift measure_drift(const CalibrationResult& calibration);

// True when /proc/cpuinfo's text lists both constant_tsc and nonstop_tsc in a flags line: the
// TSC ticks at one rate in every P- and C-state, so ticks are time.
[[nodiscard]] bool cpuinfo_has_invariant_tsc(std::string_view cpuinfo);

}  // namespace tickpath::core

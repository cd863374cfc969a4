#pragma once
// Ticks <-> nanoseconds for the control plane. Never used per event on the hot path: events
// carry raw ticks and the aggregator converts whole histograms.
#include <chrono>
#include <cstdint>

#include "core/time/tsc.hpp"

namespace tickpath::core {

class TscCalibration {
 public:
  // The identity calibration of the monotonic fallback: one tick is one nanosecond.
  constexpr TscCalibration() noexcept = default;
  constexpr explicit TscCalibration(double ticks_per_second) noexcept
      : hz_(ticks_per_second), ns_per_tick_(1e9 / ticks_per_second) {}

  // Measures the tick rate against CLOCK_MONOTONIC over `window` (blocks the caller: start-up
  // and control plane only). 100 ms gives better than 10 ppm on an invariant TSC.
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

}  // namespace tickpath::core

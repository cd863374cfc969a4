#include "core/time/calibration.hpp"

#include <thread>

namespace tickpath::core {

TscCalibration TscCalibration::measure(std::chrono::milliseconds window) {
  if constexpr (!kClockIsTsc) return TscCalibration{};
  // Bracket each clock read with TSC reads and keep the midpoint, so the cost of the
  // clock_gettime call itself does not bias the rate.
  auto pair = [] {
    const Ticks t0 = tsc_now_fenced();
    const Ticks ns = monotonic_ns();
    const Ticks t1 = tsc_now_fenced();
    return std::pair<double, double>{static_cast<double>(ns), t0 / 2.0 + t1 / 2.0};
  };
  const auto [ns0, tsc0] = pair();
  std::this_thread::sleep_for(window);
  const auto [ns1, tsc1] = pair();
  const double elapsed_ns = ns1 - ns0;
  if (elapsed_ns <= 0 || tsc1 <= tsc0) return TscCalibration{};
  return TscCalibration{(tsc1 - tsc0) * 1e9 / elapsed_ns};
}

}  // namespace tickpath::core

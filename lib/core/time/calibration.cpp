#include "core/time/calibration.hpp"

#include <ctime>  // clock_gettime(CLOCK_MONOTONIC_RAW): start-up only, never on the hot path

#include <algorithm>
#include <thread>

namespace tickpath::core {
namespace {

std::uint64_t raw_now_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

bool has_word(std::string_view line, std::string_view word) {
  for (std::size_t at = line.find(word); at != std::string_view::npos; at = line.find(word, at + 1)) {
    const bool starts = at == 0 || line[at - 1] == ' ' || line[at - 1] == '\t' || line[at - 1] == ':';
    const std::size_t end = at + word.size();
    const bool ends = end == line.size() || line[end] == ' ' || line[end] == '\t' || line[end] == '\n';
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

ClockPair read_clock_pair(int tries) {
  ClockPair best;
  bool have = false;
  for (int i = 0; i < std::max(tries, 1); ++i) {
    const Ticks before = tsc_now_fenced();
    const std::uint64_t ns = raw_now_ns();
    const Ticks after = tsc_now_fenced();
    if (after < before) continue;  // a migration between unsynchronised cores: not a bracket
    if (!have || after - before < best.width) {
      best = ClockPair{before + (after - before) / 2, ns, after - before};
      have = true;
    }
  }
  return best;
}

CalibrationResult calibrate(std::chrono::milliseconds window) {
  CalibrationResult r;
  if constexpr (!kClockIsTsc) {
    r.ok = true;  // the fallback clock is CLOCK_MONOTONIC itself: ticks are nanoseconds
    return r;
  }
  r.start = read_clock_pair();
  std::this_thread::sleep_for(window);
  // The first reads after a sleep's wake-up are slow (cold caches, the timer interrupt's tail):
  // the narrowest of many brackets skips them.
  r.end = read_clock_pair();
  if (r.start.tsc == 0 || r.end.tsc == 0) {
    r.error = "no TSC bracket of CLOCK_MONOTONIC_RAW could be read (the TSC went backwards on every try)";
    return r;
  }
  if (r.end.raw_ns <= r.start.raw_ns || r.end.tsc <= r.start.tsc) {
    r.error = "CLOCK_MONOTONIC_RAW and the TSC did not both advance over the calibration window";
    return r;
  }
  const double ns = static_cast<double>(r.end.raw_ns - r.start.raw_ns);
  const double ticks = static_cast<double>(r.end.tsc - r.start.tsc);
  r.calibration = TscCalibration{ticks * 1e9 / ns};
  const double tick_error = (static_cast<double>(r.start.width) + static_cast<double>(r.end.width)) / 2.0;
  r.error_ppm = (tick_error / ticks + 2.0 / ns) * 1e6;
  if (r.error_ppm > kMaxCalibrationErrorPpm) {
    r.error = "the TSC calibration's error bound is " + std::to_string(r.error_ppm) + " ppm (brackets of " +
              std::to_string(r.start.width) + " and " + std::to_string(r.end.width) + " ticks), above " +
              std::to_string(kMaxCalibrationErrorPpm) + " ppm: the host is too busy to calibrate";
    return r;
  }
  r.ok = true;
  return r;
}

TscCalibration TscCalibration::measure(std::chrono::milliseconds window) {
  const CalibrationResult r = calibrate(window);
  return r.ok ? r.calibration : TscCalibration{};
}

ClockDrift measure_drift(const CalibrationResult& c) {
  ClockDrift d;
  if (!kClockIsTsc || !c.ok) return d;
  const ClockPair now = read_clock_pair();
  if (now.raw_ns <= c.start.raw_ns || now.tsc <= c.start.tsc) return d;
  d.elapsed_ns = static_cast<double>(now.raw_ns - c.start.raw_ns);
  d.drift_ns = c.calibration.to_ns(now.tsc - c.start.tsc) - d.elapsed_ns;
  d.drift_ppm = d.drift_ns / d.elapsed_ns * 1e6;
  d.width = now.width;
  return d;
}

bool cpuinfo_has_invariant_tsc(std::string_view cpuinfo) {
  for (std::size_t pos = 0; pos < cpuinfo.size();) {
    const std::size_t end = std::min(cpuinfo.find('\n', pos), cpuinfo.size());
    const std::string_view line = cpuinfo.substr(pos, end - pos);
    if (line.substr(0, 5) == "flags" && has_word(line, "constant_tsc") && has_word(line, "nonstop_tsc")) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace tickpath::core

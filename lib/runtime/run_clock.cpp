#include "runtime/run_clock.hpp"

#include <time.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace tickpath::runtime {

std::variant<core::CalibrationResult, std::string> prove_tsc() {
  if constexpr (!core::kClockIsTsc) {
    return std::string("no TSC on this architecture: tickpath's figures are TSC ticks (x86-64 only)");
  }
  std::ifstream in("/proc/cpuinfo");
  std::stringstream text;
  text << in.rdbuf();
  if (!core::cpuinfo_has_invariant_tsc(text.str())) {
    return std::string(
        "the TSC is not invariant (/proc/cpuinfo lacks constant_tsc or nonstop_tsc): its ticks are not time, "
        "so no latency figure would mean anything. On a VM expose it to the guest (KVM: -cpu host,+invtsc); "
        "`tickpath audit` shows the flags");
  }
  core::CalibrationResult r = core::calibrate(std::chrono::milliseconds(100));
  if (!r.ok) return fmt::format("TSC calibration against CLOCK_MONOTONIC_RAW failed: {}", r.error);
  return r;
}

nlohmann::json clock_facts(const core::CalibrationResult& c) {
  return {{"reference", "CLOCK_MONOTONIC_RAW"},
          {"tsc_hz", c.calibration.hz()},
          {"error_ppm", c.error_ppm},
          {"invariant_tsc", true},  // prove_tsc() refused to start otherwise
          {"calibration_window_ns", static_cast<double>(c.end.raw_ns - c.start.raw_ns)},
          {"bracket_ticks", {c.start.width, c.end.width}},
          {"note", "rate from the narrowest of 64 bracketed CLOCK_MONOTONIC_RAW reads at each end of a 100 ms window; "
                   "error_ppm bounds it from the brackets' widths"}};
}

void add_drift(nlohmann::json& clock, const core::CalibrationResult& c) {
  const core::ClockDrift d = core::measure_drift(c);
  clock["drift"] = {{"since_calibration_s", d.elapsed_ns / 1e9},
                    {"drift_ns", d.drift_ns},
                    {"drift_ppm", d.drift_ppm},
                    {"note", "TSC-derived time minus CLOCK_MONOTONIC_RAW at the end of the run; a stage figure's "
                             "rate error is at most |drift_ppm| + error_ppm of its value"}};
}

WallClockPair read_wall_clock_pair() {
  WallClockPair best;
  for (int i = 0; i < 16; ++i) {
    timespec ts{};
    const core::Ticks before = core::tsc_now();
    ::clock_gettime(CLOCK_REALTIME, &ts);
    const core::Ticks after = core::tsc_now();
    if (i == 0 || after - before < best.window) {
      best.window = after - before;
      best.tsc = before + (after - before) / 2;
      best.realtime_ns = static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
    }
  }
  return best;
}

control::WallClockMap measure_wall_clock(const WallClockPair& first, const core::TscCalibration& calibration) {
  control::WallClockMap map;
  if (!core::kClockIsTsc || calibration.hz() <= 0 || first.realtime_ns == 0) return map;
  const WallClockPair p = read_wall_clock_pair();
  map.valid = true;
  map.realtime_base_ns = p.realtime_ns;
  map.tsc_base = p.tsc;
  const std::uint64_t span_ns = p.realtime_ns - first.realtime_ns;
  map.ticks_per_ns = span_ns >= 50'000'000 && p.tsc > first.tsc
                         ? static_cast<double>(p.tsc - first.tsc) / static_cast<double>(span_ns)
                         : calibration.hz() / 1e9;
  return map;
}

nlohmann::json wall_clock_facts(const control::WallClockMap& map, const core::TscCalibration& calibration) {
  if (!map.valid) return {{"enabled", false}};
  const WallClockPair end = read_wall_clock_pair();
  // Positive: at the end, CLOCK_REALTIME is ahead of what the map predicts for this TSC.
  const double predicted_ns = static_cast<double>(static_cast<std::int64_t>(end.tsc - map.tsc_base)) / map.ticks_per_ns;
  const double actual_ns = static_cast<double>(static_cast<std::int64_t>(end.realtime_ns - map.realtime_base_ns));
  const double drift_ns = actual_ns - predicted_ns;
  return {{"enabled", true},
          {"map_taken_at_ns", map.realtime_base_ns},
          {"map_window_ns", calibration.to_ns(end.window)},
          {"elapsed_s", actual_ns / 1e9},
          {"drift_ns_at_end", drift_ns},
          {"drift_ppm", actual_ns > 0 ? drift_ns / actual_ns * 1e6 : 0.0},
          {"note", "wall_to_ack = ack (TSC mapped to CLOCK_REALTIME at start-up) - sender's send_ns; its error "
                   "is this drift plus, across hosts, the PTP offset between the two hosts' clocks"}};
}

}  // namespace tickpath::runtime

#include "apps/tickpath/run_clock.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

namespace tickpath::app {

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

NicClockPair read_nic_clock_pair(const platform::Port& port, int tries) {
  NicClockPair best;
  for (int i = 0; i < tries; ++i) {
    const core::Ticks before = core::tsc_now_fenced();
    const auto nic = port.read_clock();
    const core::Ticks after = core::tsc_now_fenced();
    if (!nic || after < before) continue;
    if (!best.ok || after - before < best.width) best = {*nic, before + (after - before) / 2, after - before, true};
  }
  return best;
}

control::NicClockMap measure_nic_clock(const platform::Port& port) {
  control::NicClockMap map;
  if (port.timestamp_offset() < 0) return map;
  const NicClockPair a = read_nic_clock_pair(port);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const NicClockPair b = read_nic_clock_pair(port);
  if (!a.ok || !b.ok || b.nic <= a.nic || b.tsc <= a.tsc) return map;
  map.valid = true;
  map.nic_base = b.nic;
  map.tsc_base = b.tsc;
  map.ticks_per_unit = static_cast<double>(b.tsc - a.tsc) / static_cast<double>(b.nic - a.nic);
  return map;
}

nlohmann::json nic_clock_drift(const platform::Port& port, const control::NicClockMap& map,
                               const core::TscCalibration& calibration) {
  if (!map.valid) return nullptr;
  const NicClockPair now = read_nic_clock_pair(port);
  if (!now.ok) return nullptr;
  const auto error_ticks = static_cast<std::int64_t>(map.to_tsc(now.nic) - now.tsc);
  const double error_ns = static_cast<double>(error_ticks) * calibration.ns_per_tick();
  return {{"drift_ns_at_end", error_ns},
          {"bracket_ticks", now.width},
          {"note", "TSC the start-up map predicts for a NIC clock reading at the end minus the TSC read with it; "
                   "nic_to_ingest's error grows to this over the run"}};
}

}  // namespace tickpath::app

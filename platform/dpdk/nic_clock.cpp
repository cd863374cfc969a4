#include "platform/dpdk/nic_clock.hpp"

#include <chrono>
#include <thread>

namespace tickpath::platform {
namespace {

// One NIC clock reading bracketed by two TSC reads: `tsc` is their midpoint, `width` the bracket
// (the pair's uncertainty). Not ok when the clock could not be read.
struct NicClockPair {
  std::uint64_t nic = 0;
  core::Ticks tsc = 0;
  core::Ticks width = 0;
  bool ok = false;
};

// The narrowest bracket of `tries` readings.
NicClockPair read_nic_clock_pair(const Port& port, int tries = 16) {
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

}  // namespace

control::NicClockMap measure_nic_clock(const Port& port) {
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

nlohmann::json nic_clock_drift(const Port& port, const control::NicClockMap& map,
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

}  // namespace tickpath::platform

// Time: invariant TSC, the TSC rate measured against clock_gettime, and the kernel clocksource.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/time/calibration.hpp"
#include "platform/audit/checks.hpp"

namespace tickpath::platform::audit {
namespace {

Row invariant_tsc(const AuditContext& ctx) {
  const std::string name = "tsc.invariant";
  const std::string expected = "constant_tsc nonstop_tsc";
  if (ctx.cpu_flags.empty()) return skip_row(name, "no cpu flags in /proc/cpuinfo (not x86?)", expected);
  std::vector<std::string> missing;
  for (const char* f : {"constant_tsc", "nonstop_tsc"}) {
    if (!has_flag(ctx, f)) missing.emplace_back(f);
  }
  if (missing.empty()) return make_row(Status::pass, name, expected, expected, "");
  return make_row(Status::fail, name, fmt::format("missing {}", fmt::join(missing, " ")), expected,
                  ctx.hypervisor ? "expose invariant TSC to the guest (KVM: -cpu host,+invtsc)"
                                 : "a CPU with invariant TSC; without it ticks are not time");
}

// The nominal frequency Intel prints in the model name ("... @ 3.00GHz") is the TSC rate on
// every Intel part with invariant TSC; other vendors print none.
std::optional<double> nominal_mhz(const HostFs& fs) {
  auto cpuinfo = fs.read("/proc/cpuinfo");
  if (!cpuinfo) return std::nullopt;
  const auto at = cpuinfo->find("model name");
  if (at == std::string::npos) return std::nullopt;
  const std::string line = cpuinfo->substr(at, cpuinfo->find('\n', at) - at);
  const auto sign = line.rfind("@ ");
  if (sign == std::string::npos || line.size() < sign + 5 || line.compare(line.size() - 3, 3, "GHz") != 0) return std::nullopt;
  try {
    return std::stod(line.substr(sign + 2, line.size() - sign - 5)) * 1000.0;
  } catch (...) {
    return std::nullopt;
  }
}

Row tsc_frequency(const AuditContext& ctx) {
  const std::string name = "tsc.frequency";
  constexpr int kWindows = 4;
  constexpr auto kWindow = std::chrono::milliseconds(50);
  constexpr double kMaxSpreadPpm = 1000;  // 0.1%: far above calibration error, far below drift
  const std::string expected = fmt::format("{} x {} ms windows agree within {:.0f} ppm", kWindows, kWindow.count(), kMaxSpreadPpm);
  if (!ctx.fs.is_live()) {
    return skip_row(name, fmt::format("live measurement: not possible for --root {}", ctx.fs.root()), expected);
  }
  if (!core::kClockIsTsc) return skip_row(name, "no TSC on this architecture", expected);
  if (ctx.cpu_flags.empty() || !has_flag(ctx, "tsc")) return skip_row(name, "no tsc flag in /proc/cpuinfo", expected);
  std::vector<double> mhz;
  for (int i = 0; i < kWindows; ++i) mhz.push_back(core::TscCalibration::measure(kWindow).hz() / 1e6);
  std::sort(mhz.begin(), mhz.end());
  const double median = (mhz[kWindows / 2 - 1] + mhz[kWindows / 2]) / 2;
  const double spread_ppm = (mhz.back() - mhz.front()) / median * 1e6;
  std::string found = fmt::format("{:.2f} MHz, spread {:.0f} ppm", median, spread_ppm);
  Status status = spread_ppm <= kMaxSpreadPpm ? Status::pass : Status::warn;
  std::string hint = status == Status::pass ? "" : "a TSC that changes rate is not invariant; check tsc.invariant and the BIOS";
  if (auto nominal = nominal_mhz(ctx.fs)) {
    const double off = std::abs(median - *nominal) / *nominal;
    found += fmt::format(", model name says {:.0f} MHz", *nominal);
    if (off > 0.01) {
      status = Status::warn;
      hint = "the TSC runs off the nominal rate: check dmesg for 'tsc: Marking TSC unstable' and the BIOS";
    }
  }
  if (ctx.hypervisor) found += " (VM: steal time widens the spread)";
  return make_row(status, name, found, expected, hint);
}

Row clocksource(const AuditContext& ctx) {
  const std::string name = "clocksource";
  const std::string path = "/sys/devices/system/clocksource/clocksource0/current_clocksource";
  auto current = ctx.fs.read_line(path);
  if (!current) return skip_row(name, "no " + path, "tsc");
  if (*current == "tsc") return make_row(Status::pass, name, "tsc", "tsc", "");
  return make_row(Status::warn, name, *current, "tsc",
                  fmt::format("echo tsc > {} (boot: clocksource=tsc tsc=reliable)", path));
}

}  // namespace

void add_time_checks(const AuditContext& ctx, std::vector<Row>& rows) {
  run_checks(ctx, rows, {invariant_tsc, tsc_frequency, clocksource});
}

}  // namespace tickpath::platform::audit

#include "apps/tickpath/selftest_command.hpp"

#include <cstdio>
#include <string>
#include <variant>

#include <fmt/format.h>

#include "apps/tickpath/cli_error.hpp"
#include "control/selftest/selftest.hpp"
#include "control/selftest/truth_source.hpp"
#include "runtime/run_clock.hpp"
#include "runtime/selftest_run.hpp"

namespace tickpath::app {

int selftest_command(const SelftestOptions& o) {
  namespace st = control::selftest;
  if (!(o.rate > 0) || !(o.duration_s > 0) || o.stall_ms < 0) return fail(2, "selftest: --rate and --duration must be > 0");
  auto proven = runtime::prove_tsc();
  if (auto* error = std::get_if<std::string>(&proven)) return fail(2, *error);
  const core::CalibrationResult& clock = std::get<core::CalibrationResult>(proven);
  const core::TscCalibration& cal = clock.calibration;

  const auto window_events = static_cast<std::uint64_t>(o.rate * o.duration_s);
  const std::uint64_t total = window_events + o.warmup_steps;
  st::TruthPlan plan;
  plan.rate = o.rate;
  plan.ticks_per_second = cal.hz();
  plan.stall_at = o.warmup_steps + window_events / 3;
  plan.stall_ticks = cal.to_ticks(o.stall_ms * 1e6);
  fmt::print("selftest: {} frames at {:.0f}/s ({} warmup), injected delays 2-12 us + outliers {:.0f} ms / {:.0f} ms, "
             "a {:.1f} ms stall of the ingest loop at frame {}; TSC {:.6f} GHz +- {:.2f} ppm (CLOCK_MONOTONIC_RAW)\n",
             total, o.rate, o.warmup_steps, plan.outlier_small_ns / 1e6, plan.outlier_large_ns / 1e6, o.stall_ms,
             plan.stall_at, cal.hz() / 1e9, clock.error_ppm);
  std::fflush(stdout);

  auto ran = runtime::run_selftest(plan, window_events, o.warmup_steps, cal);
  if (auto* error = std::get_if<std::string>(&ran)) return fail(1, *error);
  const runtime::SelftestRun& run = std::get<runtime::SelftestRun>(ran);
  const st::SelftestResult& result = run.result;
  fmt::print("{}", st::format_selftest(result));
  fmt::print("execution consumer: consumed {} lost {}; truth sink kept {} in-window acks\n", run.consumed, run.lost, run.kept);
  if (result.ok()) {
    fmt::print("selftest: PASS (every figure within 1% + one histogram bucket of the truth)\n");
    return 0;
  }
  for (const std::string& f : result.failures) fmt::print(stderr, "selftest: FAIL: {}\n", f);
  return 1;
}

}  // namespace tickpath::app

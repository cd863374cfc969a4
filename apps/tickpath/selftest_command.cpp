#include "apps/tickpath/selftest_command.hpp"

#include <atomic>
#include <cstdio>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "apps/tickpath/cli_error.hpp"
#include "runtime/pipeline.hpp"
#include "control/failure/scenario.hpp"
#include "control/failure/schedule.hpp"
#include "control/metrics/analytics.hpp"
#include "control/selftest/selftest.hpp"
#include "control/selftest/truth_sink.hpp"
#include "control/selftest/truth_source.hpp"
#include "core/ingest/decoder.hpp"
#include "runtime/idle.hpp"
#include "runtime/run_clock.hpp"
#include "runtime/warmup.hpp"

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

  // The same parts as `run`, built before the threads start. The ring lives in ordinary memory
  // (no EAL, no hugepages): the selftest proves the measurement chain, not the NIC.
  std::vector<std::byte> frame(64, std::byte{0x5A});
  const std::vector<core::FrameView> views(1, core::FrameView{frame.data(), 64, 0});
  st::TruthSource source(views, plan);
  core::RawDecoder decoder;
  auto sink = std::make_unique<st::TruthSink>(total);
  std::vector<core::BroadcastRing<core::Event>::Slot> slots(std::size_t{1} << 16);
  core::BroadcastRing<core::Event> ring(slots);
  core::Lifecycle lifecycle;
  runtime::WarmupController warmup(lifecycle, o.warmup_steps);
  control::FailureInjector failures(lifecycle);
  control::FailureSchedule schedule(failures, {});
  control::AnalyticsHandler analytics;
  auto counters = std::make_unique<runtime::PipelineCounters>();
  if (auto r = warmup.start(); !r) return fail(1, r.error().message());
  using SelftestPipeline = runtime::Pipeline<st::TruthSource, core::RawDecoder, st::TruthSink, runtime::PauseIdle>;
  auto pipeline = std::make_unique<SelftestPipeline>(ring, source, decoder, *sink, lifecycle, warmup, schedule, analytics,
                                                     *counters, 32);
  std::atomic<bool> stop{false};
  const runtime::PinFunction no_pin = [](int, const char*, runtime::ThreadRole) { return std::string(); };
  pipeline->start(runtime::ThreadPlacement{0, 1, 0}, no_pin, stop, total, false);
  pipeline->join();

  const st::SelftestResult result = st::judge(source, *sink, counters->decisions.window_acked.load(), cal);
  fmt::print("{}", st::format_selftest(result));
  fmt::print("execution consumer: consumed {} lost {}; truth sink kept {} in-window acks\n",
             counters->execution.consumed.load(), counters->execution.lost.load(), sink->count());
  if (result.ok()) {
    fmt::print("selftest: PASS (every figure within 1% + one histogram bucket of the truth)\n");
    return 0;
  }
  for (const std::string& f : result.failures) fmt::print(stderr, "selftest: FAIL: {}\n", f);
  return 1;
}

}  // namespace tickpath::app

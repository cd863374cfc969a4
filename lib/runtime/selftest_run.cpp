#include "runtime/selftest_run.hpp"

#include <atomic>
#include <memory>
#include <vector>

#include "control/failure/scenario.hpp"
#include "control/failure/schedule.hpp"
#include "control/metrics/analytics.hpp"
#include "control/selftest/truth_sink.hpp"
#include "core/ingest/decoder.hpp"
#include "runtime/idle.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/warmup.hpp"

namespace tickpath::runtime {

std::variant<SelftestRun, std::string> run_selftest(const control::selftest::TruthPlan& plan, std::uint64_t window_events,
                                                    unsigned warmup_steps, const core::TscCalibration& cal) {
  namespace st = control::selftest;
  const std::uint64_t total = window_events + warmup_steps;
  // Built before the threads start, as in `run`.
  std::vector<std::byte> frame(64, std::byte{0x5A});
  const std::vector<core::FrameView> views(1, core::FrameView{frame.data(), 64, 0});
  st::TruthSource source(views, plan);
  core::RawDecoder decoder;
  auto sink = std::make_unique<st::TruthSink>(total);
  std::vector<core::BroadcastRing<core::Event>::Slot> slots(std::size_t{1} << 16);
  core::BroadcastRing<core::Event> ring(slots);
  core::Lifecycle lifecycle;
  WarmupController warmup(lifecycle, warmup_steps);
  control::FailureInjector failures(lifecycle);
  control::FailureSchedule schedule(failures, {});
  control::AnalyticsHandler analytics;
  auto counters = std::make_unique<PipelineCounters>();
  if (auto r = warmup.start(); !r) return r.error().message();
  using SelftestPipeline = Pipeline<st::TruthSource, core::RawDecoder, st::TruthSink, PauseIdle>;
  auto pipeline = std::make_unique<SelftestPipeline>(ring, source, decoder, *sink, lifecycle, warmup, schedule, analytics,
                                                     *counters, 32);
  std::atomic<bool> stop{false};
  const PinFunction no_pin = [](int, const char*, ThreadRole) { return std::string(); };
  pipeline->start(ThreadPlacement{0, 1, 0}, no_pin, stop, total, false);
  pipeline->join();
  return SelftestRun{st::judge(source, *sink, counters->decisions.window_acked.load(), cal),
                     counters->execution.consumed.load(), counters->execution.lost.load(), sink->count()};
}

}  // namespace tickpath::runtime

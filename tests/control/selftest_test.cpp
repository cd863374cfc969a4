// Coordinated omission and the selftest's judgement, on the real stage, ring, executor and sink
// in one thread (run_ingest_and_execution). A paced run with one known stall of the ingest loop
// must report the queueing the stall caused: every frame due during it waited until it ended.
// Assertions are lower bounds that follow from the injected stall alone; a busy machine only adds
// latency, never removes it, so they hold however noisy the host.
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "control/metrics/metrics_sink.hpp"
#include "control/selftest/selftest.hpp"
#include "control/selftest/truth_sink.hpp"
#include "control/selftest/truth_source.hpp"
#include "core/bus/broadcast_ring.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/execution/execution_handler.hpp"
#include "core/execution/executor.hpp"
#include "core/ingest/decoder.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "core/state/lifecycle.hpp"
#include "core/time/calibration.hpp"
#include "runtime/idle.hpp"
#include "runtime/loops.hpp"

namespace tickpath::control {
namespace {

using namespace tickpath::core;

// Wraps a source: when frame `at` is next, spins `ticks` once before delivering it (a stall of
// the ingest loop: a preemption, a page fault, a slow poll).
template <FrameSource Inner>
struct StallOnce {
  Inner* inner;
  std::uint64_t at;
  Ticks ticks;
  std::uint64_t delivered = 0;
  bool stalled = false;
  std::size_t receive(std::span<FrameView> out) noexcept {
    if (!stalled && delivered + out.size() > at) {
      if (delivered < at) out = out.first(at - delivered);  // stop just before the stall's frame
      else {
        const Ticks t0 = tsc_now();
        while (tsc_now() - t0 < ticks) {
        }
        stalled = true;
      }
    }
    const std::size_t n = inner->receive(out);
    delivered += n;
    return n;
  }
  void release() noexcept { inner->release(); }
};

// ring -> executor -> sink, everything on this thread, the lifecycle READY from the start.
template <FrameSource Source, class Sink>
void run_one_thread(Source& source, Sink& sink, std::uint64_t events, ConsumerCounters& consumer,
                    ExecutionCounters& exec) {
  std::vector<BroadcastRing<Event>::Slot> slots(std::size_t{1} << 17);
  BroadcastRing<Event> ring(slots);
  RawDecoder decoder;
  IngestCounters ingest;
  IngestStage<Source, RawDecoder> stage(source, decoder, ring, ingest, 32);
  Lifecycle lifecycle;
  ASSERT_TRUE(lifecycle.transition(LifecycleState::warmup).ok);
  ASSERT_TRUE(lifecycle.transition(LifecycleState::ready).ok);
  Executor<Sink> executor(lifecycle.view(), sink);
  ExecutionHandler<Sink> handler(executor, exec);
  ConsumerLoop<Event, ExecutionHandler<Sink>> loop(ring, handler, consumer);
  std::atomic<bool> stop{false};
  runtime::run_ingest_and_execution(stage, loop, ingest, stop, events, runtime::SpinIdle{});
}

TEST(CoordinatedOmission, APacedRunWithAStallReportsTheQueueingInP99AndMax) {
  const CalibrationResult clock = calibrate(std::chrono::milliseconds(50));
  ASSERT_TRUE(clock.ok) << clock.error;
  const double hz = clock.calibration.hz();
  constexpr double kRate = 200'000;          // frames per second
  constexpr std::uint64_t kEvents = 60'000;  // 300 ms of schedule
  constexpr double kStallS = 0.030;          // 30 ms: 6 000 frames fall due during it (10%)
  const std::vector<std::byte> bytes(64, std::byte{1});
  const std::vector<FrameView> views(4, FrameView{bytes.data(), 64, 0});
  SyntheticSource synthetic(views);
  StallOnce<SyntheticSource> stalling{&synthetic, 20'000, static_cast<Ticks>(kStallS * hz)};
  PacedSource<StallOnce<SyntheticSource>> paced(stalling, kRate, hz);
  auto sink = std::make_unique<MetricsSink>();
  ConsumerCounters consumer;
  ExecutionCounters exec;
  run_one_thread(paced, *sink, kEvents, consumer, exec);
  ASSERT_TRUE(stalling.stalled);
  const HistogramSnapshot s = sink->ingest_to_ack().snapshot();
  ASSERT_GE(s.count(), kEvents);
  const auto stall = static_cast<std::uint64_t>(kStallS * hz);
  // The frame due when the stall began waited all of it; the 6 000 due during it waited on
  // average half of it, so more than 1% of all frames waited at least half the stall.
  EXPECT_GE(s.max(), stall * 9 / 10) << "max " << clock.calibration.to_ns(s.max()) << " ns";
  EXPECT_GE(s.value_at_percentile(99.0), stall / 2) << "p99 " << clock.calibration.to_ns(s.value_at_percentile(99.0)) << " ns";
  std::uint64_t over_half = 0;
  const auto counts = s.bucket_counts();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (s.layout().highest(i) >= stall / 2) over_half += counts[i];
  }
  EXPECT_GE(over_half, static_cast<std::uint64_t>(kRate * kStallS / 2 * 0.9)) << "frames that waited >= half the stall";
}

TEST(CoordinatedOmission, AnUnpacedSourceHasNoDueTimeAndStartsAtTheRxStamp) {
  const std::vector<std::byte> bytes(64, std::byte{1});
  const std::vector<FrameView> views(4, FrameView{bytes.data(), 64, 0});
  SyntheticSource synthetic(views);
  std::array<FrameView, 8> out{};
  ASSERT_EQ(synthetic.receive(out), 8u);
  for (const FrameView& f : out) EXPECT_EQ(f.due_tsc, 0u) << "no schedule, no due time";
}

TEST(Selftest, AnHonestRunPassesAndEveryFrameDueInTheStallShowsItsWait) {
  const CalibrationResult clock = calibrate(std::chrono::milliseconds(50));
  ASSERT_TRUE(clock.ok) << clock.error;
  selftest::TruthPlan plan;
  plan.rate = 200'000;
  plan.ticks_per_second = clock.calibration.hz();
  plan.stall_at = 30'000;
  plan.stall_ticks = clock.calibration.to_ticks(10e6);  // 10 ms
  const std::vector<std::byte> bytes(64, std::byte{1});
  const std::vector<FrameView> views(1, FrameView{bytes.data(), 64, 0});
  selftest::TruthSource source(views, plan);
  constexpr std::uint64_t kEvents = 120'000;  // 600 ms: 12 small outliers, 1 large
  auto sink = std::make_unique<selftest::TruthSink>(kEvents + 64);
  ConsumerCounters consumer;
  ExecutionCounters exec;
  run_one_thread(source, *sink, kEvents, consumer, exec);
  const selftest::SelftestResult r = selftest::judge(source, *sink, exec.window_acked.load(), clock.calibration);
  for (const std::string& f : r.failures) ADD_FAILURE() << f;
  EXPECT_GE(r.injected.due_in_stall, 1'500u) << "10 ms at 200 000/s";
  EXPECT_EQ(r.injected.stall_not_shown, 0u);
  EXPECT_GE(r.injected.largest_injected_ns, 8e6) << "the large outlier was in the run";
  EXPECT_EQ(r.figures.size(), 4u * 5u);
}

TEST(Selftest, JudgingAgainstTheWrongTruthFailsAndSaysWhy) {
  const CalibrationResult clock = calibrate(std::chrono::milliseconds(50));
  ASSERT_TRUE(clock.ok) << clock.error;
  selftest::TruthPlan plan;
  plan.rate = 100'000;
  plan.ticks_per_second = clock.calibration.hz();
  const std::vector<std::byte> bytes(64, std::byte{1});
  const std::vector<FrameView> views(1, FrameView{bytes.data(), 64, 0});
  selftest::TruthSource source(views, plan);
  auto sink = std::make_unique<selftest::TruthSink>(20'064);
  ConsumerCounters consumer;
  ExecutionCounters exec;
  run_one_thread(source, *sink, 20'000, consumer, exec);
  ASSERT_TRUE(selftest::judge(source, *sink, exec.window_acked.load(), clock.calibration).ok());
  // A truth that claims 100 ms more delay per frame than was injected: every ack is "too fast".
  selftest::TruthPlan claimed = plan;
  claimed.outlier_small_ns = 100e6;
  selftest::TruthSource wrong(views, claimed);
  std::array<FrameView, 1> one{};
  (void)wrong.receive(one);  // starts its clock (it has none of the real run's frames)
  const selftest::SelftestResult r = selftest::judge(wrong, *sink, exec.window_acked.load() + 1, clock.calibration);
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.failures.empty());
  EXPECT_NE(r.failures[0].find("in-window acks"), std::string::npos) << r.failures[0];
  EXPECT_GT(r.injected.below_injected, 0u) << "the small outliers' frames reported less than the claimed delay";
}

TEST(Selftest, ExactPercentilesUseHdrHistogramsCeilRank) {
  std::vector<Ticks> v(158, 1'000);
  v.push_back(50'000);
  v.push_back(60'000);
  EXPECT_EQ(selftest::exact_percentile(v, 99.0), 50'000u);
  EXPECT_EQ(selftest::exact_percentile(v, 98.0), 1'000u);
  EXPECT_EQ(selftest::exact_percentile(v, 100.0), 60'000u);
}

}  // namespace
}  // namespace tickpath::control

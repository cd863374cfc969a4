#include <atomic>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/execution/execution_handler.hpp"
#include "core/ingest/decoder.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "runtime/idle.hpp"
#include "runtime/loops.hpp"

namespace tickpath::runtime {
namespace {

using namespace tickpath::core;

// Records the executed flag of every ack by event sequence.
struct FlagSink {
  std::vector<std::uint8_t>* flags;
  void observe(const Event& e, const Ack& a) noexcept {
    if (e.seq < flags->size()) (*flags)[e.seq] = static_cast<std::uint8_t>(a.executed + 1);
  }
};

struct Pipeline {
  explicit Pipeline(std::uint64_t warmup_steps, std::size_t ring_slots = 4096)
      : slots(ring_slots), ring(slots), warmup(lifecycle, warmup_steps) {
    frame_bytes.assign(64, std::byte{0x5A});
    views.assign(8, FrameView{frame_bytes.data(), 64, 0});
    source.emplace(views);
    stage.emplace(*source, decoder, ring, ingest_counters, 32);
  }
  std::vector<BroadcastRing<Event>::Slot> slots;
  BroadcastRing<Event> ring;
  Lifecycle lifecycle;
  WarmupController warmup;
  std::vector<std::byte> frame_bytes;
  std::vector<FrameView> views;
  std::optional<SyntheticSource> source;
  RawDecoder decoder;
  IngestCounters ingest_counters;
  std::optional<IngestStage<SyntheticSource, RawDecoder>> stage;
};

TEST(ExecutionDriver, ExactlyTheWarmupStepsAreProvisionalThenEveryAckIsExecuted) {
  constexpr std::uint64_t kSteps = 1000;  // not a multiple of the 32-event batch
  Pipeline p(kSteps);
  ASSERT_TRUE(p.warmup.start().ok);
  std::vector<std::uint8_t> flags(5000, 0);
  FlagSink sink{&flags};
  Executor<FlagSink> executor(p.lifecycle.view(), sink);
  ExecutionCounters exec_counters;
  ExecutionHandler<FlagSink> handler(executor, exec_counters);
  ConsumerCounters counters;
  ConsumerLoop<Event, ExecutionHandler<FlagSink>> loop(p.ring, handler, counters);
  ExecutionDriver driver(loop, p.warmup, counters);
  std::atomic<bool> stop{false};
  run_ingest_and_execution(*p.stage, driver, p.ingest_counters, stop, 5000);

  ASSERT_GE(counters.consumed.load(), 5000u);
  for (std::uint64_t i = 0; i < 5000; ++i) {
    ASSERT_EQ(flags[i], i < kSteps ? 1 : 2) << "event " << i;
  }
  EXPECT_EQ(exec_counters.provisional.load(), kSteps);
  EXPECT_EQ(p.lifecycle.current(), LifecycleState::ready);
}

TEST(RunLoops, ConsumersDrainEverythingPublishedAfterIngestStops) {
  Pipeline p(0);
  ASSERT_TRUE(p.warmup.start().ok);
  NullSink sink;
  Executor<NullSink> executor(p.lifecycle.view(), sink);
  ExecutionCounters exec_counters;
  ExecutionHandler<NullSink> handler(executor, exec_counters);
  ConsumerCounters counters;
  ConsumerLoop<Event, ExecutionHandler<NullSink>> loop(p.ring, handler, counters);
  std::atomic<bool> stop{false};
  std::atomic<bool> ingest_done{false};

  std::thread consumer([&] { run_consumer(loop, ingest_done, PauseIdle{}); });
  std::thread ingest([&] {
    run_ingest(*p.stage, p.ingest_counters, stop, 200000, SpinIdle{});
    ingest_done.store(true, std::memory_order_release);
  });
  ingest.join();
  consumer.join();

  const std::uint64_t published = p.ring.published();
  EXPECT_GE(published, 200000u);
  EXPECT_EQ(counters.consumed.load() + counters.lost.load(), published);
  EXPECT_EQ(exec_counters.executed.load() + exec_counters.provisional.load(),
            counters.consumed.load());
}

TEST(RunLoops, IngestStopsWhenTheStopFlagIsSet) {
  Pipeline p(0);
  std::atomic<bool> stop{true};
  run_ingest(*p.stage, p.ingest_counters, stop, ~0ull, SpinIdle{});
  EXPECT_EQ(p.ingest_counters.frames.load(), 0u);
}

// An idle strategy that counts: proves the strategy chosen at start-up is the one the loops call
// (the config parser alone could not show that).
struct CountingIdle {
  static constexpr std::string_view kName = "counting";
  int* idles;
  int* resets;
  std::atomic<bool>* stop_after_ten = nullptr;
  void operator()() noexcept {
    ++*idles;
    if (stop_after_ten != nullptr && *idles == 10) stop_after_ten->store(true, std::memory_order_relaxed);
  }
  void reset() noexcept { ++*resets; }
};

// Works for its first three polls, then finds nothing; says "ingest done" on its fifth empty poll.
struct ScriptedConsumer {
  std::atomic<bool>* done;
  int polls = 0;
  int empty = 0;
  bool poll() noexcept {
    if (++polls <= 3) return true;
    if (++empty == 5) done->store(true, std::memory_order_release);
    return false;
  }
};

struct IdleStage {
  bool poll() noexcept { return false; }
};

TEST(IdleStrategy, TheConsumerLoopIdlesOnEveryEmptyPollAndResetsAfterWork) {
  std::atomic<bool> done{false};
  ScriptedConsumer consumer{&done};
  int idles = 0;
  int resets = 0;
  run_consumer(consumer, done, CountingIdle{&idles, &resets});
  EXPECT_EQ(resets, 3);
  EXPECT_EQ(idles, 4) << "empty polls 1-4 idle; the 5th sees ingest done and drains";
}

TEST(IdleStrategy, TheSharedHotLoopIdlesOnlyWhenNeitherRoleFoundWork) {
  IdleStage stage;
  std::atomic<bool> unused{false};
  ScriptedConsumer consumer{&unused};
  IngestCounters counters;
  std::atomic<bool> stop{false};
  int idles = 0;
  int resets = 0;
  run_ingest_and_execution(stage, consumer, counters, stop, ~0ull, CountingIdle{&idles, &resets, &stop});
  EXPECT_EQ(resets, 1) << "the first pass found the consumer's three events";
  EXPECT_EQ(idles, 10);
}

TEST(IdleStrategy, TheIngestLoopIdlesWhenTheSourceIsEmpty) {
  IdleStage stage;
  IngestCounters counters;
  std::atomic<bool> stop{false};
  int idles = 0;
  int resets = 0;
  run_ingest(stage, counters, stop, ~0ull, CountingIdle{&idles, &resets, &stop});
  EXPECT_EQ(idles, 10);
  EXPECT_EQ(resets, 0);
}

}  // namespace
}  // namespace tickpath::runtime

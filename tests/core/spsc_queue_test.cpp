// The SPSC queue on one thread: capacity checks, full and empty, order across the wrap point,
// batch limits, and the ack-log tee that drops and counts when the queue is full.
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "core/bus/spsc_queue.hpp"
#include "core/execution/ack_log_sink.hpp"

namespace tickpath::core {
namespace {

std::vector<std::uint64_t> drain(SpscQueue<std::uint64_t>& q, std::size_t max = SIZE_MAX) {
  std::vector<std::uint64_t> out;
  (void)q.consume(max, [&](const std::uint64_t& v) { out.push_back(v); });
  return out;
}

TEST(SpscQueue, RejectsACapacityThatIsNotAPowerOfTwo) {
  EXPECT_THROW(SpscQueue<std::uint64_t>(6), std::invalid_argument);
  EXPECT_THROW(SpscQueue<std::uint64_t>(1), std::invalid_argument);
  EXPECT_THROW(SpscQueue<std::uint64_t>(0), std::invalid_argument);
  EXPECT_NO_THROW(SpscQueue<std::uint64_t>(8));
}

TEST(SpscQueue, FullQueueRefusesThePushUntilTheConsumerFreesASlot) {
  SpscQueue<std::uint64_t> q(4);
  for (std::uint64_t i = 0; i < 4; ++i) EXPECT_TRUE(q.try_push(i));
  EXPECT_FALSE(q.try_push(99)) << "a full queue must refuse, not overwrite";
  EXPECT_EQ(drain(q, 1), std::vector<std::uint64_t>{0});
  EXPECT_TRUE(q.try_push(4));
  EXPECT_FALSE(q.try_push(5));
  EXPECT_EQ(drain(q), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(q.pushed(), 5u);
  EXPECT_EQ(q.consumed(), 5u);
}

TEST(SpscQueue, EmptyQueueConsumesNothingAndDoesNotCallTheFunction) {
  SpscQueue<std::uint64_t> q(4);
  int calls = 0;
  EXPECT_EQ(q.consume(10, [&](const std::uint64_t&) { ++calls; }), 0u);
  EXPECT_EQ(calls, 0);
}

TEST(SpscQueue, ElementsComeOutInPushOrderAcrossManyWraps) {
  SpscQueue<std::uint64_t> q(8);
  std::uint64_t next_in = 0;
  std::uint64_t next_out = 0;
  // Uneven push/consume counts so the indices cross the wrap point at every offset.
  for (int round = 0; round < 1000; ++round) {
    const int pushes = 1 + round % 7;
    for (int i = 0; i < pushes && q.try_push(next_in); ++i) ++next_in;
    for (std::uint64_t v : drain(q, 1 + round % 5)) {
      ASSERT_EQ(v, next_out);
      ++next_out;
    }
  }
  for (std::uint64_t v : drain(q)) EXPECT_EQ(v, next_out++);
  EXPECT_EQ(next_out, next_in);
  EXPECT_GT(next_in, 8u * 100) << "the test must wrap the queue many times";
}

TEST(SpscQueue, ConsumeTakesAtMostMax) {
  SpscQueue<std::uint64_t> q(16);
  for (std::uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(q.try_push(i));
  EXPECT_EQ(drain(q, 3).size(), 3u);
  EXPECT_EQ(drain(q, 100).size(), 7u);
}

struct CountingInner {
  void observe(const Event&, const Ack&) noexcept { ++seen; }
  std::uint64_t seen = 0;
};

TEST(AckLogSink, FeedsTheInnerSinkAndTheQueueAndCountsWhatTheFullQueueDrops) {
  AckLogSink<CountingInner> sink(4);
  Event event{};
  for (std::uint64_t i = 0; i < 10; ++i) {
    Ack ack{};
    ack.event_seq = i;
    sink.observe(event, ack);
  }
  EXPECT_EQ(sink.inner().seen, 10u) << "the inner sink sees every ack, logged or not";
  EXPECT_EQ(sink.dropped().load(), 6u);
  std::vector<std::uint64_t> logged;
  (void)sink.queue().consume(100, [&](const Ack& a) { logged.push_back(a.event_seq); });
  EXPECT_EQ(logged, (std::vector<std::uint64_t>{0, 1, 2, 3})) << "the oldest acks are kept, the newest dropped";
  Ack later{};
  later.event_seq = 10;
  sink.observe(event, later);
  EXPECT_EQ(sink.dropped().load(), 6u);
  EXPECT_EQ(sink.queue().pushed(), 5u);
}

}  // namespace
}  // namespace tickpath::core

// The broadcast ring, single-threaded: capacity rules, ordering, wrap-around, exact overrun
// accounting, explicit resync, independent consumers, and the ConsumerLoop's overrun policy
// (consumed + lost == published once drained).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/bus/broadcast_ring.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/bus/poll_result.hpp"
#include "tests/core/ring_harness.hpp"

namespace tickpath::core {
namespace {

using testing::Probe;
using testing::RingHarness;
using ProbeRing = BroadcastRing<Probe>;

// A minimal 8-byte element, to show the ring is not tied to one size.
struct Word {
  std::uint64_t value;
};
static_assert(RingElement<Word>);

void publish_range(ProbeRing& ring, std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t s = first; s < first + count; ++s) ring.publish(Probe::make(s));
}

// Single polls expecting exactly the sequences [first, last), then (by default) an empty poll.
void expect_polls(RingConsumer<Probe>& consumer, std::uint64_t first, std::uint64_t last,
                  bool then_empty = true) {
  for (std::uint64_t s = first; s < last; ++s) {
    const Polled<Probe> p = consumer.poll();
    ASSERT_TRUE(p.has_event()) << "expected sequence " << s;
    EXPECT_EQ(p.event.seq, s);
    EXPECT_TRUE(p.event.is_intact()) << s;
    EXPECT_EQ(consumer.cursor(), s + 1);
  }
  if (then_empty) {
    const Polled<Probe> p = consumer.poll();
    EXPECT_EQ(p.status, PollStatus::empty);
  }
}

// ---- capacity ----

TEST(RingCapacity, CheckCapacityAcceptsPowersOfTwoFromTwo) {
  for (std::size_t c = 2; c <= (std::size_t{1} << 20); c <<= 1) {
    EXPECT_EQ(ProbeRing::check_capacity(c), nullptr) << c;
  }
}

TEST(RingCapacity, CheckCapacityNamesTheProblem) {
  for (std::size_t c : {0u, 1u}) {
    const char* error = ProbeRing::check_capacity(c);
    ASSERT_NE(error, nullptr) << c;
    EXPECT_STREQ(error, "ring capacity must be at least 2 slots");
  }
  for (std::size_t c : {3u, 5u, 6u, 7u, 12u, 100u, 255u, 257u, 1000u}) {
    const char* error = ProbeRing::check_capacity(c);
    ASSERT_NE(error, nullptr) << c;
    EXPECT_STREQ(error, "ring capacity must be a power of two");
  }
}

TEST(RingCapacity, CheckCapacityIsConstexpr) {
  static_assert(ProbeRing::check_capacity(64) == nullptr);
  static_assert(ProbeRing::check_capacity(63) != nullptr);
  static_assert(ProbeRing::check_capacity(1) != nullptr);
  SUCCEED();
}

TEST(RingCapacity, ConstructorThrowsOnBadCapacity) {
  for (std::size_t c : {0u, 1u, 3u, 6u, 100u}) {
    EXPECT_THROW(RingHarness<Probe> h(c), std::invalid_argument) << c;
  }
  try {
    RingHarness<Probe> h(12);
    FAIL() << "capacity 12 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "ring capacity must be a power of two");
  }
  try {
    RingHarness<Probe> h(1);
    FAIL() << "capacity 1 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "ring capacity must be at least 2 slots");
  }
}

TEST(RingCapacity, ValidCapacityIsReportedAndStorageSizeMatches) {
  for (std::size_t c : {2u, 4u, 64u, 1024u}) {
    RingHarness<Probe> h(c);
    EXPECT_EQ(h.ring.capacity(), c);
    EXPECT_EQ(h.ring.next_sequence(), 0u);
    EXPECT_EQ(h.ring.published(), 0u);
  }
  EXPECT_EQ(ProbeRing::storage_bytes(8), 8 * sizeof(ProbeRing::Slot));
  EXPECT_EQ(sizeof(ProbeRing::Slot) % kCacheLine, 0u);
  EXPECT_EQ(sizeof(RingSlot<Word>), kCacheLine) << "even an 8-byte element owns its line";
}

// ---- basic order ----

TEST(Ring, PollOnAFreshRingIsEmpty) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> c(h.ring);
  const Polled<Probe> p = c.poll();
  EXPECT_EQ(p.status, PollStatus::empty);
  EXPECT_FALSE(p.has_event());
  EXPECT_EQ(p.lost, 0u);
  EXPECT_EQ(c.cursor(), 0u);
  std::array<Probe, 4> out{};
  const BurstResult b = c.poll_burst(out);
  EXPECT_EQ(b.status, PollStatus::empty);
  EXPECT_EQ(b.count, 0u);
  EXPECT_EQ(b.lost, 0u);
}

TEST(Ring, PollAfterDrainingIsEmptyAndKeepsTheCursor) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> c(h.ring);
  publish_range(h.ring, 0, 3);
  expect_polls(c, 0, 3);
  for (int i = 0; i < 3; ++i) {
    const Polled<Probe> p = c.poll();
    EXPECT_EQ(p.status, PollStatus::empty);
  }
  EXPECT_EQ(c.cursor(), 3u);
}

TEST(Ring, PublishThenPollDeliversInOrder) {
  RingHarness<Probe> h(16);
  RingConsumer<Probe> c(h.ring);
  publish_range(h.ring, 0, 10);
  EXPECT_EQ(h.ring.next_sequence(), 10u);
  EXPECT_EQ(h.ring.published(), 10u);
  expect_polls(c, 0, 10);
}

TEST(Ring, PolledHasEventOnlyForEvents) {
  Polled<Probe> p{};
  p.status = PollStatus::empty;
  EXPECT_FALSE(p.has_event());
  p.status = PollStatus::overrun;
  EXPECT_FALSE(p.has_event());
  p.status = PollStatus::events;
  EXPECT_TRUE(p.has_event());
}

TEST(Ring, PublishBurstIsVisibleAsOneUnit) {
  RingHarness<Probe> h(16);
  RingConsumer<Probe> c(h.ring);
  std::vector<Probe> burst;
  for (std::uint64_t s = 0; s < 7; ++s) burst.push_back(Probe::make(s));
  h.ring.publish_burst(burst);
  EXPECT_EQ(h.ring.next_sequence(), 7u);
  EXPECT_EQ(h.ring.published(), 7u);
  EXPECT_EQ(c.lag(), 7u);
  expect_polls(c, 0, 7);
}

TEST(Ring, EmptyPublishBurstChangesNothing) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> c(h.ring);
  h.ring.publish_burst(std::span<const Probe>{});
  EXPECT_EQ(h.ring.next_sequence(), 0u);
  EXPECT_EQ(h.ring.published(), 0u);
  EXPECT_EQ(c.poll().status, PollStatus::empty);
}

TEST(Ring, FillingExactlyToCapacityIsNotAnOverrun) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> c(h.ring);
  publish_range(h.ring, 0, 8);
  EXPECT_EQ(c.lag(), 8u);
  expect_polls(c, 0, 8);
}

TEST(Ring, WrapsAroundOverManyLaps) {
  for (std::size_t capacity : {4u, 8u}) {
    RingHarness<Probe> h(capacity);
    RingConsumer<Probe> c(h.ring);
    std::uint64_t next = 0;
    // Alternate between 1 and capacity events per lap so every slot offset is exercised.
    for (int lap = 0; lap < 500; ++lap) {
      const std::uint64_t n = 1 + static_cast<std::uint64_t>(lap) % capacity;
      publish_range(h.ring, next, n);
      for (std::uint64_t i = 0; i < n; ++i) {
        const Polled<Probe> p = c.poll();
        ASSERT_TRUE(p.has_event()) << "capacity " << capacity << " lap " << lap;
        ASSERT_EQ(p.event.seq, next + i);
        ASSERT_TRUE(p.event.is_intact());
      }
      next += n;
      ASSERT_EQ(c.poll().status, PollStatus::empty);
    }
    EXPECT_EQ(c.cursor(), next);
    EXPECT_GT(next, 100 * capacity) << "many laps";
  }
}

TEST(Ring, WrapsAroundWithBurstsStraddlingTheEnd) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> c(h.ring);
  std::uint64_t next = 0;
  std::array<Probe, 8> out{};
  for (int round = 0; round < 300; ++round) {
    std::vector<Probe> burst;
    const std::uint64_t n = 3 + static_cast<std::uint64_t>(round) % 6;  // 3..8, straddles often
    for (std::uint64_t i = 0; i < n; ++i) burst.push_back(Probe::make(next + i));
    h.ring.publish_burst(burst);
    const BurstResult r = c.poll_burst(out);
    ASSERT_EQ(r.status, PollStatus::events);
    ASSERT_EQ(r.count, n);
    for (std::uint64_t i = 0; i < n; ++i) {
      ASSERT_EQ(out[i].seq, next + i);
      ASSERT_TRUE(out[i].is_intact());
    }
    next += n;
  }
}

TEST(Ring, WorksWithAnEightByteElement) {
  RingHarness<Word> h(4);
  RingConsumer<Word> c(h.ring);
  for (std::uint64_t v = 0; v < 100; ++v) {
    h.ring.publish(Word{v * 3 + 1});
    const Polled<Word> p = c.poll();
    ASSERT_TRUE(p.has_event());
    EXPECT_EQ(p.event.value, v * 3 + 1);
  }
}

// ---- poll_burst ----

TEST(RingBurst, PartialCountsFollowTheOutputSizeAndWhatIsAvailable) {
  RingHarness<Probe> h(16);
  RingConsumer<Probe> c(h.ring);
  publish_range(h.ring, 0, 10);
  std::array<Probe, 4> out{};

  BurstResult r = c.poll_burst(out);  // 4 of 10
  ASSERT_EQ(r.status, PollStatus::events);
  EXPECT_EQ(r.count, 4u);
  EXPECT_EQ(r.lost, 0u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(out[i].seq, i);
  EXPECT_EQ(c.cursor(), 4u);

  r = c.poll_burst(std::span<Probe>(out.data(), 1));  // 1
  ASSERT_EQ(r.status, PollStatus::events);
  EXPECT_EQ(r.count, 1u);
  EXPECT_EQ(out[0].seq, 4u);

  r = c.poll_burst(out);  // 4 more
  ASSERT_EQ(r.status, PollStatus::events);
  EXPECT_EQ(r.count, 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(out[i].seq, 5 + i);

  r = c.poll_burst(out);  // only 1 left
  ASSERT_EQ(r.status, PollStatus::events);
  EXPECT_EQ(r.count, 1u);
  EXPECT_EQ(out[0].seq, 9u);
  EXPECT_EQ(c.cursor(), 10u);

  r = c.poll_burst(out);
  EXPECT_EQ(r.status, PollStatus::empty);
  EXPECT_EQ(r.count, 0u);
}

TEST(RingBurst, LargerOutputThanCapacityReturnsAtMostWhatWasPublished) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> c(h.ring);
  publish_range(h.ring, 0, 8);
  std::vector<Probe> out(32);
  const BurstResult r = c.poll_burst(out);
  ASSERT_EQ(r.status, PollStatus::events);
  EXPECT_EQ(r.count, 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(out[i].seq, i);
    EXPECT_TRUE(out[i].is_intact());
  }
}

// ---- overrun and resync ----

TEST(RingOverrun, ExactLostCountCursorUnchangedThenResyncToNewest) {
  for (std::uint64_t capacity : {4u, 8u, 64u}) {
    for (std::uint64_t k : {1u, 2u, 5u, 100u}) {
      SCOPED_TRACE("capacity " + std::to_string(capacity) + " k " + std::to_string(k));
      RingHarness<Probe> h(capacity);
      RingConsumer<Probe> c(h.ring);
      const std::uint64_t published = capacity + k;
      publish_range(h.ring, 0, published);
      EXPECT_EQ(c.lag(), published);

      const Polled<Probe> p = c.poll();
      EXPECT_EQ(p.status, PollStatus::overrun);
      EXPECT_FALSE(p.has_event());
      EXPECT_EQ(p.lost, k);
      EXPECT_EQ(c.cursor(), 0u) << "an overrun never moves the cursor";

      // Polling again without recovery reports the same overrun: it cannot be ignored.
      std::array<Probe, 4> out{};
      const BurstResult again = c.poll_burst(out);
      EXPECT_EQ(again.status, PollStatus::overrun);
      EXPECT_EQ(again.lost, k);
      EXPECT_EQ(again.count, 0u);
      EXPECT_EQ(c.cursor(), 0u);

      const std::uint64_t skipped = c.resync();
      EXPECT_EQ(skipped, published - 1);
      EXPECT_EQ(c.cursor(), published - 1);
      EXPECT_EQ(c.lag(), 1u);
      expect_polls(c, published - 1, published);  // the newest, then empty
    }
  }
}

TEST(RingOverrun, OverrunAfterPartialConsumptionCountsFromTheCursor) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> c(h.ring);
  publish_range(h.ring, 0, 5);
  expect_polls(c, 0, 3, /*then_empty=*/false);  // cursor 3; 3 and 4 pending
  publish_range(h.ring, 5, 9);                   // published 14: slots of 3..5 overwritten
  EXPECT_EQ(c.lag(), 11u);
  const Polled<Probe> p = c.poll();
  ASSERT_EQ(p.status, PollStatus::overrun);
  EXPECT_EQ(p.lost, 14u - 8u - 3u);
  EXPECT_EQ(c.cursor(), 3u);
  EXPECT_EQ(c.resync(), 13u - 3u);
  expect_polls(c, 13, 14);
}

TEST(RingOverrun, LostCountsOnlyTheOverwrittenSequences) {
  RingHarness<Probe> h(4);
  RingConsumer<Probe> c(h.ring);
  publish_range(h.ring, 0, 4);  // exactly full
  std::array<Probe, 4> out{};
  const BurstResult first = c.poll_burst(std::span<Probe>(out.data(), 1));
  ASSERT_EQ(first.status, PollStatus::events);
  EXPECT_EQ(out[0].seq, 0u);
  // Sequence 4 reuses the slot of 0, which was already consumed: cursor 1 is still readable.
  publish_range(h.ring, 4, 1);
  const BurstResult second = c.poll_burst(std::span<Probe>(out.data(), 1));
  ASSERT_EQ(second.status, PollStatus::events);
  EXPECT_EQ(out[0].seq, 1u);
  // Cursor 2. Sequences 5 and 6 overwrite 1 (consumed) and 2 (not): exactly one event is gone.
  publish_range(h.ring, 5, 2);
  const BurstResult lapped = c.poll_burst(out);
  ASSERT_EQ(lapped.status, PollStatus::overrun);
  EXPECT_EQ(lapped.lost, 1u);
  EXPECT_EQ(lapped.count, 0u);
  EXPECT_EQ(c.cursor(), 2u);
  EXPECT_EQ(c.resync(), 4u) << "2, 3, 4, 5 skipped to reach the newest (6)";
  expect_polls(c, 6, 7);
}

TEST(RingOverrun, ResyncWithoutOverrunIsHarmless) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> c(h.ring);
  EXPECT_EQ(c.resync(), 0u) << "nothing published";
  EXPECT_EQ(c.cursor(), 0u);
  publish_range(h.ring, 0, 1);
  EXPECT_EQ(c.resync(), 0u) << "already at the newest";
  expect_polls(c, 0, 1);
  EXPECT_EQ(c.resync(), 0u) << "fully drained";
  EXPECT_EQ(c.cursor(), 1u) << "resync never moves a drained cursor backwards";
  publish_range(h.ring, 1, 4);  // 1..4 pending, no overrun
  EXPECT_EQ(c.resync(), 3u) << "explicit skip to the newest: 1, 2, 3 skipped";
  expect_polls(c, 4, 5);
}

TEST(RingOverrun, RecoversAndKeepsDeliveringAfterManyOverruns) {
  RingHarness<Probe> h(4);
  RingConsumer<Probe> c(h.ring);
  std::uint64_t next = 0;
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;
  for (int round = 0; round < 200; ++round) {
    const std::uint64_t n = 1 + static_cast<std::uint64_t>(round * 7) % 11;  // 1..11
    publish_range(h.ring, next, n);
    next += n;
    for (;;) {
      const Polled<Probe> p = c.poll();
      if (p.status == PollStatus::empty) break;
      if (p.status == PollStatus::overrun) {
        lost += c.resync();
        continue;
      }
      ASSERT_TRUE(p.event.is_intact());
      ASSERT_EQ(p.event.seq, c.cursor() - 1);
      ++delivered;
    }
    ASSERT_EQ(delivered + lost, next) << "round " << round;
  }
  EXPECT_GT(lost, 0u);
}

// ---- consumers ----

TEST(RingConsumers, LateConsumerStartsAtTheCurrentEnd) {
  RingHarness<Probe> h(8);
  publish_range(h.ring, 0, 20);  // well past one lap
  RingConsumer<Probe> late(h.ring);
  EXPECT_EQ(late.cursor(), 20u);
  EXPECT_EQ(late.lag(), 0u);
  EXPECT_EQ(late.poll().status, PollStatus::empty);
  publish_range(h.ring, 20, 3);
  expect_polls(late, 20, 23);
}

TEST(RingConsumers, IndependentConsumersStalledOneOverrunsOtherUnaffected) {
  RingHarness<Probe> h(8);
  RingConsumer<Probe> drained(h.ring);
  RingConsumer<Probe> stalled(h.ring);
  constexpr std::uint64_t kTotal = 50;
  for (std::uint64_t s = 0; s < kTotal; ++s) {
    h.ring.publish(Probe::make(s));
    const Polled<Probe> p = drained.poll();
    ASSERT_TRUE(p.has_event()) << s;
    ASSERT_EQ(p.event.seq, s);
    ASSERT_TRUE(p.event.is_intact());
    ASSERT_EQ(drained.lag(), 0u);
  }
  EXPECT_EQ(h.ring.next_sequence(), kTotal);
  EXPECT_EQ(h.ring.published(), kTotal);
  EXPECT_EQ(stalled.lag(), kTotal);

  const Polled<Probe> p = stalled.poll();
  ASSERT_EQ(p.status, PollStatus::overrun);
  EXPECT_EQ(p.lost, kTotal - 8);
  EXPECT_EQ(stalled.resync(), kTotal - 1);

  // The stalled consumer's overrun and resync changed nothing for the producer or the other.
  EXPECT_EQ(h.ring.next_sequence(), kTotal);
  EXPECT_EQ(h.ring.published(), kTotal);
  EXPECT_EQ(drained.cursor(), kTotal);
  EXPECT_EQ(drained.poll().status, PollStatus::empty);
  h.ring.publish(Probe::make(kTotal));
  expect_polls(drained, kTotal, kTotal + 1);
  expect_polls(stalled, kTotal - 1, kTotal + 1);
}

TEST(RingConsumers, ConsumersAtDifferentPositionsEachSeeTheirOwnSequences) {
  RingHarness<Probe> h(16);
  RingConsumer<Probe> a(h.ring);
  publish_range(h.ring, 0, 4);
  RingConsumer<Probe> b(h.ring);  // joins at 4
  publish_range(h.ring, 4, 4);
  EXPECT_EQ(a.lag(), 8u);
  EXPECT_EQ(b.lag(), 4u);
  expect_polls(b, 4, 8);
  expect_polls(a, 0, 8);
}

TEST(RingConsumers, LagTracksPublishedMinusCursorEvenBeyondCapacity) {
  RingHarness<Probe> h(4);
  RingConsumer<Probe> c(h.ring);
  EXPECT_EQ(c.lag(), 0u);
  publish_range(h.ring, 0, 3);
  EXPECT_EQ(c.lag(), 3u);
  expect_polls(c, 0, 1, false);
  EXPECT_EQ(c.lag(), 2u);
  publish_range(h.ring, 3, 10);
  EXPECT_EQ(c.lag(), 12u) << "lag may exceed capacity when lapped";
  EXPECT_EQ(c.poll().status, PollStatus::overrun);
  EXPECT_EQ(c.lag(), 12u) << "an overrun does not consume";
  (void)c.resync();
  EXPECT_EQ(c.lag(), 1u);
  expect_polls(c, 12, 13);
  EXPECT_EQ(c.lag(), 0u);
}

// ---- ConsumerLoop ----

struct RecordingHandler {
  std::vector<std::uint64_t> seqs;
  std::vector<std::size_t> batch_sizes;
  std::uint64_t damaged = 0;
  Ticks last_poll_tsc = 0;
  bool poll_tsc_monotonic = true;

  void operator()(std::span<const Probe> batch, Ticks poll_tsc) noexcept {
    batch_sizes.push_back(batch.size());
    for (const Probe& p : batch) {
      seqs.push_back(p.seq);
      if (!p.is_intact()) ++damaged;
    }
    if (poll_tsc < last_poll_tsc) poll_tsc_monotonic = false;
    last_poll_tsc = poll_tsc;
  }
};

TEST(ConsumerLoop, EmptyPollDoesNothing) {
  RingHarness<Probe> h(8);
  RecordingHandler handler;
  ConsumerCounters counters;
  ConsumerLoop<Probe, RecordingHandler> loop(h.ring, handler, counters);
  EXPECT_FALSE(loop.poll());
  EXPECT_TRUE(handler.batch_sizes.empty());
  EXPECT_EQ(counters.consumed.load(), 0u);
  EXPECT_EQ(counters.polls_with_work.load(), 0u);
  EXPECT_EQ(counters.overruns.load(), 0u);
  EXPECT_EQ(counters.lost.load(), 0u);
}

TEST(ConsumerLoop, DeliversBatchesInOrderAndCountsConsumed) {
  RingHarness<Probe> h(64);
  RecordingHandler handler;
  ConsumerCounters counters;
  ConsumerLoop<Probe, RecordingHandler, 8> loop(h.ring, handler, counters);
  publish_range(h.ring, 0, 20);
  while (loop.poll()) {
  }
  EXPECT_EQ(handler.batch_sizes, (std::vector<std::size_t>{8, 8, 4}));
  ASSERT_EQ(handler.seqs.size(), 20u);
  for (std::uint64_t i = 0; i < 20; ++i) EXPECT_EQ(handler.seqs[i], i);
  EXPECT_EQ(handler.damaged, 0u);
  EXPECT_TRUE(handler.poll_tsc_monotonic);
  EXPECT_EQ(counters.consumed.load(), 20u);
  EXPECT_EQ(counters.polls_with_work.load(), 3u);
  EXPECT_EQ(counters.overruns.load(), 0u);
  EXPECT_EQ(counters.lost.load(), 0u);
  EXPECT_EQ(loop.consumer().cursor(), 20u);
}

TEST(ConsumerLoop, MaxEventsCapsTheBatchForAnExactStop) {
  RingHarness<Probe> h(64);
  RecordingHandler handler;
  ConsumerCounters counters;
  ConsumerLoop<Probe, RecordingHandler, 8> loop(h.ring, handler, counters);
  publish_range(h.ring, 0, 20);
  ASSERT_TRUE(loop.poll(3));
  ASSERT_TRUE(loop.poll(100));  // clamped to kBatch
  EXPECT_EQ(handler.batch_sizes, (std::vector<std::size_t>{3, 8}));
  EXPECT_EQ(counters.consumed.load(), 11u);
  EXPECT_EQ(loop.consumer().cursor(), 11u);
}

TEST(ConsumerLoop, OverrunLosesExactlyTheOverwrittenEventsAndResumesAtTheOldestIntactOne) {
  RingHarness<Probe> h(8);
  RecordingHandler handler;
  ConsumerCounters counters;
  ConsumerLoop<Probe, RecordingHandler> loop(h.ring, handler, counters);
  publish_range(h.ring, 0, 30);

  ASSERT_TRUE(loop.poll()) << "an overrun is work";
  EXPECT_EQ(counters.overruns.load(), 1u);
  EXPECT_EQ(counters.lost.load(), 22u) << "events 0..21 were overwritten; 22..29 are intact";
  EXPECT_EQ(counters.consumed.load(), 0u);
  EXPECT_TRUE(handler.seqs.empty()) << "the handler never sees an overrun";

  ASSERT_TRUE(loop.poll());
  EXPECT_EQ(handler.seqs, (std::vector<std::uint64_t>{22, 23, 24, 25, 26, 27, 28, 29}))
      << "no intact event is skipped";
  EXPECT_FALSE(loop.poll());
  EXPECT_EQ(counters.consumed.load() + counters.lost.load(), h.ring.published());
}

TEST(ConsumerLoop, ConsumedPlusLostEqualsPublishedAfterEveryDrain) {
  RingHarness<Probe> h(8);
  RecordingHandler handler;
  ConsumerCounters counters;
  ConsumerLoop<Probe, RecordingHandler, 4> loop(h.ring, handler, counters);
  std::uint64_t next = 0;
  for (int round = 0; round < 300; ++round) {
    const std::uint64_t n = static_cast<std::uint64_t>(round * 13) % 23;  // 0..22: some overrun
    publish_range(h.ring, next, n);
    next += n;
    // Stop early on some rounds so backlogs build across rounds too.
    const int max_polls = round % 3 == 0 ? 1 : 1000;
    for (int i = 0; i < max_polls && loop.poll(); ++i) {
    }
    if (round % 3 != 0) {
      ASSERT_EQ(counters.consumed.load() + counters.lost.load(), next) << "round " << round;
    }
  }
  while (loop.poll()) {
  }
  EXPECT_EQ(counters.consumed.load() + counters.lost.load(), h.ring.published());
  EXPECT_GT(counters.overruns.load(), 0u);
  EXPECT_GT(counters.lost.load(), 0u);
  EXPECT_EQ(counters.consumed.load(), handler.seqs.size());
  EXPECT_EQ(handler.damaged, 0u);
  for (std::size_t i = 1; i < handler.seqs.size(); ++i) {
    ASSERT_LT(handler.seqs[i - 1], handler.seqs[i]) << i;
  }
}

}  // namespace
}  // namespace tickpath::core

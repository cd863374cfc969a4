// The broadcast ring under real concurrency: one producer thread, several consumer threads (one
// deliberately slow), a tiny ring so the producer laps readers constantly, often in the middle of
// a copy. Every delivered element must be intact and be exactly the sequence at the consumer's
// cursor (a torn or stale copy is never delivered), sequences strictly increase, and per consumer
// consumed + lost == published once drained. Also run under ThreadSanitizer (suite concurrency).
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/bus/broadcast_ring.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/bus/poll_result.hpp"
#include "tests/core/ring_harness.hpp"
#include "tests/core/sanitized.hpp"

namespace tickpath::core {
namespace {

using testing::Probe;
using testing::RingHarness;

// Events per run: enough for thousands of laps of a 64-slot ring, small enough to stay well
// under ten seconds on two cores (and under the sanitizers, which slow atomics down 5-20x).
constexpr std::uint64_t kEvents = TICKPATH_SANITIZED ? 500'000 : 2'000'000;

// A consumer that runs away (a bug) must fail the test, not hang it.
constexpr auto kDeadline = std::chrono::seconds(60);

struct Stats {
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;
  std::uint64_t overruns = 0;
  std::uint64_t damaged = 0;     // delivered elements that were not intact (torn)
  std::uint64_t wrong_seq = 0;   // delivered element is not the sequence at the cursor (stale)
  std::uint64_t not_increasing = 0;
  std::uint64_t first_seen = UINT64_MAX;
  bool timed_out = false;
};

enum class Pace { fast, slow };

// Drives one RingConsumer to `total` with poll_burst into `batch` slots, checking every element.
// A slow consumer first waits until it has certainly been lapped (so at least one overrun is
// deterministic), then sleeps after every batch.
void consume(const BroadcastRing<Probe>& ring, RingConsumer<Probe>& consumer, std::size_t batch,
             std::uint64_t total, Pace pace, Stats& st) {
  std::vector<Probe> out(batch);
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  if (pace == Pace::slow) {
    const std::uint64_t lapped_at =
        std::min<std::uint64_t>(total, consumer.cursor() + 2 * ring.capacity() + 1);
    while (ring.published() < lapped_at) std::this_thread::yield();
  }
  bool have_last = false;
  std::uint64_t last = 0;
  while (consumer.cursor() < total) {
    if (std::chrono::steady_clock::now() > deadline) {
      st.timed_out = true;
      return;
    }
    const std::uint64_t cursor = consumer.cursor();
    const BurstResult r = consumer.poll_burst(out);
    switch (r.status) {
      case PollStatus::empty:
        std::this_thread::yield();
        break;
      case PollStatus::overrun:
        ++st.overruns;
        st.lost += consumer.resync();
        break;
      case PollStatus::events:
        for (std::uint32_t i = 0; i < r.count; ++i) {
          const Probe& p = out[i];
          if (!p.is_intact()) ++st.damaged;
          if (p.seq != cursor + i) ++st.wrong_seq;
          if (have_last && p.seq <= last) ++st.not_increasing;
          if (st.first_seen == UINT64_MAX) st.first_seen = p.seq;
          last = p.seq;
          have_last = true;
        }
        st.delivered += r.count;
        if (pace == Pace::slow) std::this_thread::sleep_for(std::chrono::microseconds(50));
        break;
    }
  }
}

// Publishes Probe::make(seq) for every sequence 0 .. total-1, in bursts drawn from `bursts`.
void produce(BroadcastRing<Probe>& ring, std::uint64_t total, std::vector<std::size_t> bursts) {
  std::vector<Probe> buffer;
  std::size_t which = 0;
  std::uint64_t seq = ring.next_sequence();
  while (seq < total) {
    const std::uint64_t n = std::min<std::uint64_t>(bursts[which++ % bursts.size()], total - seq);
    if (n == 1) {
      ring.publish(Probe::make(seq));
    } else {
      buffer.clear();
      for (std::uint64_t i = 0; i < n; ++i) buffer.push_back(Probe::make(seq + i));
      ring.publish_burst(buffer);
    }
    seq += n;
    // On a machine with fewer cores than threads, give consumers sharing the producer's core a
    // chance to run mid-stream (otherwise they only run between the producer's time slices).
    if ((seq & 0xFF) < n) std::this_thread::yield();
  }
}

struct ConsumerSpec {
  std::size_t batch;
  Pace pace;
};

// One producer, one thread per consumer spec; all consumers join before the producer starts.
std::vector<Stats> run(std::size_t capacity, std::uint64_t total, std::vector<std::size_t> bursts,
                       const std::vector<ConsumerSpec>& specs) {
  RingHarness<Probe> h(capacity);
  std::vector<RingConsumer<Probe>> consumers;
  consumers.reserve(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) consumers.emplace_back(h.ring);
  std::vector<Stats> stats(specs.size());

  std::atomic<std::size_t> ready{0};
  std::atomic<bool> go{false};
  auto wait_for_go = [&] {
    ready.fetch_add(1);
    while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    threads.emplace_back([&, i] {
      wait_for_go();
      consume(h.ring, consumers[i], specs[i].batch, total, specs[i].pace, stats[i]);
    });
  }
  threads.emplace_back([&] {
    wait_for_go();
    produce(h.ring, total, bursts);
  });
  while (ready.load() != threads.size()) std::this_thread::yield();
  go.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();

  EXPECT_EQ(h.ring.published(), total);
  EXPECT_EQ(h.ring.next_sequence(), total);
  for (std::size_t i = 0; i < consumers.size(); ++i) {
    // Drained: nothing left, and the cursor sits exactly at the end.
    EXPECT_EQ(consumers[i].poll().status, PollStatus::empty) << "consumer " << i;
    EXPECT_EQ(consumers[i].cursor(), total) << "consumer " << i;
    EXPECT_EQ(consumers[i].lag(), 0u) << "consumer " << i;
  }
  return stats;
}

void expect_sound(const std::vector<Stats>& stats, std::uint64_t total) {
  for (std::size_t i = 0; i < stats.size(); ++i) {
    SCOPED_TRACE("consumer " + std::to_string(i));
    const Stats& s = stats[i];
    EXPECT_FALSE(s.timed_out);
    EXPECT_EQ(s.damaged, 0u) << "a torn element was delivered";
    EXPECT_EQ(s.wrong_seq, 0u) << "an element other than the one at the cursor was delivered";
    EXPECT_EQ(s.not_increasing, 0u);
    EXPECT_EQ(s.delivered + s.lost, total) << "consumed + lost == published";
    EXPECT_GT(s.delivered, 0u);
    // With bursts smaller than the ring, every detected overrun really skips >= 1 event.
    EXPECT_LE(s.overruns, s.lost) << "an overrun that loses nothing was reported";
    if (s.lost == 0) {
      EXPECT_EQ(s.first_seen, 0u) << "no loss: the first event delivered is sequence 0";
    }
  }
}

TEST(RingStress, ThreeConsumersOneSlowEveryEventIntactAndAccountedFor) {
  const std::vector<ConsumerSpec> specs = {{1, Pace::fast}, {32, Pace::fast}, {4, Pace::slow}};
  const auto stats = run(64, kEvents, {1}, specs);
  expect_sound(stats, kEvents);
  EXPECT_GT(stats[2].overruns, 0u) << "the slow consumer must have been lapped";
  EXPECT_GT(stats[2].lost, 0u);
  EXPECT_LT(stats[2].delivered, kEvents);
}

// The torn-read test: with an 8-slot ring and consumers copying the whole ring (or more) per
// poll, the producer overwrites slots while they are being copied all the time. Detection must
// reject every such copy: no non-intact, and no wrong-sequence, element is ever delivered.
TEST(RingStress, TinyRingTornReadsAreNeverDelivered) {
  const std::vector<ConsumerSpec> specs = {{8, Pace::fast}, {16, Pace::fast}, {2, Pace::slow}};
  const auto stats = run(8, kEvents, {1}, specs);
  expect_sound(stats, kEvents);
  EXPECT_GT(stats[2].overruns, 0u) << "the slow consumer must have been lapped";
  std::uint64_t overruns = 0;
  for (const Stats& s : stats) overruns += s.overruns;
  EXPECT_GT(overruns, 0u);
}

TEST(RingStress, BurstProducerWithVaryingBurstSizes) {
  const std::vector<ConsumerSpec> specs = {{3, Pace::fast}, {64, Pace::fast}, {8, Pace::slow}};
  const auto stats = run(64, kEvents, {1, 7, 32, 2, 63, 13}, specs);
  expect_sound(stats, kEvents);
  EXPECT_GT(stats[2].overruns, 0u);
}

// ConsumerLoop on its own thread: its counters satisfy the invariant under concurrency too.
struct CheckingHandler {
  std::uint64_t damaged = 0;
  std::uint64_t not_contiguous = 0;
  std::uint64_t not_increasing = 0;
  std::uint64_t seen = 0;
  bool have_last = false;
  std::uint64_t last = 0;

  void operator()(std::span<const Probe> batch, Ticks) noexcept {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].is_intact()) ++damaged;
      if (batch[i].seq != batch[0].seq + i) ++not_contiguous;
      if (have_last && batch[i].seq <= last) ++not_increasing;
      last = batch[i].seq;
      have_last = true;
    }
    seen += batch.size();
  }
};

TEST(RingStress, ConsumerLoopCountersHoldTheInvariantUnderConcurrency) {
  RingHarness<Probe> h(16);
  CheckingHandler fast_handler, slow_handler;
  ConsumerCounters fast_counters, slow_counters;
  ConsumerLoop<Probe, CheckingHandler, 16> fast(h.ring, fast_handler, fast_counters);
  ConsumerLoop<Probe, CheckingHandler, 4> slow(h.ring, slow_handler, slow_counters);
  std::atomic<bool> done{false};
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;

  auto drive = [&](auto& loop, bool sleepy) {
    for (;;) {
      const bool finished = done.load(std::memory_order_acquire);
      const bool worked = loop.poll();
      if (!worked) {
        if (finished) return;  // done was set before this empty poll: fully drained
        std::this_thread::yield();
      } else if (sleepy) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
      if (std::chrono::steady_clock::now() > deadline) return;
    }
  };
  std::thread fast_thread([&] { drive(fast, false); });
  std::thread slow_thread([&] {
    while (h.ring.published() < 3 * h.ring.capacity() && !done.load()) std::this_thread::yield();
    drive(slow, true);
  });
  const std::uint64_t total = kEvents / 2;
  produce(h.ring, total, {1, 3});
  done.store(true, std::memory_order_release);
  fast_thread.join();
  slow_thread.join();

  for (const auto* c : {&fast_counters, &slow_counters}) {
    EXPECT_EQ(c->consumed.load() + c->lost.load(), total);
  }
  EXPECT_EQ(fast_counters.consumed.load(), fast_handler.seen);
  EXPECT_EQ(slow_counters.consumed.load(), slow_handler.seen);
  for (const auto* hd : {&fast_handler, &slow_handler}) {
    EXPECT_EQ(hd->damaged, 0u);
    EXPECT_EQ(hd->not_contiguous, 0u);
    EXPECT_EQ(hd->not_increasing, 0u);
  }
  EXPECT_GT(slow_counters.overruns.load(), 0u);
  EXPECT_GT(slow_counters.lost.load(), 0u);
  EXPECT_EQ(fast.consumer().cursor(), total);
  EXPECT_EQ(slow.consumer().cursor(), total);
}

// A consumer that joins while the producer is running starts at whatever end it observed and
// accounts exactly for the rest.
TEST(RingStress, ConsumerJoiningMidStreamAccountsForEverythingAfterItsStart) {
  RingHarness<Probe> h(64);
  const std::uint64_t total = kEvents / 4;
  std::atomic<std::uint64_t> start_cursor{0};
  Stats st;
  std::thread producer([&] { produce(h.ring, total, {1}); });
  std::thread late([&] {
    while (h.ring.published() < total / 3) std::this_thread::yield();
    RingConsumer<Probe> consumer(h.ring);
    start_cursor.store(consumer.cursor());
    consume(h.ring, consumer, 8, total, Pace::fast, st);
  });
  producer.join();
  late.join();
  EXPECT_FALSE(st.timed_out);
  EXPECT_GE(start_cursor.load(), total / 3);
  EXPECT_EQ(st.damaged, 0u);
  EXPECT_EQ(st.wrong_seq, 0u);
  EXPECT_EQ(st.not_increasing, 0u);
  EXPECT_EQ(st.delivered + st.lost, total - start_cursor.load());
  if (st.delivered > 0 && st.lost == 0) {
    EXPECT_EQ(st.first_seen, start_cursor.load()) << "the first event is the next one published";
  }
}

struct ResyncRun {
  std::uint64_t total = 0;
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;
  std::uint64_t overruns = 0;
  std::uint64_t stuck_resyncs = 0;  // an overrun, then a resync() that skipped nothing
  std::uint64_t damaged = 0;
};

// A reader with ConsumerLoop's policy (overrun -> resync) against a producer publishing bursts
// of `burst` events, until the reader has done plenty of work concurrently (on a loaded two-core
// machine it may otherwise only run between the producer's time slices), stuck resyncs have
// shown up, or a time budget is spent.
ResyncRun run_resync(std::size_t capacity, std::size_t burst_size) {
  RingHarness<Probe> h(capacity);
  RingConsumer<Probe> consumer(h.ring);
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> stuck{0};
  ResyncRun run;
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  std::thread reader([&] {
    std::array<Probe, 8> out{};
    for (;;) {
      const bool finished = done.load(std::memory_order_acquire);
      const BurstResult r = consumer.poll_burst(out);
      if (r.status == PollStatus::empty) {
        if (finished) return;
        std::this_thread::yield();
      } else if (r.status == PollStatus::overrun) {
        ++run.overruns;
        const std::uint64_t skipped = consumer.resync();
        run.lost += skipped;
        if (skipped == 0) stuck.fetch_add(1, std::memory_order_relaxed);
      } else {
        for (std::uint32_t i = 0; i < r.count; ++i) run.damaged += out[i].is_intact() ? 0 : 1;
        delivered.fetch_add(r.count, std::memory_order_relaxed);
      }
      if (std::chrono::steady_clock::now() > deadline) return;
    }
  });
  std::vector<Probe> burst(burst_size);
  const auto stop_at =
      std::chrono::steady_clock::now() + std::chrono::seconds(TICKPATH_SANITIZED ? 3 : 1);
  while (delivered.load(std::memory_order_relaxed) < 20'000 &&
         stuck.load(std::memory_order_relaxed) < 1'000 &&
         std::chrono::steady_clock::now() < stop_at) {
    for (std::size_t i = 0; i < burst_size; ++i) burst[i] = Probe::make(run.total + i);
    h.ring.publish_burst(burst);
    run.total += burst_size;
  }
  done.store(true, std::memory_order_release);
  reader.join();
  run.delivered = delivered.load();
  run.stuck_resyncs = stuck.load();
  return run;
}

// Control: with bursts one short of the ring, a detected overrun always has something newer to
// resync to, so every recovery skips at least one event.
TEST(RingStress, BurstBelowCapacityResyncAfterOverrunAlwaysMakesProgress) {
  const ResyncRun run = run_resync(64, 63);
  EXPECT_EQ(run.delivered + run.lost, run.total);
  EXPECT_EQ(run.damaged, 0u);
  EXPECT_EQ(run.stuck_resyncs, 0u) << "of " << run.overruns << " overruns";
  EXPECT_LE(run.overruns, run.lost);
}

// A burst of exactly capacity() is the limit case: while it is in flight claimed_ is a whole ring
// ahead of published_, so a consumer that resynced to published_ - 1 is lapped again at once and
// resync() has nothing newer to move to (it returns 0) until the burst completes. Loss accounting
// still holds and nothing torn is delivered; ConsumerLoop does not count such a zero-progress
// overrun (it waits for the burst), and IngestStage keeps its flushes to half the ring (it
// refuses rings under 512 slots) so the appliance never publishes bursts this large.
TEST(RingStress, BurstOfExactlyCapacityStillAccountsForEveryEventAndNeverTears) {
  const ResyncRun run = run_resync(64, 64);
  EXPECT_EQ(run.delivered + run.lost, run.total) << "loss accounting holds";
  EXPECT_EQ(run.damaged, 0u);
}

// The supported limit: bursts of half the ring always leave the newest event readable.
TEST(RingStress, BurstOfHalfCapacityResyncAfterOverrunAlwaysMakesProgress) {
  const ResyncRun run = run_resync(64, 32);
  EXPECT_EQ(run.delivered + run.lost, run.total);
  EXPECT_EQ(run.damaged, 0u);
  EXPECT_EQ(run.stuck_resyncs, 0u) << "of " << run.overruns << " overruns";
}

}  // namespace
}  // namespace tickpath::core

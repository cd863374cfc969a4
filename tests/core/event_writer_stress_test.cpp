// The ingest stage's writer under real concurrency: one thread writes events straight into the
// slots of a small ring (so it laps readers constantly, often mid-copy) and retracts every few
// frames half-way, two consumers (one slow) poll it. Every delivered event must be intact (all
// its words from one write), be the sequence at the consumer's cursor, never be a retracted
// frame's event, and per consumer delivered + lost == published once drained. Also run under
// ThreadSanitizer (suite concurrency).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/bus/broadcast_ring.hpp"
#include "core/counter.hpp"
#include "core/execution/event.hpp"
#include "core/ingest/decoded_event.hpp"
#include "core/ingest/event_writer.hpp"
#include "core/ingest/frame.hpp"
#include "tests/core/sanitized.hpp"

namespace tickpath::core {
namespace {

constexpr std::uint64_t kEvents = TICKPATH_SANITIZED ? 300'000 : 2'000'000;
constexpr std::size_t kCapacity = 2 * kMaxFrameEvents;  // the smallest ring the stage accepts
constexpr auto kDeadline = std::chrono::seconds(60);

// Every word of a published event is a function of its ring sequence; a retracted one differs.
DecodedEvent content(std::uint64_t seq, bool retracted) {
  return DecodedEvent{seq * 3 + (retracted ? 2 : 1), ~seq, pack_lengths(static_cast<std::uint16_t>(seq), 1, 2),
                      seq ^ 0x5A5A'5A5A'5A5A'5A5Au};
}

bool intact(const Event& e) {
  const DecodedEvent want = content(e.seq, false);
  return e.feed_seq == want.feed_seq && e.send_tsc == want.send_tsc &&
         e.msg_length == static_cast<std::uint16_t>(e.seq) && e.msg_index == 1 && e.frame_length == 2 &&
         std::memcmp(e.payload, &want.payload, sizeof want.payload) == 0 && e.rx_tsc == e.seq / 64 + 1 &&
         e.nic_rx_ts == e.seq / 64 + 1 && e.publish_tsc >= e.rx_tsc;
}

struct Stats {
  std::uint64_t delivered = 0, lost = 0, damaged = 0, wrong_seq = 0;
  bool timed_out = false;
};

// `consumer` joined the ring before the producer started, so its cursor starts at 0.
void consume(RingConsumer<Event>& consumer, std::size_t batch, bool slow, Stats& st) {
  std::vector<Event> out(batch);
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (consumer.cursor() < kEvents) {
    if (std::chrono::steady_clock::now() > deadline) {
      st.timed_out = true;
      return;
    }
    const std::uint64_t cursor = consumer.cursor();
    const BurstResult r = consumer.poll_burst(out);
    if (r.status == PollStatus::empty) {
      std::this_thread::yield();
    } else if (r.status == PollStatus::overrun) {
      st.lost += r.lost;
      consumer.skip_lost(r);
    } else {
      for (std::uint32_t i = 0; i < r.count; ++i) {
        st.damaged += !intact(out[i]);
        st.wrong_seq += out[i].seq != cursor + i;
      }
      st.delivered += r.count;
      if (slow) std::this_thread::sleep_for(std::chrono::microseconds(30));
    }
  }
}

// Frames of 1..9 events; every fifth frame is broken after half its events and retracted. The
// stamps of a frame are a function of the sequence its first event gets, so intact() can check
// them: rx = nic = seq / 64 + 1 for every event (frames never straddle a multiple of 64 here
// because the writer publishes at each one).
void produce(BroadcastRing<Event>& ring, Counter& published) {
  EventWriter writer(ring, published);
  std::uint64_t seq = 0;
  std::uint64_t frame = 0;
  while (seq < kEvents) {
    const std::size_t n = 1 + frame % 9;
    const bool broken = frame % 5 == 4;
    const std::uint64_t block_end = (seq / 64 + 1) * 64;
    const std::size_t fits = static_cast<std::size_t>(std::min<std::uint64_t>({n, block_end - seq, kEvents - seq}));
    const Ticks stamp = seq / 64 + 1;
    writer.set_rx_tsc(stamp);
    const FrameStamps stamps = writer.stamps(FrameView{nullptr, 60, stamp, 0});
    writer.begin_frame(fits);
    if (broken) {
      for (std::size_t i = 0; i < (fits + 1) / 2; ++i) writer.emit(stamps, content(seq + i, true));
      writer.retract_frame();
    } else {
      for (std::size_t i = 0; i < fits; ++i) writer.emit(stamps, content(seq + i, false));
      seq += fits;
    }
    ++frame;
    if (seq % 64 == 0 || seq == kEvents) writer.publish(seq / 64 + 1);
    if ((frame & 0x3F) == 0) std::this_thread::yield();
  }
  writer.settle_claim();
}

TEST(EventWriterStress, EveryDeliveredEventIsIntactAndNoRetractedEventIsEverDelivered) {
  std::vector<RingSlot<Event>> storage(kCapacity);
  BroadcastRing<Event> ring{std::span(storage)};
  Counter published;
  std::array<Stats, 2> stats{};
  // Both consumers join before the producer starts: a consumer joins at the ring's current end,
  // and one that joined late would rightly never account for what came before it.
  RingConsumer<Event> fast_consumer(ring);
  RingConsumer<Event> slow_consumer(ring);
  std::thread fast([&] { consume(fast_consumer, 32, false, stats[0]); });
  std::thread slow([&] { consume(slow_consumer, 8, true, stats[1]); });
  std::thread producer([&] { produce(ring, published); });
  producer.join();
  fast.join();
  slow.join();
  EXPECT_EQ(published.load(), kEvents);
  for (std::size_t c = 0; c < stats.size(); ++c) {
    SCOPED_TRACE(c == 0 ? "fast consumer" : "slow consumer");
    const Stats& st = stats[c];
    EXPECT_FALSE(st.timed_out);
    EXPECT_EQ(st.damaged, 0u) << "torn or retracted events delivered";
    EXPECT_EQ(st.wrong_seq, 0u);
    EXPECT_EQ(st.delivered + st.lost, kEvents) << "delivered " << st.delivered << " lost " << st.lost;
  }
  EXPECT_GT(stats[1].lost, 0u) << "the slow consumer was lapped: the lap check was exercised";
}

}  // namespace
}  // namespace tickpath::core

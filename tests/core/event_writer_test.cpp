// The ingest stage's writer: decoded events go straight into their ring slots, and the ring's
// claim protocol still holds (every overwrite announced, no loss reported that did not happen).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "core/bus/broadcast_ring.hpp"
#include "core/counter.hpp"
#include "core/execution/event.hpp"
#include "core/ingest/decoded_event.hpp"
#include "core/ingest/event_writer.hpp"
#include "core/ingest/frame.hpp"

namespace tickpath::core {
namespace {

constexpr std::size_t kCapacity = 2 * kMaxFrameEvents;  // the smallest ring the stage accepts

struct Harness {
  std::vector<RingSlot<Event>> storage = std::vector<RingSlot<Event>>(kCapacity);
  BroadcastRing<Event> ring{std::span(storage)};
  Counter published;
  EventWriter writer{ring, published};
};

DecodedEvent decoded(std::uint64_t n) {
  return DecodedEvent{1000 + n, 2000 + n, pack_lengths(36, static_cast<std::uint16_t>(n % 4), 100), 0xA5A5'0000'0000'0000u | n};
}

void emit_events(EventWriter& w, const FrameView& frame, std::uint64_t from, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) w.emit(w.stamps(frame), decoded(from + i));
}

// `bursts` bursts of `size` events each, published: the ring's first bursts * size sequences.
void publish_bursts(Harness& h, const FrameView& frame, std::size_t bursts, std::size_t size) {
  for (std::size_t burst = 0; burst < bursts; ++burst) {
    emit_events(h.writer, frame, burst * size, size);
    h.writer.publish(1);
  }
}

TEST(EventWriter, WritesEveryWordOfTheEventIntoItsSlot) {
  Harness h;
  // Every slot starts as garbage: a word the writer forgot would show.
  Event garbage;
  std::memset(static_cast<void*>(&garbage), 0xEE, sizeof garbage);
  const std::vector<Event> lap(kCapacity, garbage);
  h.ring.publish_burst(std::span<const Event>(lap.data(), kMaxFrameEvents));
  h.ring.publish_burst(std::span<const Event>(lap.data(), kMaxFrameEvents));
  EventWriter writer(h.ring, h.published);
  RingConsumer<Event> consumer(h.ring);

  FrameView frame{nullptr, 100, 0xBEEF, 0};
  writer.set_rx_tsc(777);
  emit_events(writer, frame, 0, 3);
  writer.publish(888);

  std::array<Event, 8> out{};
  const BurstResult r = consumer.poll_burst(out);
  ASSERT_EQ(r.status, PollStatus::events);
  ASSERT_EQ(r.count, 3u);
  EXPECT_EQ(h.published.load(), 3u);
  for (std::uint64_t i = 0; i < 3; ++i) {
    const Event want = make_event(frame_stamps(frame, 777), decoded(i), kCapacity + i, 888);
    EXPECT_EQ(std::memcmp(&out[i], &want, sizeof(Event)), 0) << "event " << i;
    EXPECT_EQ(out[i].seq, kCapacity + i);
    EXPECT_EQ(out[i].rx_tsc, 777u);
    EXPECT_EQ(out[i].publish_tsc, 888u);
    EXPECT_EQ(out[i].nic_rx_ts, 0xBEEFu);
    EXPECT_EQ(out[i].msg_length, 36u);
    EXPECT_EQ(out[i].msg_index, i);
    EXPECT_EQ(out[i].frame_length, 100u);
    EXPECT_EQ(out[i].flags, 0u);
  }
}

TEST(EventWriter, ABurstThatWrapsTheRingIsStampedOnBothSidesOfTheWrap) {
  Harness h;
  const std::vector<Event> before(kMaxFrameEvents, Event{});
  h.ring.publish_burst(std::span<const Event>(before.data(), kMaxFrameEvents));
  h.ring.publish_burst(std::span<const Event>(before.data(), kCapacity - 12 - kMaxFrameEvents));
  EventWriter writer(h.ring, h.published);
  RingConsumer<Event> consumer(h.ring);
  emit_events(writer, FrameView{nullptr, 100, 0}, 0, 24);  // 12 slots before the wrap, 12 after
  writer.publish(4242);
  std::array<Event, 24> out{};
  ASSERT_EQ(consumer.poll_burst(out).count, 24u);
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].publish_tsc, 4242u) << i;
    EXPECT_EQ(out[i].seq, kCapacity - 12 + i) << i;
  }
}

TEST(EventWriter, AFrameDueBeforeTheBurstStartsAtItsDueTime) {
  Harness h;
  RingConsumer<Event> consumer(h.ring);
  h.writer.set_rx_tsc(5000);
  h.writer.emit(h.writer.stamps(FrameView{nullptr, 60, 0, 4000}), decoded(0));  // due earlier: its due time
  h.writer.emit(h.writer.stamps(FrameView{nullptr, 60, 0, 6000}), decoded(1));  // due later: the rx stamp
  h.writer.emit(h.writer.stamps(FrameView{nullptr, 60, 0, 0}), decoded(2));     // no schedule: the rx stamp
  h.writer.publish(5100);
  std::array<Event, 4> out{};
  ASSERT_EQ(consumer.poll_burst(out).count, 3u);
  EXPECT_EQ(out[0].rx_tsc, 4000u);
  EXPECT_EQ(out[1].rx_tsc, 5000u);
  EXPECT_EQ(out[2].rx_tsc, 5000u);
}

TEST(EventWriter, ARetractedFrameIsNeverPublishedAndItsSequencesAreReused) {
  Harness h;
  RingConsumer<Event> consumer(h.ring);
  const FrameView frame{nullptr, 100, 0};
  h.writer.begin_frame(2);
  emit_events(h.writer, frame, 0, 2);
  h.writer.begin_frame(4);
  emit_events(h.writer, frame, 10, 3);
  h.writer.retract_frame();
  EXPECT_EQ(h.writer.pending(), 2u);
  h.writer.begin_frame(1);
  emit_events(h.writer, frame, 20, 1);
  h.writer.publish(1);

  std::array<Event, 8> out{};
  const BurstResult r = consumer.poll_burst(out);
  ASSERT_EQ(r.count, 3u);
  EXPECT_EQ(h.published.load(), 3u);
  EXPECT_EQ(out[0].feed_seq, 1000u);
  EXPECT_EQ(out[1].feed_seq, 1001u);
  EXPECT_EQ(out[2].feed_seq, 1020u) << "the retracted frame's slot is written again";
  EXPECT_EQ(out[2].seq, 2u) << "sequences stay contiguous";
}

TEST(EventWriter, BetweenBurstsTheClaimIsWhatWasPublished) {
  // A consumer exactly one ring behind has lost nothing: the writer claims a whole chunk ahead
  // while it writes, and must lower the claim when it publishes, or this consumer would be told
  // it lost events nobody overwrote.
  Harness h;
  RingConsumer<Event> consumer(h.ring);
  const FrameView frame{nullptr, 100, 0};
  publish_bursts(h, frame, kCapacity / 32, 32);
  ASSERT_EQ(h.ring.published(), kCapacity);
  std::array<Event, 32> out{};
  const BurstResult r = consumer.poll_burst(out);
  EXPECT_EQ(r.status, PollStatus::events);
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(out[0].seq, 0u);
}

TEST(EventWriter, APollInsideABurstCountsAtMostOneClaimAheadAsLost) {
  // The writer claims kClaimAhead slots before writing them (one store to the producer line per
  // 64 events): a consumer one lap behind that polls mid-burst is told it lost what the claim
  // covers, which may be up to kClaimAhead - 1 events the burst has not written yet; once the
  // burst is published the claim is what was written again (docs/measurement.md).
  Harness h;
  RingConsumer<Event> behind(h.ring);
  const FrameView frame{nullptr, 100, 0};
  publish_bursts(h, frame, 25, 20);
  emit_events(h.writer, frame, 500, 1);  // sequence 500 written; 500..563 claimed
  std::array<Event, 8> out{};
  const BurstResult mid = RingConsumer<Event>(behind).poll_burst(out);
  EXPECT_EQ(mid.status, PollStatus::overrun);
  EXPECT_EQ(mid.lost, 500 + kClaimAhead - kCapacity) << "the claim reaches 563: sequences 0..51";
  EXPECT_LT(mid.lost, kClaimAhead);
  h.writer.publish(1);
  const BurstResult after = behind.poll_burst(out);
  EXPECT_EQ(after.status, PollStatus::events) << "published 501 <= 0 + 512: nothing lost once the burst is out";
}

TEST(EventWriter, ARetractedFramesSlotsStayClaimedSoTheirOverwriteIsReported) {
  // The retracted frame wrote over the oldest slots: a consumer that still wanted those events
  // lost them, and the lap check must say so (exactly how many).
  Harness h;
  RingConsumer<Event> consumer(h.ring);
  const FrameView frame{nullptr, 100, 0};
  publish_bursts(h, frame, 25, 20);
  ASSERT_EQ(h.ring.published(), 500u);
  h.writer.begin_frame(20);
  emit_events(h.writer, frame, 500, 20);  // sequences 500..519: the slots of 0..7 among them
  h.writer.retract_frame();
  h.writer.settle_claim();
  EXPECT_EQ(h.ring.published(), 500u);
  std::array<Event, 32> out{};
  const BurstResult r = consumer.poll_burst(out);
  EXPECT_EQ(r.status, PollStatus::overrun);
  EXPECT_EQ(r.lost, 8u) << "sequences 0..7 were overwritten by the retracted frame";
}

TEST(EventWriter, AFrameLargerThanTheChunkIsPublishedInParts) {
  Harness h;
  RingConsumer<Event> consumer(h.ring);
  const FrameView frame{nullptr, 100, 0};
  emit_events(h.writer, frame, 0, kMaxFrameEvents + 44);
  EXPECT_EQ(h.ring.published(), kMaxFrameEvents) << "the full chunk went out before event 257";
  EXPECT_EQ(h.published.load(), kMaxFrameEvents);
  EXPECT_EQ(h.writer.pending(), 44u);
  h.writer.publish(1);
  EXPECT_EQ(h.ring.published(), kMaxFrameEvents + 44);
  std::vector<Event> out(kMaxFrameEvents + 44);
  const BurstResult r = consumer.poll_burst(out);
  ASSERT_EQ(r.count, kMaxFrameEvents + 44);
  for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i].feed_seq, 1000 + i) << i;
}

TEST(EventWriter, AFrameThatWouldNotFitThePendingChunkPublishesWhatCameBeforeIt) {
  Harness h;
  const FrameView frame{nullptr, 100, 0};
  h.writer.begin_frame(200);
  emit_events(h.writer, frame, 0, 200);
  EXPECT_EQ(h.ring.published(), 0u);
  h.writer.begin_frame(100);  // 300 > 256: the first frame is published whole, first
  EXPECT_EQ(h.ring.published(), 200u);
  emit_events(h.writer, frame, 200, 90);
  h.writer.retract_frame();
  EXPECT_EQ(h.writer.pending(), 0u);
  EXPECT_EQ(h.ring.published(), 200u) << "no publish fell inside the second frame";
}

}  // namespace
}  // namespace tickpath::core

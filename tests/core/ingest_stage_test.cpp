// The ingest stage over in-memory sources: exact counters (frames, events, drops by reason,
// heartbeats) after a number of polls, events published in order with ring sequences 0, 1, 2...,
// one rx stamp per burst, large frames flushed in chunks, start-up checks, and PacedSource's
// upper bound on the frames it lets through.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/bus/broadcast_ring.hpp"
#include "core/execution/event.hpp"
#include "core/ingest/decoder.hpp"
#include "core/ingest/drop_reason.hpp"
#include "core/ingest/frame.hpp"
#include "wire/frame_builder.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "core/time/calibration.hpp"
#include "core/time/tsc.hpp"
#include "tests/core/ring_harness.hpp"

namespace tickpath::core {
// Frames are built with the generator\'s builder (lib/wire), the way `tickpath gen` builds them.
using wire::MoldFrameSpec;
using wire::build_test_message;
using wire::build_moldudp64_frame;
using wire::build_broken_frame;
namespace {

using Bytes = std::vector<std::byte>;
using testing::RingHarness;
constexpr std::uint16_t kPort = 30001;

Bytes message(std::size_t n, std::uint8_t first) {
  Bytes m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = std::byte(static_cast<std::uint8_t>(first + i));
  return m;
}

// What one frame of the test mix should produce.
struct Expected {
  DropReason drop = DropReason::none;
  bool heartbeat = false;
  bool end_of_session = false;
  std::uint64_t first_seq = 0;
  std::vector<Bytes> messages;
};

// A fixed mix of frames and what each must produce; owns the bytes the views point at.
struct FrameMix {
  std::vector<Bytes> bytes;
  std::vector<Expected> expected;
  std::vector<FrameView> views;

  void add(Bytes f, Expected e) {
    bytes.push_back(std::move(f));
    expected.push_back(std::move(e));
  }
  void seal() {
    views.clear();
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      views.push_back(FrameView{bytes[i].data(), static_cast<std::uint32_t>(bytes[i].size()),
                                /*hw_timestamp=*/5000 + i});
    }
  }
};

FrameMix make_mix() {
  FrameMix mix;
  auto valid = [&](std::uint64_t first_seq, std::vector<Bytes> msgs, bool vlan) {
    MoldFrameSpec spec;
    spec.first_seq = first_seq;
    spec.vlan = vlan;
    Expected e;
    e.first_seq = first_seq;
    e.messages = msgs;
    mix.add(build_moldudp64_frame(spec, msgs), e);
  };
  auto broken = [&](DropReason r) {
    Expected e;
    e.drop = r;
    mix.add(build_broken_frame(r, MoldFrameSpec{}), e);
  };
  valid(100, {message(3, 1), message(8, 2), message(12, 3)}, false);
  broken(DropReason::not_udp);
  {
    Expected e;
    e.heartbeat = true;
    mix.add(build_moldudp64_frame(MoldFrameSpec{}, {}, moldudp64::kHeartbeatCount), e);
  }
  valid(200, {message(1, 9)}, false);
  broken(DropReason::message_past_end);
  {
    Expected e;
    e.end_of_session = true;
    mix.add(build_moldudp64_frame(MoldFrameSpec{}, {}, moldudp64::kEndOfSessionCount), e);
  }
  valid(300, {message(20, 4), message(0, 0)}, true);
  broken(DropReason::wrong_port);
  broken(DropReason::truncated_ethernet);
  broken(DropReason::ip_fragment);
  mix.seal();
  return mix;
}

// One expected event, by frame and message.
struct ExpectedEvent {
  std::uint64_t feed_seq;
  std::uint16_t msg_index;
  std::uint16_t msg_length;
  std::size_t frame;
};

using MoldStage = IngestStage<SyntheticSource, MoldUdp64Decoder>;

// ---- start-up ----

TEST(IngestStage, ConstructorRejectsBurstOutsideOneToSixtyFour) {
  RingHarness<Event> h(512);
  const Bytes f = build_moldudp64_frame(MoldFrameSpec{}, {message(1, 1)});
  const FrameView view{f.data(), static_cast<std::uint32_t>(f.size()), 0};
  SyntheticSource source(std::span<const FrameView>(&view, 1));
  MoldUdp64Decoder decoder(kPort);
  IngestCounters counters;
  EXPECT_THROW(MoldStage(source, decoder, h.ring, counters, 0), std::invalid_argument);
  EXPECT_THROW(MoldStage(source, decoder, h.ring, counters, kMaxRxBurst + 1), std::invalid_argument);
  EXPECT_THROW(MoldStage(source, decoder, h.ring, counters, 1000), std::invalid_argument);
  EXPECT_NO_THROW(MoldStage(source, decoder, h.ring, counters, 1));
  EXPECT_NO_THROW(MoldStage(source, decoder, h.ring, counters, kMaxRxBurst));
  EXPECT_EQ(kMaxRxBurst, 64u);
}

TEST(IngestStage, ConstructorRejectsRingSmallerThanOneFlush) {
  const Bytes f = build_moldudp64_frame(MoldFrameSpec{}, {message(1, 1)});
  const FrameView view{f.data(), static_cast<std::uint32_t>(f.size()), 0};
  SyntheticSource source(std::span<const FrameView>(&view, 1));
  MoldUdp64Decoder decoder(kPort);
  IngestCounters counters;
  for (std::size_t capacity : {2u, 64u, 128u, 256u}) {
    RingHarness<Event> h(capacity);
    EXPECT_THROW(MoldStage(source, decoder, h.ring, counters, 8), std::invalid_argument) << capacity;
  }
  for (std::size_t capacity : {512u, 1024u}) {
    RingHarness<Event> h(capacity);
    EXPECT_NO_THROW(MoldStage(source, decoder, h.ring, counters, 8)) << capacity;
  }
  EXPECT_EQ(kMaxPendingEvents, 256u);
}

// ---- the mix ----

TEST(IngestStage, CountersAreExactAfterKPollsAndEventsArePublishedInOrder) {
  FrameMix mix = make_mix();
  SyntheticSource source(mix.views);
  MoldUdp64Decoder decoder(kPort);
  IngestCounters counters;
  RingHarness<Event> h(4096);
  RingConsumer<Event> consumer(h.ring);
  constexpr std::size_t kBurst = 4;
  constexpr std::size_t kPolls = 23;  // 92 frames: the 10-frame mix 9 times and a bit
  MoldStage stage(source, decoder, h.ring, counters, kBurst);

  // The model: walk the frames the source will deliver, in order.
  std::array<std::uint64_t, kDropReasonCount> drops{};
  std::uint64_t heartbeats = 0, ends = 0;
  std::vector<ExpectedEvent> expected_events;
  for (std::size_t t = 0; t < kPolls * kBurst; ++t) {
    const std::size_t i = t % mix.views.size();
    const Expected& e = mix.expected[i];
    if (e.drop != DropReason::none) {
      ++drops[static_cast<std::size_t>(e.drop)];
    } else {
      heartbeats += e.heartbeat;
      ends += e.end_of_session;
      for (std::size_t m = 0; m < e.messages.size(); ++m) {
        expected_events.push_back({e.first_seq + m, static_cast<std::uint16_t>(m),
                                   static_cast<std::uint16_t>(e.messages[m].size()), i});
      }
    }
  }

  std::size_t next_event = 0;
  Ticks previous_rx = 0;
  for (std::size_t p = 0; p < kPolls; ++p) {
    const Ticks before = tsc_now();
    ASSERT_TRUE(stage.poll());
    const Ticks after = tsc_now();
    bool first_in_poll = true;
    Ticks poll_rx = 0;
    for (;;) {
      const Polled<Event> got = consumer.poll();
      if (got.status == PollStatus::empty) break;
      ASSERT_TRUE(got.has_event()) << "no overrun expected with a 4096-slot ring";
      const Event& e = got.event;
      ASSERT_LT(next_event, expected_events.size());
      const ExpectedEvent& want = expected_events[next_event];
      EXPECT_EQ(e.seq, next_event) << "ring sequences are 0, 1, 2, ...";
      EXPECT_EQ(e.feed_seq, want.feed_seq);
      EXPECT_EQ(e.msg_index, want.msg_index);
      EXPECT_EQ(e.msg_length, want.msg_length);
      EXPECT_EQ(e.frame_length, mix.bytes[want.frame].size());
      EXPECT_EQ(e.nic_rx_ts, mix.views[want.frame].hw_timestamp);
      const Bytes& msg = mix.expected[want.frame].messages[want.msg_index];
      EXPECT_EQ(e.payload[0], msg.empty() ? std::byte{0} : msg[0]);
      if (first_in_poll) {
        poll_rx = e.rx_tsc;
        first_in_poll = false;
        EXPECT_LE(before, poll_rx);
        EXPECT_LE(poll_rx, after);
        EXPECT_LE(previous_rx, poll_rx);
        previous_rx = poll_rx;
      }
      EXPECT_EQ(e.rx_tsc, poll_rx) << "one rx stamp per burst";
      EXPECT_GE(e.publish_tsc, e.rx_tsc);
      EXPECT_LE(e.publish_tsc, after);
      ++next_event;
    }
  }
  EXPECT_EQ(next_event, expected_events.size());
  EXPECT_EQ(h.ring.published(), expected_events.size());

  EXPECT_EQ(counters.bursts.load(), kPolls);
  EXPECT_EQ(counters.frames.load(), kPolls * kBurst);
  EXPECT_EQ(counters.events.load(), expected_events.size());
  EXPECT_EQ(counters.heartbeats.load(), heartbeats);
  EXPECT_EQ(counters.end_of_session.load(), ends);
  std::uint64_t foreign = 0, malformed = 0;
  for (std::size_t r = 0; r < kDropReasonCount; ++r) {
    EXPECT_EQ(counters.drops[r].load(), drops[r]) << to_string(static_cast<DropReason>(r));
    if (r != 0) {
      (is_foreign(static_cast<DropReason>(r)) ? foreign : malformed) += drops[r];
    }
  }
  EXPECT_EQ(counters.dropped(DropReason::none), 0u);
  EXPECT_EQ(counters.foreign(), foreign);
  EXPECT_EQ(counters.malformed(), malformed);
  EXPECT_GT(foreign, 0u);
  EXPECT_GT(malformed, 0u);
  // Every frame is accounted for exactly once.
  std::uint64_t frames_with_events = 0;
  for (std::size_t t = 0; t < kPolls * kBurst; ++t) {
    const Expected& e = mix.expected[t % mix.views.size()];
    frames_with_events += e.drop == DropReason::none && !e.messages.empty();
  }
  EXPECT_EQ(frames_with_events + heartbeats + ends + foreign + malformed, counters.frames.load());
  EXPECT_EQ(source.delivered(), kPolls * kBurst);
}

TEST(IngestStage, EverySequenceFollowsOnAcrossPollsWithoutGaps) {
  FrameMix mix = make_mix();
  SyntheticSource source(mix.views);
  MoldUdp64Decoder decoder(kPort);
  IngestCounters counters;
  RingHarness<Event> h(512);
  RingConsumer<Event> consumer(h.ring);
  MoldStage stage(source, decoder, h.ring, counters, 7);
  std::uint64_t expected_seq = 0;
  for (int p = 0; p < 200; ++p) {
    ASSERT_TRUE(stage.poll());
    EXPECT_EQ(h.ring.next_sequence(), counters.events.load());
    std::array<Event, 64> out{};
    for (;;) {
      const BurstResult r = consumer.poll_burst(out);
      if (r.status == PollStatus::empty) break;
      ASSERT_EQ(r.status, PollStatus::events);
      for (std::uint32_t i = 0; i < r.count; ++i) ASSERT_EQ(out[i].seq, expected_seq++);
    }
  }
  EXPECT_EQ(expected_seq, counters.events.load());
}

// ---- large frames ----

Bytes frame_with_tiny_messages(std::size_t count, std::uint64_t first_seq) {
  std::vector<Bytes> msgs;
  for (std::size_t i = 0; i < count; ++i) msgs.push_back(Bytes{std::byte(static_cast<std::uint8_t>(i))});
  MoldFrameSpec spec;
  spec.first_seq = first_seq;
  return build_moldudp64_frame(spec, msgs);
}

TEST(IngestStage, FrameWithMoreMessagesThanOneFlushIsPublishedCompletelyInOrder) {
  constexpr std::size_t kMessages = 300;  // > kMaxPendingEvents: flushed in two chunks
  static_assert(kMessages > kMaxPendingEvents);
  const Bytes f = frame_with_tiny_messages(kMessages, 7'000);
  const FrameView view{f.data(), static_cast<std::uint32_t>(f.size()), 0};
  SyntheticSource source(std::span<const FrameView>(&view, 1));
  MoldUdp64Decoder decoder(kPort);
  IngestCounters counters;
  RingHarness<Event> h(1024);
  RingConsumer<Event> consumer(h.ring);
  MoldStage stage(source, decoder, h.ring, counters, 1);

  ASSERT_TRUE(stage.poll());
  EXPECT_EQ(counters.events.load(), kMessages);
  EXPECT_EQ(h.ring.published(), kMessages);
  std::vector<Event> out(kMessages + 10);
  const BurstResult r = consumer.poll_burst(out);
  ASSERT_EQ(r.status, PollStatus::events);
  ASSERT_EQ(r.count, kMessages);
  for (std::size_t i = 0; i < kMessages; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(out[i].seq, i);
    EXPECT_EQ(out[i].feed_seq, 7'000 + i);
    EXPECT_EQ(out[i].msg_index, i);
    EXPECT_EQ(out[i].msg_length, 1u);
    EXPECT_EQ(out[i].payload[0], std::byte(static_cast<std::uint8_t>(i)));
    EXPECT_EQ(out[i].rx_tsc, out[0].rx_tsc) << "one frame, one burst, one rx stamp";
    EXPECT_GE(out[i].publish_tsc, out[i].rx_tsc);
    if (i > 0) {
      EXPECT_GE(out[i].publish_tsc, out[i - 1].publish_tsc) << "chunks are published in order";
    }
  }
}

TEST(IngestStage, BurstOfLargeFramesPublishesEveryMessageOfEveryFrame) {
  const Bytes a = frame_with_tiny_messages(300, 1);
  const Bytes b = frame_with_tiny_messages(200, 10'000);
  const std::array<FrameView, 2> views = {
      FrameView{a.data(), static_cast<std::uint32_t>(a.size()), 1},
      FrameView{b.data(), static_cast<std::uint32_t>(b.size()), 2}};
  SyntheticSource source(views);
  MoldUdp64Decoder decoder(kPort);
  IngestCounters counters;
  RingHarness<Event> h(2048);
  RingConsumer<Event> consumer(h.ring);
  MoldStage stage(source, decoder, h.ring, counters, 3);  // a, b, a: 800 events in one poll

  ASSERT_TRUE(stage.poll());
  ASSERT_EQ(counters.events.load(), 800u);
  std::vector<Event> out(1024);
  const BurstResult r = consumer.poll_burst(out);
  ASSERT_EQ(r.status, PollStatus::events);
  ASSERT_EQ(r.count, 800u);
  for (std::size_t i = 0; i < 800; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(out[i].seq, i);
    if (i < 300) {
      EXPECT_EQ(out[i].feed_seq, 1 + i);
      EXPECT_EQ(out[i].nic_rx_ts, 1u);
    } else if (i < 500) {
      EXPECT_EQ(out[i].feed_seq, 10'000 + (i - 300));
      EXPECT_EQ(out[i].nic_rx_ts, 2u);
    } else {
      EXPECT_EQ(out[i].feed_seq, 1 + (i - 500));
      EXPECT_EQ(out[i].nic_rx_ts, 1u);
    }
    EXPECT_EQ(out[i].rx_tsc, out[0].rx_tsc);
  }
}

// ---- raw decoder, empty source ----

TEST(IngestStage, RawDecoderOneEventPerFrameCountingFromOne) {
  const Bytes zeros(64, std::byte{0});
  const std::vector<FrameView> views(8, FrameView{zeros.data(), 64, 0});
  SyntheticSource source(views);
  RawDecoder decoder;
  IngestCounters counters;
  RingHarness<Event> h(1024);
  RingConsumer<Event> consumer(h.ring);
  IngestStage<SyntheticSource, RawDecoder> stage(source, decoder, h.ring, counters, 32);
  for (int p = 0; p < 10; ++p) ASSERT_TRUE(stage.poll());
  EXPECT_EQ(counters.frames.load(), 320u);
  EXPECT_EQ(counters.events.load(), 320u);
  EXPECT_EQ(counters.malformed() + counters.foreign(), 0u);
  std::vector<Event> out(512);
  const BurstResult r = consumer.poll_burst(out);
  ASSERT_EQ(r.status, PollStatus::events);
  ASSERT_EQ(r.count, 320u);
  for (std::uint64_t i = 0; i < 320; ++i) {
    EXPECT_EQ(out[i].seq, i);
    EXPECT_EQ(out[i].feed_seq, i + 1);
    EXPECT_EQ(out[i].msg_length, 64u);
  }
}

TEST(IngestStage, SequenceAnomaliesAndSendStampsReachTheCountersAndEvents) {
  auto frame = [](std::uint64_t first, std::size_t count, int override_count = -1) {
    MoldFrameSpec spec;
    spec.first_seq = first;
    std::vector<Bytes> msgs;
    for (std::size_t i = 0; i < count; ++i) msgs.push_back(build_test_message(24, 1000 + first + i, 500 + first + i));
    return build_moldudp64_frame(spec, msgs, override_count);
  };
  const std::vector<Bytes> frames = {
      frame(1, 2),       // 1, 2
      frame(5, 1),       // gap: 3, 4
      frame(3, 2),       // late: recovers 3, 4
      frame(5, 1),       // duplicate
      frame(6, 0, moldudp64::kHeartbeatCount),
      frame(6, 0, moldudp64::kEndOfSessionCount),
  };
  std::vector<FrameView> views;
  for (const Bytes& f : frames) views.push_back(FrameView{f.data(), static_cast<std::uint32_t>(f.size()), 0});
  SyntheticSource source(views);
  MoldUdp64Decoder decoder(kPort);
  IngestCounters counters;
  RingHarness<Event> h(1024);
  RingConsumer<Event> consumer(h.ring);
  IngestStage<SyntheticSource, MoldUdp64Decoder> stage(source, decoder, h.ring, counters, frames.size());
  ASSERT_TRUE(stage.poll());
  EXPECT_EQ(counters.frames.load(), 6u);
  EXPECT_EQ(counters.events.load(), 6u) << "2 + 1 + 2 + 1 (the duplicate is published too)";
  EXPECT_EQ(counters.feed_gaps.load(), 2u);
  EXPECT_EQ(counters.feed_recovered.load(), 2u);
  EXPECT_EQ(counters.feed_missing(), 0u);
  EXPECT_EQ(counters.feed_out_of_order.load(), 1u);
  EXPECT_EQ(counters.feed_duplicates.load(), 1u);
  EXPECT_EQ(counters.heartbeats.load(), 1u);
  EXPECT_EQ(counters.end_of_session.load(), 1u);
  EXPECT_EQ(counters.malformed() + counters.foreign(), 0u);
  std::vector<Event> out(16);
  const BurstResult r = consumer.poll_burst(out);
  ASSERT_EQ(r.count, 6u);
  for (std::size_t i = 0; i < r.count; ++i) EXPECT_EQ(out[i].send_tsc, 500 + out[i].feed_seq) << i;
}

struct EmptySource {
  std::size_t receives = 0;
  std::size_t releases = 0;
  std::size_t receive(std::span<FrameView>) noexcept {
    ++receives;
    return 0;
  }
  void release() noexcept { ++releases; }
};
static_assert(FrameSource<EmptySource>);

TEST(IngestStage, EmptyReceiveIsNoWorkAndCountsNothing) {
  EmptySource source;
  RawDecoder decoder;
  IngestCounters counters;
  RingHarness<Event> h(512);
  IngestStage<EmptySource, RawDecoder> stage(source, decoder, h.ring, counters, 16);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(stage.poll());
  EXPECT_EQ(source.receives, 5u);
  EXPECT_EQ(counters.bursts.load(), 0u);
  EXPECT_EQ(counters.frames.load(), 0u);
  EXPECT_EQ(counters.events.load(), 0u);
  EXPECT_EQ(h.ring.published(), 0u);
}

// A source that records the burst size asked for and the release calls.
struct RecordingSource {
  SyntheticSource* inner;
  std::vector<std::size_t> asked;
  std::size_t releases = 0;
  std::size_t receive(std::span<FrameView> out) noexcept {
    asked.push_back(out.size());
    return inner->receive(out);
  }
  void release() noexcept { ++releases; }
};
static_assert(FrameSource<RecordingSource>);

TEST(IngestStage, AsksForTheConfiguredBurstAndReleasesAfterEveryBurst) {
  const Bytes zeros(64, std::byte{0});
  const std::vector<FrameView> views(3, FrameView{zeros.data(), 64, 0});
  SyntheticSource inner(views);
  RecordingSource source{&inner, {}, 0};
  RawDecoder decoder;
  IngestCounters counters;
  RingHarness<Event> h(512);
  IngestStage<RecordingSource, RawDecoder> stage(source, decoder, h.ring, counters, 5);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(stage.poll());
  EXPECT_EQ(source.asked, (std::vector<std::size_t>{5, 5, 5, 5}));
  EXPECT_EQ(source.releases, 4u);
  EXPECT_EQ(counters.bursts.load(), 4u);
}

TEST(IngestStage, AFrameDueEarlierStartsItsLatencyAtItsDueTimeAndOneWithoutAScheduleAtTheRxStamp) {
  const Bytes zeros(64, std::byte{0});
  const Ticks now = tsc_now();
  // Due 1 000 000 ticks ago, not due at all (0), and "due" in the future (never later than rx).
  const std::vector<FrameView> views{FrameView{zeros.data(), 64, 0, now - 1'000'000}, FrameView{zeros.data(), 64, 0, 0},
                                     FrameView{zeros.data(), 64, 0, now + 1'000'000'000'000}};
  SyntheticSource source(views);
  RawDecoder decoder;
  IngestCounters counters;
  RingHarness<Event> h(512);
  IngestStage<SyntheticSource, RawDecoder> stage(source, decoder, h.ring, counters, 3);
  RingConsumer<Event> reader(h.ring);
  ASSERT_TRUE(stage.poll());
  std::array<Event, 3> got{};
  const BurstResult r = reader.poll_burst(got);
  ASSERT_EQ(r.status, PollStatus::events);
  ASSERT_EQ(r.count, 3u);
  const Ticks rx = counters.last_rx_tsc.load();
  EXPECT_EQ(got[0].rx_tsc, now - 1'000'000) << "latency starts when the frame was due";
  EXPECT_EQ(got[1].rx_tsc, rx) << "no schedule: the rx stamp";
  EXPECT_EQ(got[2].rx_tsc, rx) << "never after the frame was received";
}

// ---- pacing ----

TEST(PacedSource, ReturnsNothingAtStartAndNeverExceedsRateTimesElapsedPlusBurst) {
  const double hz = TscCalibration::measure(std::chrono::milliseconds(50)).hz();
  ASSERT_GT(hz, 0.0);
  const Bytes zeros(64, std::byte{0});
  const std::vector<FrameView> views(4, FrameView{zeros.data(), 64, 0});
  SyntheticSource inner(views);
  constexpr double kRate = 2'000.0;  // frames per second
  constexpr std::size_t kBurst = 64;
  PacedSource<SyntheticSource> paced(inner, kRate, hz);
  std::array<FrameView, kBurst> out{};

  const Ticks t0 = tsc_now();  // no later than the pacer's own start
  EXPECT_EQ(paced.receive(out), 0u) << "no budget has accrued at the first receive";
  std::uint64_t total = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(40);
  while (std::chrono::steady_clock::now() < until) {
    total += paced.receive(out);
    paced.release();
    const double elapsed_s = static_cast<double>(tsc_now() - t0) / hz;
    ASSERT_LE(static_cast<double>(total), kRate * elapsed_s + kBurst) << "paced past its rate";
  }
  EXPECT_EQ(inner.delivered(), total);
  EXPECT_GT(total, 0u) << "40 ms at 2000 frames/s allows about 80";
}

TEST(PacedSource, InsideTheIngestStageAPollWithoutBudgetIsNoWork) {
  const double hz = TscCalibration::measure(std::chrono::milliseconds(50)).hz();
  const Bytes zeros(64, std::byte{0});
  const std::vector<FrameView> views(4, FrameView{zeros.data(), 64, 0});
  SyntheticSource inner(views);
  PacedSource<SyntheticSource> paced(inner, 1.0, hz);  // one frame per second
  RawDecoder decoder;
  IngestCounters counters;
  RingHarness<Event> h(512);
  IngestStage<PacedSource<SyntheticSource>, RawDecoder> stage(paced, decoder, h.ring, counters, 32);
  const Ticks t0 = tsc_now();
  for (int i = 0; i < 1000; ++i) (void)stage.poll();
  const double elapsed_s = static_cast<double>(tsc_now() - t0) / hz;
  EXPECT_LE(static_cast<double>(counters.frames.load()), 1.0 * elapsed_s + 32);
  EXPECT_EQ(counters.frames.load(), counters.events.load());
  if (elapsed_s < 0.5) {
    EXPECT_EQ(counters.frames.load(), 0u) << "at one frame per second none is due yet";
  }
}

}  // namespace
}  // namespace tickpath::core

// Feed sequence tracking: the tracker alone (gaps, duplicates, out-of-order, the window edge),
// the session table, and the MoldUDP64 decoder using both plus the test-message header.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <deque>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/execution/event.hpp"
#include "core/ingest/feed_sessions.hpp"
#include "wire/frame_builder.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/sequence_tracker.hpp"
#include "core/ingest/test_message.hpp"
#include "tests/support/event_collector.hpp"

namespace tickpath::core {
// Frames are built with the generator\'s builder (lib/wire), the way `tickpath gen` builds them.
using wire::MoldFrameSpec;
using wire::build_test_message;
using wire::build_moldudp64_frame;
namespace {

using Bytes = std::vector<std::byte>;

TEST(SequenceTracker, InOrderFramesReportNothing) {
  SequenceTracker t;
  for (std::uint64_t first = 1; first < 100; first += 3) {
    const SequenceVerdict v = t.frame(first, 3);
    EXPECT_EQ(v.gap, 0u);
    EXPECT_FALSE(v.duplicate);
    EXPECT_FALSE(v.out_of_order);
  }
  EXPECT_EQ(t.next_expected(), 100u);
}

TEST(SequenceTracker, FirstFrameSetsTheExpectationJoiningMidSessionIsNoGap) {
  SequenceTracker t;
  EXPECT_EQ(t.frame(5000, 2).gap, 0u);
  EXPECT_EQ(t.frame(5003, 1).gap, 1u);
}

TEST(SequenceTracker, SwappedFramesAreOneGapThenOneOutOfOrderThatRecoversIt) {
  SequenceTracker t;
  t.frame(1, 2);                       // 1,2
  SequenceVerdict later = t.frame(5, 3);  // 3,4 not yet here
  EXPECT_EQ(later.gap, 2u);
  SequenceVerdict late = t.frame(3, 2);
  EXPECT_TRUE(late.out_of_order);
  EXPECT_FALSE(late.duplicate);
  EXPECT_EQ(late.recovered, 2u) << "gaps - recovered = 0: nothing is really missing";
  EXPECT_EQ(t.frame(8, 1).gap, 0u);
}

TEST(SequenceTracker, RepeatedFramesAreDuplicatesAndRecoverNothing) {
  SequenceTracker t;
  t.frame(1, 4);
  t.frame(5, 4);
  for (std::uint64_t first : {1u, 5u, 2u}) {
    const SequenceVerdict v = t.frame(first, 2);
    EXPECT_TRUE(v.duplicate) << first;
    EXPECT_EQ(v.recovered, 0u);
    EXPECT_EQ(v.gap, 0u);
  }
}

TEST(SequenceTracker, SecondCopyOfALateFrameIsADuplicate) {
  SequenceTracker t;
  t.frame(1, 1);
  t.frame(3, 1);
  EXPECT_TRUE(t.frame(2, 1).out_of_order);
  EXPECT_TRUE(t.frame(2, 1).duplicate);
}

TEST(SequenceTracker, OverlappingFrameDeliversItsNewPartInOrder) {
  SequenceTracker t;
  t.frame(1, 4);  // next 5
  const SequenceVerdict v = t.frame(3, 4);  // 3,4 seen; 5,6 new
  EXPECT_FALSE(v.duplicate);
  EXPECT_FALSE(v.out_of_order);
  EXPECT_EQ(v.gap, 0u);
  EXPECT_EQ(t.next_expected(), 7u);
}

TEST(SequenceTracker, HeartbeatRevealsAGapAndIsNeverADuplicate) {
  SequenceTracker t;
  t.frame(1, 2);
  EXPECT_EQ(t.announce(3).gap, 0u);
  EXPECT_EQ(t.announce(6).gap, 3u);
  const SequenceVerdict again = t.announce(4);
  EXPECT_EQ(again.gap, 0u);
  EXPECT_FALSE(again.duplicate);
  EXPECT_TRUE(t.frame(4, 1).out_of_order) << "the numbers the heartbeat skipped are holes";
}

TEST(SequenceTracker, AWindowBitReusedAfterALapIsClearedFirst) {
  SequenceTracker t;
  t.frame(1, 1);
  // Skip exactly the number whose bit the first frame set, one window later.
  t.frame(2, kSequenceWindow - 1);              // next: W + 1
  const SequenceVerdict skip = t.frame(kSequenceWindow + 2, 1);
  EXPECT_EQ(skip.gap, 1u);
  const SequenceVerdict late = t.frame(kSequenceWindow + 1, 1);
  EXPECT_TRUE(late.out_of_order) << "the lapped bit of sequence 1 must not make W+1 look seen";
}

TEST(SequenceTracker, HugeGapTurnsTheWholeWindowOver) {
  SequenceTracker t;
  t.frame(1, 10);
  EXPECT_EQ(t.frame(1'000'000, 1).gap, 1'000'000u - 11u);
  EXPECT_TRUE(t.frame(999'999, 1).out_of_order);
  EXPECT_TRUE(t.frame(5, 1).duplicate) << "older than the window: cannot tell, reported as duplicate";
}

// Issue 14: a frame whose numbers wrapped past 2^64 sent advance() into a loop of ~2^64 steps
// (the ingest thread spun for good). The range is now cut at 2^64 - 1 and every loop is bounded
// by the window: these return at once (a regression hangs the test until meson's timeout).
TEST(SequenceTracker, ARangeWrappingPast2To64IsCutAtTheLastNumberAndReturnsAtOnce) {
  constexpr std::uint64_t kLast = ~std::uint64_t{0};
  SequenceTracker t;
  t.frame(1, 1);                                 // next: 2
  const SequenceVerdict v = t.frame(kLast - 1, 5);  // 2^64-2 .. 2^64+2 would wrap to 2
  EXPECT_EQ(v.gap, kLast - 1 - 2);
  EXPECT_EQ(t.next_expected(), kLast);
  EXPECT_TRUE(t.frame(kLast - 1, 1).duplicate);
  EXPECT_TRUE(t.frame(3, 2).duplicate) << "far behind the window: reported as duplicate, not a reset";
  EXPECT_EQ(t.next_expected(), kLast);
}

TEST(SequenceTracker, AHostileCountBehindTheWindowWalksOnlyTheWindow) {
  SequenceTracker t;
  t.frame(std::uint64_t{1} << 62, kSequenceWindow);               // the whole window received
  const SequenceVerdict v = t.frame(0, std::uint64_t{1} << 63);  // reaches past next_ as well
  EXPECT_EQ(v.recovered, 0u) << "older than the window counts as seen, the window was all received";
  EXPECT_EQ(v.gap, 0u);
  EXPECT_EQ(t.next_expected(), std::uint64_t{1} << 63);
}

// The tracker marks received and skipped numbers a 64-bit word at a time; this model marks them
// one by one in a set. Frames of 1..150 numbers, gaps, late and repeated frames, so ranges
// start, end and straddle every word boundary and the window's wrap: every verdict must agree.
TEST(SequenceTracker, WordAtATimeMarkingAgreesWithANumberByNumberModelOnEveryVerdict) {
  struct Model {
    std::set<std::uint64_t> received;
    std::uint64_t next = 0;
    bool started = false;
    bool seen(std::uint64_t s) const {
      return s + kSequenceWindow < next || received.count(s) != 0;  // older than the window: seen
    }
    SequenceVerdict frame(std::uint64_t first, std::uint64_t count) {
      SequenceVerdict v;
      if (!started) {
        started = true;
        next = first;
      }
      const std::uint64_t end = first + count;
      if (first >= next) {
        v.gap = first - next;
      } else {
        for (std::uint64_t s = first; s < std::min(end, next); ++s) {
          if (seen(s)) continue;
          received.insert(s);
          ++v.recovered;
        }
        v.out_of_order = v.recovered != 0;
        v.duplicate = v.recovered == 0 && end <= next;
      }
      for (std::uint64_t s = std::max(first, next); s < end; ++s) received.insert(s);
      next = std::max(next, end);
      return v;
    }
  };
  SequenceTracker t;
  Model m;
  std::mt19937_64 rng(16);
  std::uint64_t first = 1000;
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t count = 1 + rng() % 150;
    const unsigned kind = static_cast<unsigned>(rng() % 10);
    if (kind < 6) {
      first = m.next;                                  // in order
    } else if (kind < 8) {
      first = m.next + rng() % 200;                    // a gap
    } else if (kind < 9) {
      first = m.next - std::min<std::uint64_t>(m.next, 1 + rng() % 400);  // late, maybe overlapping
    } else {
      first = m.next + kSequenceWindow + rng() % 100;  // the window turns over
    }
    const SequenceVerdict want = m.frame(first, count);
    const SequenceVerdict got = t.frame(first, count);
    ASSERT_EQ(got.gap, want.gap) << "frame " << i << " at " << first << " x" << count;
    ASSERT_EQ(got.recovered, want.recovered) << "frame " << i << " at " << first << " x" << count;
    ASSERT_EQ(got.duplicate, want.duplicate) << "frame " << i;
    ASSERT_EQ(got.out_of_order, want.out_of_order) << "frame " << i;
    ASSERT_EQ(t.next_expected(), m.next);
  }
}

TEST(SequenceTracker, SequenceEndIsCutAtTheLastRepresentableNumber) {
  constexpr std::uint64_t kLast = ~std::uint64_t{0};
  EXPECT_EQ(sequence_end(10, 5), 15u);
  EXPECT_EQ(sequence_end(kLast - 5, 5), kLast);
  EXPECT_EQ(sequence_end(kLast - 5, 6), kLast);
  EXPECT_EQ(sequence_end(kLast, kLast), kLast);
}

TEST(FeedSessions, EachSessionHasItsOwnTrackerAndTheTableIsBounded) {
  FeedSessions sessions;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i <= kMaxFeedSessions; ++i) ids.push_back("SESSION00" + std::to_string(i));
  auto id = [&](std::size_t i) { return reinterpret_cast<const std::byte*>(ids[i].data()); };
  SequenceTracker* a = sessions.find(id(0));
  SequenceTracker* b = sessions.find(id(1));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(sessions.find(id(0)), a);
  for (std::size_t i = 2; i < kMaxFeedSessions; ++i) EXPECT_NE(sessions.find(id(i)), nullptr);
  EXPECT_EQ(sessions.find(id(kMaxFeedSessions)), nullptr) << "table full";
  EXPECT_EQ(sessions.find(id(1)), b) << "known sessions still found";
}

// ---- through the decoder ----

using Writer = tickpath::testing::EventCollector;

DecodeOutcome decode(MoldUdp64Decoder& d, const Bytes& f, Writer& out) {
  return d.decode(FrameView{f.data(), static_cast<std::uint32_t>(f.size()), 0}, out);
}

Bytes frame(std::string_view session, std::uint64_t first, std::size_t count) {
  MoldFrameSpec spec;
  spec.session = session;
  spec.first_seq = first;
  return build_moldudp64_frame(spec, std::vector<Bytes>(count, Bytes(24, std::byte{1})));
}

TEST(MoldUdp64Sequence, SessionsAreTrackedSeparately) {
  MoldUdp64Decoder d(30001);
  Writer out;
  EXPECT_EQ(decode(d, frame("SESSIONAAA", 1, 2), out).gap, 0u);
  EXPECT_EQ(decode(d, frame("SESSIONBBB", 100, 2), out).gap, 0u) << "another session starts its own count";
  EXPECT_EQ(decode(d, frame("SESSIONAAA", 3, 1), out).gap, 0u);
  EXPECT_EQ(decode(d, frame("SESSIONBBB", 105, 1), out).gap, 3u);
  const DecodeOutcome dup = decode(d, frame("SESSIONAAA", 1, 2), out);
  EXPECT_TRUE(dup.duplicate);
  EXPECT_TRUE(dup.sequence_anomaly());
  EXPECT_EQ(out.events.size(), 8u) << "duplicates are published too: the counters say what they were";
}

TEST(MoldUdp64Sequence, AFrameWhoseNumbersWouldWrapIsDroppedAsSequenceOverflowAndLeavesTheTrackerAlone) {
  constexpr std::uint64_t kLast = ~std::uint64_t{0};
  MoldUdp64Decoder d(30001);
  Writer out;
  EXPECT_EQ(decode(d, frame("SESSIONAAA", 1, 1), out).drop, DropReason::none);
  EXPECT_EQ(decode(d, frame("SESSIONAAA", kLast - 1, 2), out).drop, DropReason::sequence_overflow)
      << "numbers 2^64-1 and 2^64";
  EXPECT_EQ(decode(d, frame("SESSIONAAA", kLast - 4, 5), out).drop, DropReason::sequence_overflow);
  EXPECT_EQ(out.events.size(), 1u) << "a dropped frame emits nothing";
  const DecodeOutcome in_order = decode(d, frame("SESSIONAAA", 2, 1), out);
  EXPECT_EQ(in_order.drop, DropReason::none);
  EXPECT_EQ(in_order.gap, 0u) << "the dropped frames never reached the tracker";
  // 2^64-4 .. 2^64-2: the exclusive end 2^64-1 is representable, so the frame is valid.
  EXPECT_EQ(decode(d, frame("SESSIONAAA", kLast - 3, 3), out).drop, DropReason::none);
  EXPECT_EQ(out.events.back().feed_seq, kLast - 1);
}

TEST(MoldUdp64Sequence, SessionsBeyondTheTableAreUntrackedButPublished) {
  MoldUdp64Decoder d(30001);
  Writer out;
  for (std::size_t i = 0; i < kMaxFeedSessions; ++i) {
    EXPECT_FALSE(decode(d, frame("SESS" + std::to_string(100000 + i), 1, 1), out).untracked);
  }
  const DecodeOutcome o = decode(d, frame("SESSIONXYZ", 1, 1), out);
  EXPECT_TRUE(o.untracked);
  EXPECT_EQ(o.drop, DropReason::none);
  EXPECT_EQ(out.events.size(), kMaxFeedSessions + 1);
}

TEST(MoldUdp64Sequence, HeartbeatAndEndOfSessionCountAsSuchAndRevealGaps) {
  MoldUdp64Decoder d(30001);
  Writer out;
  decode(d, frame("TICKPATH01", 1, 3), out);
  MoldFrameSpec spec;
  spec.first_seq = 4;
  const DecodeOutcome hb = decode(d, build_moldudp64_frame(spec, {}, moldudp64::kHeartbeatCount), out);
  EXPECT_TRUE(hb.heartbeat);
  EXPECT_EQ(hb.drop, DropReason::none);
  EXPECT_EQ(hb.gap, 0u);
  spec.first_seq = 9;
  const DecodeOutcome eos = decode(d, build_moldudp64_frame(spec, {}, moldudp64::kEndOfSessionCount), out);
  EXPECT_TRUE(eos.end_of_session);
  EXPECT_EQ(eos.drop, DropReason::none);
  EXPECT_EQ(eos.gap, 5u);
  EXPECT_EQ(out.events.size(), 3u);
}

TEST(TestMessage, HeaderGivesTheEventTheSendersTscAndItsWallClockAsPayload) {
  MoldUdp64Decoder d(30001);
  Writer out;
  MoldFrameSpec spec;
  const std::uint64_t ns = 0x0102030405060708ull, tsc = 0x1122334455667788ull;
  const Bytes f = build_moldudp64_frame(spec, {build_test_message(32, ns, tsc), Bytes(32, std::byte{0})});
  ASSERT_EQ(decode(d, f, out).drop, DropReason::none);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].send_tsc, tsc);
  std::uint64_t payload_ns = 0;
  for (std::byte b : out.events[0].payload) payload_ns = (payload_ns << 8) | std::to_integer<std::uint64_t>(b);
  EXPECT_EQ(payload_ns, ns);
  EXPECT_EQ(out.events[1].send_tsc, 0u) << "a message without the magic has no send stamp";
}

TEST(TestMessage, TooShortOrWrongMagicIsNoStamp) {
  Bytes m = build_test_message(test_message::kHeaderBytes, 1, 42);
  EXPECT_EQ(test_message::send_tsc(m.data(), m.size()), 42u);
  EXPECT_EQ(test_message::send_tsc(m.data(), m.size() - 1), 0u);
  m[test_message::kMagicOffset] = std::byte{0};
  EXPECT_EQ(test_message::send_tsc(m.data(), m.size()), 0u);
}

}  // namespace
}  // namespace tickpath::core

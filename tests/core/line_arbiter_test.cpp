// A/B line arbitration: the arbiter alone (first copy wins, duplicates, late copies, gaps filled
// by the other line, true loss, skew), seeded next to the 2^64 wrap; a randomised run checked
// against a reference; the two-line decoder and the line-pair source.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <random>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/ingest/arbitrated_decoder.hpp"
#include "wire/frame_builder.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "core/ingest/line_pair_source.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "tests/support/event_collector.hpp"

namespace tickpath::core {
// Frames are built with the generator\'s builder (lib/wire), the way `tickpath gen` builds them.
using wire::MoldFrameSpec;
using wire::build_moldudp64_frame;
using wire::build_broken_frame;
namespace {

constexpr std::uint64_t kNearWrap = std::numeric_limits<std::uint64_t>::max() - 20;
constexpr std::uint64_t kWindow = 64;

struct SkewLog {
  std::vector<Ticks> b_later;
  std::vector<Ticks> a_later;
  void record_b_later(Ticks t) noexcept { b_later.push_back(t); }
  void record_a_later(Ticks t) noexcept { a_later.push_back(t); }
};

const std::byte* session(std::string_view id) { return reinterpret_cast<const std::byte*>(id.data()); }
const std::byte* const kSession = session("TICKPATH01");

struct Arbiter {
  SkewLog skew;
  ArbiterCounters counters;
  LineArbiter<SkewLog> arbiter{kWindow, skew, counters};

  Arbitration a(std::uint64_t seq, Ticks rx = 0) { return arbiter.message(Line::a, kSession, seq, rx); }
  Arbitration b(std::uint64_t seq, Ticks rx = 0) { return arbiter.message(Line::b, kSession, seq, rx); }
  const LineCounters& line(Line l) const { return counters.line(l); }
};

TEST(LineArbiter, FirstCopyWinsAndTheSecondIsADuplicateOnItsOwnLine) {
  Arbiter t;
  EXPECT_EQ(t.a(kNearWrap), Arbitration::won);
  EXPECT_EQ(t.b(kNearWrap), Arbitration::duplicate);
  EXPECT_EQ(t.b(kNearWrap + 1), Arbitration::won);
  EXPECT_EQ(t.a(kNearWrap + 1), Arbitration::duplicate);
  EXPECT_EQ(t.line(Line::a).won.load(), 1u);
  EXPECT_EQ(t.line(Line::b).won.load(), 1u);
  EXPECT_EQ(t.line(Line::a).duplicate.load(), 1u);
  EXPECT_EQ(t.line(Line::b).duplicate.load(), 1u);
  EXPECT_EQ(t.counters.both_delivered.load(), 2u);
}

TEST(LineArbiter, AGapOnAFilledByBIsCountedWhenTheNumberLeavesTheWindowAcrossTheWrap) {
  Arbiter t;
  const std::uint64_t first = kNearWrap;  // the window straddles 2^64
  for (std::uint64_t i = 0; i < 40; ++i) {
    if (i != 10 && i != 11) t.a(first + i);  // A misses two numbers
    t.b(first + i);
  }
  EXPECT_EQ(t.line(Line::a).gaps.load(), 0u) << "not settled yet: both are still inside the window";
  for (std::uint64_t i = 40; i < 40 + kWindow; ++i) {
    t.a(first + i);
    t.b(first + i);
  }
  EXPECT_EQ(t.line(Line::a).gaps.load(), 2u);
  EXPECT_EQ(t.line(Line::a).filled_by_other.load(), 2u);
  EXPECT_EQ(t.line(Line::b).gaps.load(), 0u);
  EXPECT_EQ(t.counters.lost.load(), 0u);
  EXPECT_EQ(t.line(Line::b).won.load(), 2u) << "B's copies of the two numbers A missed were published";
}

TEST(LineArbiter, ANumberNeitherLineDeliveredIsLostAndAGapOnBothLines) {
  Arbiter t;
  for (std::uint64_t s = kNearWrap; s != kNearWrap + 10; ++s) {
    if (s == kNearWrap + 4) continue;
    t.a(s);
    t.b(s);
  }
  t.arbiter.settle_all();
  EXPECT_EQ(t.counters.lost.load(), 1u);
  EXPECT_EQ(t.line(Line::a).gaps.load(), 1u);
  EXPECT_EQ(t.line(Line::b).gaps.load(), 1u);
  EXPECT_EQ(t.line(Line::a).filled_by_other.load(), 0u);
  EXPECT_EQ(t.line(Line::b).filled_by_other.load(), 0u);
}

TEST(LineArbiter, SettleAllCountsWhatIsStillInTheWindowAtTheEnd) {
  Arbiter t;
  for (std::uint64_t s = 1; s <= 5; ++s) t.a(s);  // B is silent
  EXPECT_EQ(t.line(Line::b).gaps.load(), 0u);
  t.arbiter.settle_all();
  EXPECT_EQ(t.line(Line::b).gaps.load(), 5u);
  EXPECT_EQ(t.line(Line::b).filled_by_other.load(), 5u);
  t.arbiter.settle_all();
  EXPECT_EQ(t.line(Line::b).gaps.load(), 5u) << "settling twice counts nothing twice";
}

TEST(LineArbiter, ACopyBehindTheWindowIsLateAndNotPublished) {
  Arbiter t;
  for (std::uint64_t s = 0; s < 3 * kWindow; ++s) t.a(kNearWrap + s);
  EXPECT_EQ(t.b(kNearWrap), Arbitration::late);
  EXPECT_EQ(t.b(kNearWrap + 2 * kWindow), Arbitration::duplicate) << "still inside the window";
  EXPECT_EQ(t.line(Line::b).late.load(), 1u);
  EXPECT_EQ(t.line(Line::b).won.load(), 0u);
}

TEST(LineArbiter, SkewIsBMinusAAsTwoMagnitudesAndAZeroWhenBothCameInOnePoll) {
  Arbiter t;
  t.a(1, 1000);
  t.b(1, 1700);  // B 700 ticks after A
  t.b(2, 2000);
  t.a(2, 2300);  // B 300 ticks before A
  t.b(3, 5000);
  t.a(3, 5000);  // same poll: B - A = 0
  ASSERT_EQ(t.skew.b_later.size(), 2u);
  EXPECT_EQ(t.skew.b_later[0], 700u);
  EXPECT_EQ(t.skew.b_later[1], 0u);
  ASSERT_EQ(t.skew.a_later.size(), 1u);
  EXPECT_EQ(t.skew.a_later[0], 300u);
}

TEST(LineArbiter, ASecondCopyOnTheSameLineIsADuplicateWithoutASkewSample) {
  Arbiter t;
  t.a(7, 10);
  EXPECT_EQ(t.a(7, 20), Arbitration::duplicate);
  EXPECT_EQ(t.line(Line::a).duplicate.load(), 1u);
  EXPECT_TRUE(t.skew.b_later.empty());
  EXPECT_TRUE(t.skew.a_later.empty());
  EXPECT_EQ(t.counters.both_delivered.load(), 0u);
}

TEST(LineArbiter, AJumpFarBeyondTheWindowCountsTheSkippedNumbersLostWithoutWalkingThem) {
  Arbiter t;
  t.a(kNearWrap);
  t.b(kNearWrap);
  const std::uint64_t jump = std::uint64_t{1} << 40;  // walking this would never end
  EXPECT_EQ(t.a(kNearWrap + jump), Arbitration::won);
  EXPECT_EQ(t.counters.lost.load(), jump - kWindow) << "every number between the two, but the W - 1 still in the window";
  EXPECT_EQ(t.b(kNearWrap + 5), Arbitration::late);
  t.arbiter.settle_all();
  EXPECT_EQ(t.counters.lost.load(), jump - 1) << "every number between the two";
  EXPECT_EQ(t.line(Line::b).filled_by_other.load(), 1u) << "the jump's own number, from A";
}

TEST(LineArbiter, ALineStartingAFewNumbersEarlierGrowsTheWindowDownwards) {
  Arbiter t;
  t.a(kNearWrap + 3);  // A dropped the first three
  EXPECT_EQ(t.b(kNearWrap), Arbitration::won);
  EXPECT_EQ(t.b(kNearWrap + 1), Arbitration::won);
  EXPECT_EQ(t.b(kNearWrap + 2), Arbitration::won);
  EXPECT_EQ(t.b(kNearWrap + 3), Arbitration::duplicate);
  t.arbiter.settle_all();
  EXPECT_EQ(t.line(Line::a).filled_by_other.load(), 3u);
  EXPECT_EQ(t.counters.lost.load(), 0u);
}

TEST(LineArbiter, AHeartbeatMovesTheWindowSoATrailingLossIsDeclared) {
  Arbiter t;
  t.a(1);
  t.b(1);
  t.arbiter.announce(kSession, 3);  // 2 exists, nobody delivered it
  t.arbiter.announce(kSession, 3 + kWindow);
  EXPECT_EQ(t.counters.lost.load(), 1u);
}

TEST(LineArbiter, SessionsAreArbitratedIndependently) {
  Arbiter t;
  EXPECT_EQ(t.arbiter.message(Line::a, session("SESSIONAAA"), 5, 0), Arbitration::won);
  EXPECT_EQ(t.arbiter.message(Line::b, session("SESSIONBBB"), 5, 0), Arbitration::won);
  EXPECT_EQ(t.arbiter.message(Line::b, session("SESSIONAAA"), 5, 0), Arbitration::duplicate);
  EXPECT_EQ(t.arbiter.sessions(), 2u);
}

TEST(LineArbiter, ASessionBeyondTheTableIsPublishedFromAOnlyAndCounted) {
  Arbiter t;
  const char* ids[] = {"SESSION001", "SESSION002", "SESSION003", "SESSION004"};
  for (const char* id : ids) t.arbiter.message(Line::a, session(id), 1, 0);
  EXPECT_EQ(t.arbiter.message(Line::a, session("SESSION005"), 1, 0), Arbitration::won);
  EXPECT_EQ(t.arbiter.message(Line::b, session("SESSION005"), 1, 0), Arbitration::untracked);
  EXPECT_EQ(t.line(Line::a).untracked.load(), 1u);
  EXPECT_EQ(t.line(Line::b).untracked.load(), 1u);
}

TEST(LineArbiter, AWindowThatIsNotAPowerOfTwoIsRejectedAtStartUp) {
  SkewLog skew;
  ArbiterCounters counters;
  EXPECT_THROW((LineArbiter<SkewLog>(100, skew, counters)), std::invalid_argument);
  EXPECT_THROW((LineArbiter<SkewLog>(32, skew, counters)), std::invalid_argument);
  EXPECT_NO_THROW((LineArbiter<SkewLog>(128, skew, counters)));
}

// Both lines carry the same feed; each drops numbers independently and B runs `lag` numbers
// behind A (reordered within the window). Every counter must equal what a reference computes
// from the drop lists alone.
TEST(LineArbiter, RandomDropsOnEachLineMatchAReferenceExactlyAcrossTheWrap) {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    std::mt19937_64 rng(seed);
    std::bernoulli_distribution drop(0.05);
    const std::uint64_t n = 5000;
    const std::uint64_t lag = 1 + seed * 7;  // < window
    const std::uint64_t first = std::numeric_limits<std::uint64_t>::max() - n / 2;
    std::vector<bool> on_a(n), on_b(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      on_a[i] = !drop(rng);
      on_b[i] = !drop(rng);
    }
    on_a[0] = on_b[0] = true;  // the session starts where both see it
    Arbiter t;
    std::uint64_t published = 0;
    for (std::uint64_t i = 0; i < n + lag; ++i) {
      if (i < n && on_a[i]) published += t.a(first + i, 10 * i) == Arbitration::won;
      if (i >= lag && on_b[i - lag]) published += t.b(first + i - lag, 10 * i) == Arbitration::won;
    }
    t.arbiter.settle_all();
    std::uint64_t a_only = 0, b_only = 0, both = 0, neither = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      a_only += on_a[i] && !on_b[i];
      b_only += !on_a[i] && on_b[i];
      both += on_a[i] && on_b[i];
      neither += !on_a[i] && !on_b[i];
    }
    // The last number must have been seen for the window to reach it: trim a trailing loss.
    std::uint64_t last = n - 1;
    while (!on_a[last] && !on_b[last]) --last, --neither;
    SCOPED_TRACE(seed);
    EXPECT_EQ(published, a_only + b_only + both);
    EXPECT_EQ(t.counters.lost.load(), neither);
    EXPECT_EQ(t.line(Line::a).filled_by_other.load(), b_only);
    EXPECT_EQ(t.line(Line::b).filled_by_other.load(), a_only);
    EXPECT_EQ(t.line(Line::a).gaps.load(), b_only + neither);
    EXPECT_EQ(t.line(Line::b).gaps.load(), a_only + neither);
    EXPECT_EQ(t.counters.both_delivered.load(), both);
    EXPECT_EQ(t.skew.b_later.size(), both) << "B is always behind: every sample is B - A >= 0";
    for (Ticks s : t.skew.b_later) EXPECT_EQ(s, 10 * lag);
    EXPECT_EQ(t.line(Line::a).late.load() + t.line(Line::b).late.load(), 0u);
  }
}

// ---- the two-line decoder and the line pair -------------------------------------------------

using Bytes = std::vector<std::byte>;

using Writer = tickpath::testing::EventCollector;

Bytes frame(std::uint64_t first, std::size_t count) {
  MoldFrameSpec spec;
  spec.first_seq = first;
  return build_moldudp64_frame(spec, std::vector<Bytes>(count, Bytes(24, std::byte{1})));
}

FrameView on_line(const Bytes& f, std::uint8_t line) {
  FrameView v{f.data(), static_cast<std::uint32_t>(f.size()), 0};
  v.line = line;
  return v;
}

TEST(ArbitratedMoldUdp64Decoder, PublishesEachMessageOnceFromWhicheverLineBroughtItFirst) {
  SkewLog skew;
  ArbiterCounters counters;
  ArbitratedMoldUdp64Decoder<SkewLog> d({30001, 30001}, kWindow, skew, counters);
  Writer out;
  const Bytes f1 = frame(1, 3), f2 = frame(4, 3);
  out.rx = 100;
  d.decode(on_line(f1, 0), out);  // A: 1..3
  d.decode(on_line(f2, 1), out);  // B: 4..6 (A lost this frame)
  out.rx = 150;
  d.decode(on_line(f1, 1), out);  // B's copy of 1..3, 50 ticks later
  ASSERT_EQ(out.events.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(out.events[i].feed_seq, i + 1);
  EXPECT_EQ(counters.line(Line::b).duplicate.load(), 3u);
  EXPECT_EQ(counters.line(Line::a).frames.load(), 1u);
  EXPECT_EQ(counters.line(Line::b).frames.load(), 2u);
  EXPECT_EQ(counters.line(Line::b).last_rx_tsc.load(), 150u);
  EXPECT_EQ(skew.b_later, (std::vector<Ticks>{50, 50, 50}));
  EXPECT_EQ(d.finish(), 0u);
  EXPECT_EQ(counters.line(Line::a).filled_by_other.load(), 3u);
}

TEST(ArbitratedMoldUdp64Decoder, TrueLossIsReportedAsTheFrameGapAndBrokenFramesAreDroppedByReason) {
  SkewLog skew;
  ArbiterCounters counters;
  ArbitratedMoldUdp64Decoder<SkewLog> d({30001, 30001}, kWindow, skew, counters);
  Writer out;
  const Bytes f1 = frame(1, 1), far = frame(2 + kWindow, 1);
  d.decode(on_line(f1, 0), out);
  EXPECT_EQ(d.decode(on_line(far, 1), out).gap, 1u) << "2 left the window: lost on both lines";
  EXPECT_EQ(d.finish(), kWindow - 1) << "3 .. W+1 are settled at the end";
  MoldFrameSpec spec;
  const Bytes broken = build_broken_frame(DropReason::message_past_end, spec);
  EXPECT_EQ(d.decode(on_line(broken, 1), out).drop, DropReason::message_past_end);
  EXPECT_EQ(counters.line(Line::b).frames.load(), 1u) << "a dropped frame is no line's frame";
}

Bytes frame_to(std::uint64_t first, std::array<std::uint8_t, 4> dst_ip, bool vlan = false) {
  MoldFrameSpec spec;
  spec.first_seq = first;
  spec.dst_ip = dst_ip;
  spec.vlan = vlan;
  return build_moldudp64_frame(spec, std::vector<Bytes>(1, Bytes(24, std::byte{1})));
}

TEST(LineGroupFilter, ReadsTheIpv4DestinationWithAndWithoutAVlanTag) {
  const Bytes plain = frame_to(1, {239, 1, 2, 3}), tagged = frame_to(1, {239, 1, 2, 3}, true);
  EXPECT_EQ(ipv4_destination(on_line(plain, 0)), 0xEF010203u);
  EXPECT_EQ(ipv4_destination(on_line(tagged, 0)), 0xEF010203u);
}

TEST(ArbitratedMoldUdp64Decoder, FramesToAnotherGroupOnALineAreDroppedAsWrongGroupAndNeverArbitrated) {
  SkewLog skew;
  ArbiterCounters counters;
  // A joined 239.1.1.1, B 239.1.1.2.
  ArbitratedMoldUdp64Decoder<SkewLog, LineGroupFilter> d({30001, 30001}, kWindow, skew, counters,
                                                         LineGroupFilter({0xEF010101u, 0xEF010102u}));
  Writer out;
  const Bytes to_a = frame_to(1, {239, 1, 1, 1}), to_b = frame_to(1, {239, 1, 1, 2});
  const Bytes unicast = frame_to(2, {10, 0, 0, 2});
  EXPECT_EQ(d.decode(on_line(to_b, 0), out).drop, DropReason::wrong_group) << "B's group arriving on A";
  EXPECT_EQ(d.decode(on_line(unicast, 1), out).drop, DropReason::wrong_group) << "a unicast copy on B";
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(counters.line(Line::a).frames.load() + counters.line(Line::b).frames.load(), 0u)
      << "a dropped frame is no line's frame";
  EXPECT_EQ(d.decode(on_line(to_a, 0), out).drop, DropReason::none);
  EXPECT_EQ(d.decode(on_line(to_b, 1), out).drop, DropReason::none);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(counters.line(Line::b).duplicate.load(), 1u);
}

TEST(ArbitratedMoldUdp64Decoder, AGroupOnOneLineOnlyLeavesTheOtherLineOpenToAnyDestination) {
  SkewLog skew;
  ArbiterCounters counters;
  ArbitratedMoldUdp64Decoder<SkewLog, LineGroupFilter> d({30001, 30001}, kWindow, skew, counters,
                                                         LineGroupFilter({0xEF010101u, 0}));
  Writer out;
  const Bytes unicast = frame_to(1, {10, 0, 0, 2});
  EXPECT_EQ(d.decode(on_line(unicast, 1), out).drop, DropReason::none);
  EXPECT_EQ(d.decode(on_line(unicast, 0), out).drop, DropReason::wrong_group);
  EXPECT_EQ(out.events.size(), 1u);
}

TEST(DropReasons, WrongGroupIsForeignAndNamed) {
  EXPECT_TRUE(is_foreign(DropReason::wrong_group));
  EXPECT_EQ(to_string(DropReason::wrong_group), "wrong_group");
}

TEST(LinePairSource, TagsEachFrameWithItsLineAndAlternatesWhichLineGoesFirst) {
  const Bytes fa = frame(1, 1), fb = frame(1, 1);
  const std::vector<FrameView> va(4, FrameView{fa.data(), static_cast<std::uint32_t>(fa.size()), 0});
  const std::vector<FrameView> vb(4, FrameView{fb.data(), static_cast<std::uint32_t>(fb.size()), 0});
  SyntheticSource a(va), b(vb);
  LinePairSource<SyntheticSource, SyntheticSource> pair(a, b);
  std::vector<FrameView> out(4);
  ASSERT_EQ(pair.receive(out), 4u);
  for (const FrameView& f : out) EXPECT_EQ(f.line, 0) << "A first fills the burst";
  ASSERT_EQ(pair.receive(out), 4u);
  for (const FrameView& f : out) EXPECT_EQ(f.line, 1) << "then B goes first";
  EXPECT_EQ(a.delivered(), 4u);
  EXPECT_EQ(b.delivered(), 4u);
}

}  // namespace
}  // namespace tickpath::core

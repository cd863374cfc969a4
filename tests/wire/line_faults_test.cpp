// gen --lines 2: per-line faults on one feed, checked through the real two-line decoder: every
// arbiter counter follows from what the line faults say they injected.
#include <cstdint>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

#include "core/ingest/arbitrated_decoder.hpp"
#include "wire/feed_generator.hpp"
#include "wire/line_faults.hpp"
#include "tests/support/event_collector.hpp"

namespace tickpath::wire {
namespace {

using Writer = tickpath::testing::EventCollector;

struct Lines {
  std::vector<GenFrame> a, b;
  Injected feed;
  LineInjected a_injected, b_injected;
};

Lines generate(std::uint64_t frames, LineFaultSpec a_spec, LineFaultSpec b_spec) {
  FeedSpec spec;
  // High numbers; none past 2^64 - 1, where a frame is malformed (sequence_overflow) on both lines.
  spec.frame.first_seq = UINT64_MAX / 2;
  FeedGenerator gen(spec);
  LineFaults a(a_spec), b(b_spec);
  Lines out;
  auto offer = [&](const GenFrame& f) {
    gen.note_sent(f);
    a.offer(f, out.a);
    b.offer(f, out.b);
  };
  for (std::uint64_t i = 0; i < frames; ++i) offer(gen.next());
  for (const GenFrame& f : gen.finish()) offer(f);
  a.finish(out.a);
  b.finish(out.b);
  out.feed = gen.injected();
  out.a_injected = a.injected();
  out.b_injected = b.injected();
  return out;
}

struct Counted {
  core::ArbiterCounters counters;
  std::uint64_t published = 0;
};

// A and B interleaved frame by frame, B `lag` frames behind; every B frame 100 ticks after A's.
void receive(const Lines& l, std::size_t lag, Counted& c) {
  struct NoSkew {
    void record_b_later(core::Ticks) noexcept {}
    void record_a_later(core::Ticks) noexcept {}
  } skew;
  core::ArbitratedMoldUdp64Decoder<NoSkew> d({30001, 30001}, 4096, skew, c.counters);
  Writer w;
  auto feed = [&](const GenFrame& f, std::uint8_t line) {
    core::FrameView v{f.bytes.data(), static_cast<std::uint32_t>(f.bytes.size()), 0};
    v.line = line;
    d.decode(v, w);
  };
  for (std::size_t i = 0; i < std::max(l.a.size(), l.b.size() + lag); ++i) {
    w.rx = 1000 * i;
    if (i < l.a.size()) feed(l.a[i], 0);
    w.rx += 100;
    if (i >= lag && i - lag < l.b.size()) feed(l.b[i - lag], 1);
  }
  d.finish();
  c.published = w.events.size();
}

TEST(LineFaults, DropsOnAOnlyAreAllFilledByBAndNothingIsLost) {
  const Lines l = generate(20'000, {.drop_every = 20}, {});
  ASSERT_EQ(l.a_injected.dropped_frames, 1000u);
  Counted c;
  receive(l, 3, c);
  EXPECT_EQ(c.counters.line(core::Line::a).filled_by_other.load(), l.a_injected.dropped_messages);
  EXPECT_EQ(c.counters.line(core::Line::a).gaps.load(), l.a_injected.dropped_messages);
  EXPECT_EQ(c.counters.line(core::Line::b).gaps.load(), 0u);
  EXPECT_EQ(c.counters.lost.load(), 0u);
  EXPECT_EQ(c.published, l.feed.messages) << "every message of the feed, once";
  EXPECT_EQ(c.counters.line(core::Line::b).won.load(), l.a_injected.dropped_messages)
      << "B is behind: it wins exactly what A never sent";
}

TEST(LineFaults, DropsOnBothLinesOfTheSameFrameAreTrueLoss) {
  const Lines l = generate(6'000, {.drop_every = 6}, {.drop_every = 4});  // frames 12, 24, ... on both
  Counted c;
  receive(l, 0, c);
  EXPECT_GT(c.counters.lost.load(), 0u);
  EXPECT_EQ(c.counters.line(core::Line::a).gaps.load(),
            c.counters.line(core::Line::a).filled_by_other.load() + c.counters.lost.load());
  EXPECT_EQ(c.counters.line(core::Line::a).gaps.load(), l.a_injected.dropped_messages);
  EXPECT_EQ(c.counters.line(core::Line::b).gaps.load(), l.b_injected.dropped_messages);
  EXPECT_EQ(c.published + c.counters.lost.load(), l.feed.messages);
}

TEST(LineFaults, ReorderOnBOnlyLosesNothingAndCostsNoGap) {
  const Lines l = generate(5'000, {}, {.reorder_every = 7});
  EXPECT_GT(l.b_injected.reordered, 600u);
  Counted c;
  receive(l, 0, c);
  EXPECT_EQ(c.counters.lost.load(), 0u);
  EXPECT_EQ(c.counters.line(core::Line::b).gaps.load(), 0u);
  EXPECT_EQ(c.counters.line(core::Line::a).gaps.load(), 0u);
  EXPECT_EQ(c.published, l.feed.messages);
}

TEST(LineFaults, EachLineWritesItsOwnFileNamedWithItsLetter) {
  EXPECT_EQ(line_path("feed.pcap", 'A'), "feed-A.pcap");
  EXPECT_EQ(line_path("/tmp/x/feed.pcap", 'B'), "/tmp/x/feed-B.pcap");
  EXPECT_EQ(line_path("feed", 'B'), "feed-B");
}

TEST(LineFaults, DroppingEveryFrameIsRejectedNamingTheOption) {
  EXPECT_NE(validate(LineFaultSpec{.drop_every = 1}, 'A').find("--drop-every-a"), std::string::npos);
  EXPECT_TRUE(validate(LineFaultSpec{.drop_every = 2}, 'B').empty());
}

}  // namespace
}  // namespace tickpath::wire

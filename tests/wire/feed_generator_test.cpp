// The generator's frames through the real MoldUDP64 decoder: whatever faults were injected, the
// decoder's counts equal the generator's report exactly, and every message carries its stamp.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

#include "core/ingest/moldudp64.hpp"
#include "core/ingest/test_message.hpp"
#include "wire/feed_generator.hpp"
#include "tests/support/event_collector.hpp"

namespace tickpath::wire {
namespace {

using Writer = tickpath::testing::EventCollector;

struct Counted {
  std::uint64_t frames = 0, events = 0, gaps = 0, recovered = 0, duplicates = 0, out_of_order = 0;
  std::uint64_t heartbeats = 0, end_of_session = 0, stamped = 0;
  std::array<std::uint64_t, core::kDropReasonCount> drops{};
};

void decode_into(core::MoldUdp64Decoder& d, GenFrame f, Counted& c, std::uint64_t tsc) {
  stamp(f.bytes.data(), f.stamp_offsets, 1'000 + tsc, tsc);
  Writer w;
  const core::DecodeOutcome o =
      d.decode(core::FrameView{f.bytes.data(), static_cast<std::uint32_t>(f.bytes.size()), 0}, w);
  ++c.frames;
  c.events += w.events.size();
  for (const core::Event& e : w.events) c.stamped += e.send_tsc == tsc ? 1 : 0;
  c.drops[static_cast<std::size_t>(o.drop)] += 1;
  c.gaps += o.gap;
  c.recovered += o.recovered;
  c.duplicates += o.duplicate;
  c.out_of_order += o.out_of_order;
  c.heartbeats += o.heartbeat;
  c.end_of_session += o.end_of_session;
}

Counted send_all(FeedGenerator& gen, std::uint64_t frames) {
  core::MoldUdp64Decoder d(30001);
  Counted c;
  std::uint64_t tsc = 1;
  for (std::uint64_t i = 0; i < frames; ++i) {
    const GenFrame& f = gen.next();
    gen.note_sent(f);
    decode_into(d, f, c, tsc++);
  }
  for (const GenFrame& f : gen.finish()) {
    gen.note_sent(f);
    decode_into(d, f, c, tsc++);
  }
  return c;
}

void expect_exact(const Injected& in, const Counted& c) {
  EXPECT_EQ(c.frames, in.frames);
  EXPECT_EQ(c.events, in.messages) << "events = messages of every valid frame";
  EXPECT_EQ(c.stamped, in.messages) << "every message carries the sender's TSC";
  EXPECT_EQ(c.gaps - c.recovered, in.gap_sequences) << "really missing = injected gaps";
  EXPECT_EQ(c.duplicates, in.duplicates);
  EXPECT_EQ(c.out_of_order, in.reorders);
  EXPECT_EQ(c.heartbeats, in.heartbeats);
  EXPECT_EQ(c.end_of_session, in.end_of_session);
  for (std::size_t r = 1; r < core::kDropReasonCount; ++r) {
    EXPECT_EQ(c.drops[r], in.broken[r]) << core::to_string(static_cast<core::DropReason>(r));
  }
}

TEST(FeedGenerator, CleanFeedIsGaplessAndEndsWithEndOfSession) {
  FeedSpec spec;
  FeedGenerator gen(spec);
  const Counted c = send_all(gen, 1000);
  const Injected& in = gen.injected();
  EXPECT_EQ(in.frames, 1001u);
  EXPECT_EQ(in.end_of_session, 1u);
  EXPECT_EQ(c.gaps, 0u);
  EXPECT_EQ(c.duplicates, 0u);
  EXPECT_GE(in.messages, in.data_frames);
  EXPECT_EQ(gen.next_sequence(), spec.frame.first_seq + in.messages) << "gapless numbering";
  expect_exact(in, c);
}

TEST(FeedGenerator, EveryFaultTogetherIsCountedExactlyByTheDecoder) {
  FeedSpec spec;
  spec.max_messages = 5;
  spec.gap_every = 7;
  spec.gap_size = 3;
  spec.duplicate_every = 5;
  spec.reorder_every = 6;  // overlaps with both gaps and duplicates on purpose
  spec.malformed_every = 4;
  spec.heartbeat_every = 9;
  FeedGenerator gen(spec);
  const Counted c = send_all(gen, 5000);
  const Injected& in = gen.injected();
  EXPECT_GT(in.gaps, 0u);
  EXPECT_GT(in.duplicates, 0u);
  EXPECT_GT(in.reorders, 0u);
  EXPECT_GT(in.heartbeats, 0u);
  for (std::size_t r = 1; r < core::kDropReasonCount; ++r) {
    // wrong_group is foreign only to a line with a multicast group: the generator never injects it.
    if (static_cast<core::DropReason>(r) == core::DropReason::wrong_group) {
      EXPECT_EQ(in.broken[r], 0u);
      continue;
    }
    EXPECT_GT(in.broken[r], 0u) << "every drop class injected: " << core::to_string(static_cast<core::DropReason>(r));
  }
  expect_exact(in, c);
}

TEST(FeedGenerator, FixedMessageSizeAndCountAreHonoured) {
  FeedSpec spec;
  spec.max_messages = 1;
  spec.message_size = 64;
  FeedGenerator gen(spec);
  const GenFrame& f = gen.next();
  EXPECT_EQ(f.messages, 1u);
  EXPECT_EQ(f.bytes.size(), 14u + 20u + 8u + 20u + 2u + 64u);
  ASSERT_EQ(f.stamp_offsets.size(), 1u);
  EXPECT_EQ(f.stamp_offsets[0], 14u + 20u + 8u + 20u + 2u);
}

TEST(FrameAddresses, ParsedAddressesLandInTheFrame) {
  wire::MoldFrameSpec spec;
  ASSERT_TRUE(wire::parse_mac("01:00:5e:36:0c:01", spec.dst_mac));
  ASSERT_TRUE(wire::parse_ipv4("233.54.12.1", spec.dst_ip));
  ASSERT_TRUE(wire::parse_ipv4("192.168.7.9", spec.src_ip));
  const auto f = wire::build_moldudp64_frame(spec, {std::vector<std::byte>(4)});
  EXPECT_EQ(f[0], std::byte{0x01});
  EXPECT_EQ(f[2], std::byte{0x5e});
  EXPECT_EQ(f[5], std::byte{0x01});
  EXPECT_EQ(f[14 + 12], std::byte{192});
  EXPECT_EQ(f[14 + 15], std::byte{9});
  EXPECT_EQ(f[14 + 16], std::byte{233});
  EXPECT_EQ(f[14 + 19], std::byte{1});
  core::MoldUdp64Decoder d(spec.udp_dst_port);
  Writer w;
  EXPECT_EQ(d.decode(core::FrameView{f.data(), static_cast<std::uint32_t>(f.size()), 0}, w).drop, core::DropReason::none);
}

TEST(FrameAddresses, MalformedAddressesAreRejected) {
  std::array<std::uint8_t, 6> mac{};
  std::array<std::uint8_t, 4> ip{};
  for (const char* bad : {"", "01:00:5e:36:0c", "01:00:5e:36:0c:01:02", "01:00:5e:36:0c:1g", "100:0:0:0:0:0", "01::5e:36:0c:01"}) {
    EXPECT_FALSE(wire::parse_mac(bad, mac)) << bad;
  }
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "10.0.0.1.2", "10.0..1", "a.b.c.d"}) {
    EXPECT_FALSE(wire::parse_ipv4(bad, ip)) << bad;
  }
  EXPECT_TRUE(wire::parse_mac("AA:bb:0c:dd:ee:ff", mac));
  EXPECT_EQ(mac[0], 0xAA);
}

TEST(FeedGenerator, ValidationNamesTheOption) {
  FeedSpec spec;
  spec.message_size = 10;
  EXPECT_NE(validate(spec).find("--message-size"), std::string::npos);
  spec = {};
  spec.max_messages = 0;
  EXPECT_NE(validate(spec).find("--messages"), std::string::npos);
  spec = {};
  spec.frame.session = "TOO_LONG_SESSION";
  EXPECT_NE(validate(spec).find("--session"), std::string::npos);
  spec = {};
  spec.reorder_every = 1;
  EXPECT_NE(validate(spec).find("--reorder-every"), std::string::npos);
  EXPECT_EQ(validate(FeedSpec{}), "");
}

// The pcap writer and the DPDK sender both stamp send_ns from send_clock_ns: it must be the
// wall clock (CLOCK_REALTIME, what std::chrono::system_clock reads on Linux), not a
// monotonic clock counting from boot, or a receiver on another host computes nonsense.
TEST(FeedGenerator, SendClockReadsTheWallClockInNanoseconds) {
  const auto ns = [](std::chrono::system_clock::time_point t) {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
  };
  const std::uint64_t before = ns(std::chrono::system_clock::now());
  const std::uint64_t send = send_clock_ns();
  const std::uint64_t after = ns(std::chrono::system_clock::now());
  EXPECT_LE(before, send);
  EXPECT_LE(send, after);
}

TEST(FeedGenerator, StoppingMidUnitStillReportsExactlyWhatWasSent) {
  FeedSpec spec;
  spec.reorder_every = 2;
  spec.duplicate_every = 3;
  FeedGenerator gen(spec);
  // Stop after an odd number of frames: the second half of a swapped pair is still queued.
  const Counted c = send_all(gen, 7);
  expect_exact(gen.injected(), c);
}

}  // namespace
}  // namespace tickpath::wire

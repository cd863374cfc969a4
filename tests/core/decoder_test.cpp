// Frame decoders. MoldUDP64: valid frames (plain and VLAN, padded, with IP options), heartbeats,
// end of session, every drop reason exactly, no event for any dropped frame, and a fuzz run of
// random mutations (run under ASan+UBSan too: frames are decoded from exactly-sized heap
// buffers so any read past the end is caught). Raw: one event per frame.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "core/execution/event.hpp"
#include "core/ingest/decoder.hpp"
#include "core/ingest/drop_reason.hpp"
#include "core/ingest/ingest_counters.hpp"
#include "core/ingest/frame.hpp"
#include "tests/support/event_collector.hpp"
#include "wire/frame_builder.hpp"
#include "core/ingest/moldudp64.hpp"

namespace tickpath::core {
// Frames are built with the generator\'s builder (lib/wire), the way `tickpath gen` builds them.
using wire::MoldFrameSpec;
using wire::build_moldudp64_frame;
using wire::build_broken_frame;
namespace {

using Bytes = std::vector<std::byte>;
constexpr std::uint16_t kPort = 30001;

// The writer a decoder emits through: what it holds after a decode is what the stage would
// publish (a retracted frame's events are gone).
using CountingWriter = tickpath::testing::EventCollector;

// A copy of a frame in a heap block of exactly its length: ASan flags any read past the end.
class ExactFrame {
 public:
  explicit ExactFrame(const Bytes& bytes, std::uint64_t hw_timestamp = 0)
      : size_(bytes.size()), data_(new std::byte[std::max<std::size_t>(bytes.size(), 1)]) {
    std::copy(bytes.begin(), bytes.end(), data_.get());
    view_ = FrameView{data_.get(), static_cast<std::uint32_t>(size_), hw_timestamp};
  }
  [[nodiscard]] const FrameView& view() const noexcept { return view_; }

 private:
  std::size_t size_;
  std::unique_ptr<std::byte[]> data_;
  FrameView view_;
};

template <class Decoder>
DecodeOutcome decode(Decoder& decoder, const Bytes& frame, CountingWriter& out) {
  const ExactFrame exact(frame);
  return decoder.decode(exact.view(), out);
}

Bytes message(std::size_t n, std::uint8_t first) {
  Bytes m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = std::byte(static_cast<std::uint8_t>(first + i));
  return m;
}

std::uint16_t be16(const Bytes& b, std::size_t at) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(b[at]) << 8 |
                                    std::to_integer<unsigned>(b[at + 1]));
}
void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = std::byte(v >> 8);
  b[at + 1] = std::byte(v & 0xFF);
}

std::size_t l3_of(bool vlan) { return moldudp64::kEthernetHeader + (vlan ? moldudp64::kVlanTag : 0); }

// Checks one decoded event against the message bytes it came from.
void expect_event(const Event& e, std::uint64_t feed_seq, std::uint16_t index, const Bytes& msg,
                  std::size_t frame_length) {
  EXPECT_EQ(e.feed_seq, feed_seq);
  EXPECT_EQ(e.msg_index, index);
  EXPECT_EQ(e.msg_length, msg.size());
  EXPECT_EQ(e.frame_length, frame_length);
  EXPECT_EQ(e.send_tsc, 0u);
  EXPECT_EQ(e.flags, 0u);
  EXPECT_EQ(e.rx_tsc, 111u) << "stage-owned field left alone";
  for (std::size_t i = 0; i < kEventPayloadBytes; ++i) {
    const std::byte expected = i < msg.size() ? msg[i] : std::byte{0};
    EXPECT_EQ(e.payload[i], expected) << "payload byte " << i << " of message " << index;
  }
}

// ---- valid MoldUDP64 ----

TEST(MoldUdp64Decoder, SingleMessageFrame) {
  MoldFrameSpec spec;
  spec.first_seq = 77;
  const Bytes msg = message(5, 0x10);
  const Bytes f = build_moldudp64_frame(spec, {msg});
  MoldUdp64Decoder decoder(kPort);
  CountingWriter out;
  const DecodeOutcome o = decode(decoder, f, out);
  EXPECT_EQ(o.drop, DropReason::none);
  EXPECT_FALSE(o.heartbeat);
  EXPECT_FALSE(o.end_of_session);
  ASSERT_EQ(out.events.size(), 1u);
  expect_event(out.events[0], 77, 0, msg, f.size());
}

TEST(MoldUdp64Decoder, SequenceGapsAreCountedAndRetransmissionsAreNot) {
  MoldUdp64Decoder decoder(kPort);
  CountingWriter out;
  MoldFrameSpec spec;
  spec.first_seq = 1;
  EXPECT_EQ(decode(decoder, build_moldudp64_frame(spec, {message(4, 1), message(4, 2)}), out).gap, 0u)
      << "the first frame sets the expectation (next: 3)";
  spec.first_seq = 5;
  EXPECT_EQ(decode(decoder, build_moldudp64_frame(spec, {message(4, 3)}), out).gap, 2u) << "3 and 4 skipped";
  spec.first_seq = 1;
  EXPECT_EQ(decode(decoder, build_moldudp64_frame(spec, {message(4, 1), message(4, 2)}), out).gap, 0u)
      << "a retransmission of older messages is not a gap";
  spec.first_seq = 9;
  EXPECT_EQ(decode(decoder, build_moldudp64_frame(spec, {}, 0), out).gap, 3u)
      << "a heartbeat announcing 9 after 6 reveals 6, 7, 8 missing";
  spec.first_seq = 9;
  EXPECT_EQ(decode(decoder, build_moldudp64_frame(spec, {message(4, 9)}), out).gap, 0u);
}

TEST(MoldUdp64Decoder, MultiMessageFrameOneEventPerMessageInOrder) {
  for (bool vlan : {false, true}) {
    SCOPED_TRACE(vlan ? "vlan" : "untagged");
    MoldFrameSpec spec;
    spec.first_seq = 1'000'000'007;
    spec.vlan = vlan;
    const std::vector<Bytes> msgs = {message(0, 0), message(1, 0x20), message(7, 0x30),
                                     message(8, 0x40), message(9, 0x50), message(200, 0x60)};
    const Bytes f = build_moldudp64_frame(spec, msgs);
    MoldUdp64Decoder decoder(kPort);
    CountingWriter out;
    const DecodeOutcome o = decode(decoder, f, out);
    ASSERT_EQ(o.drop, DropReason::none) << to_string(o.drop);
    ASSERT_EQ(out.events.size(), msgs.size());
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      expect_event(out.events[i], spec.first_seq + i, static_cast<std::uint16_t>(i), msgs[i], f.size());
    }
  }
}

TEST(MoldUdp64Decoder, VlanFrameIsFourBytesLongerAndDecodesTheSame) {
  MoldFrameSpec plain_spec, vlan_spec;
  vlan_spec.vlan = true;
  const std::vector<Bytes> msgs = {message(12, 1), message(3, 9)};
  const Bytes plain = build_moldudp64_frame(plain_spec, msgs);
  const Bytes tagged = build_moldudp64_frame(vlan_spec, msgs);
  ASSERT_EQ(tagged.size(), plain.size() + moldudp64::kVlanTag);
  EXPECT_EQ(be16(tagged, 12), moldudp64::kEtherTypeVlan);
  MoldUdp64Decoder decoder(kPort);
  CountingWriter a, b;
  ASSERT_EQ(decode(decoder, plain, a).drop, DropReason::none);
  ASSERT_EQ(decode(decoder, tagged, b).drop, DropReason::none);
  ASSERT_EQ(a.events.size(), 2u);
  ASSERT_EQ(b.events.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a.events[i].feed_seq, b.events[i].feed_seq);
    EXPECT_EQ(std::memcmp(a.events[i].payload, b.events[i].payload, kEventPayloadBytes), 0);
    EXPECT_EQ(b.events[i].frame_length, tagged.size());
  }
}

TEST(MoldUdp64Decoder, HeartbeatIsValidAndEmitsNothing) {
  for (bool vlan : {false, true}) {
    MoldFrameSpec spec;
    spec.vlan = vlan;
    const Bytes f = build_moldudp64_frame(spec, {}, moldudp64::kHeartbeatCount);
    MoldUdp64Decoder decoder(kPort);
    CountingWriter out;
    const DecodeOutcome o = decode(decoder, f, out);
    EXPECT_EQ(o.drop, DropReason::none);
    EXPECT_TRUE(o.heartbeat);
    EXPECT_FALSE(o.end_of_session);
    EXPECT_EQ(out.events.size(), 0u);
  }
}

TEST(MoldUdp64Decoder, EndOfSessionIsValidAndEmitsNothing) {
  for (bool vlan : {false, true}) {
    MoldFrameSpec spec;
    spec.vlan = vlan;
    const Bytes f = build_moldudp64_frame(spec, {}, moldudp64::kEndOfSessionCount);
    MoldUdp64Decoder decoder(kPort);
    CountingWriter out;
    const DecodeOutcome o = decode(decoder, f, out);
    EXPECT_EQ(o.drop, DropReason::none);
    EXPECT_FALSE(o.heartbeat);
    EXPECT_TRUE(o.end_of_session);
    EXPECT_EQ(out.events.size(), 0u);
  }
}

TEST(MoldUdp64Decoder, HeartbeatOrEndOfSessionWithMessageBytesIsTrailingBytes) {
  for (int count : {int{moldudp64::kHeartbeatCount}, int{moldudp64::kEndOfSessionCount}}) {
    const Bytes f = build_moldudp64_frame(MoldFrameSpec{}, {message(4, 1)}, count);
    MoldUdp64Decoder decoder(kPort);
    CountingWriter out;
    const DecodeOutcome o = decode(decoder, f, out);
    EXPECT_EQ(o.drop, DropReason::trailing_bytes) << count;
    EXPECT_FALSE(o.heartbeat);
    EXPECT_FALSE(o.end_of_session);
    EXPECT_EQ(out.events.size(), 0u);
  }
}

TEST(MoldUdp64Decoder, EthernetPaddingBeyondTheIpTotalLengthIsStillValid) {
  for (bool vlan : {false, true}) {
    MoldFrameSpec spec;
    spec.vlan = vlan;
    const Bytes msg = message(3, 0x70);
    Bytes f = build_moldudp64_frame(spec, {msg});
    const std::size_t unpadded = f.size();
    f.resize(unpadded + 17, std::byte{0});  // NIC / switch padding after the datagram
    MoldUdp64Decoder decoder(kPort);
    CountingWriter out;
    const DecodeOutcome o = decode(decoder, f, out);
    ASSERT_EQ(o.drop, DropReason::none) << to_string(o.drop);
    ASSERT_EQ(out.events.size(), 1u);
    expect_event(out.events[0], spec.first_seq, 0, msg, f.size());

    Bytes hb = build_moldudp64_frame(spec, {}, 0);
    hb.resize(std::max<std::size_t>(hb.size() + 2, 64), std::byte{0});
    CountingWriter out2;
    const DecodeOutcome h = decode(decoder, hb, out2);
    EXPECT_EQ(h.drop, DropReason::none);
    EXPECT_TRUE(h.heartbeat);
  }
}

TEST(MoldUdp64Decoder, IpOptionsAreSkipped) {
  MoldFrameSpec spec;
  const Bytes msg = message(10, 0x01);
  Bytes f = build_moldudp64_frame(spec, {msg});
  const std::size_t l3 = l3_of(false);
  // Insert one 4-byte option word (NOPs) after the fixed header: IHL 6, total length + 4.
  f.insert(f.begin() + static_cast<std::ptrdiff_t>(l3 + 20), 4, std::byte{0x01});
  f[l3] = std::byte{0x46};
  put16(f, l3 + 2, static_cast<std::uint16_t>(be16(f, l3 + 2) + 4));
  MoldUdp64Decoder decoder(kPort);
  CountingWriter out;
  const DecodeOutcome o = decode(decoder, f, out);
  ASSERT_EQ(o.drop, DropReason::none) << to_string(o.drop);
  ASSERT_EQ(out.events.size(), 1u);
  expect_event(out.events[0], spec.first_seq, 0, msg, f.size());
}

TEST(MoldUdp64Decoder, HardwareTimestampReachesTheWriterAndDecoderUsesItsPort) {
  MoldFrameSpec spec;
  spec.udp_dst_port = 12345;
  const Bytes f = build_moldudp64_frame(spec, {message(2, 1)});
  const ExactFrame exact(f, 0xABCDEF);
  MoldUdp64Decoder ours(12345);
  CountingWriter out;
  ASSERT_EQ(ours.decode(exact.view(), out).drop, DropReason::none);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].nic_rx_ts, 0xABCDEFu);
  MoldUdp64Decoder other(kPort);
  CountingWriter none;
  EXPECT_EQ(other.decode(exact.view(), none).drop, DropReason::wrong_port);
  EXPECT_EQ(none.events.size(), 0u);
}

// ---- every drop reason ----

class DropReasonTest : public ::testing::TestWithParam<std::tuple<DropReason, bool>> {};

TEST_P(DropReasonTest, BrokenFrameIsDroppedWithExactlyThatReasonAndNoEvent) {
  const auto [reason, vlan] = GetParam();
  MoldFrameSpec spec;
  spec.vlan = vlan;
  const Bytes f = build_broken_frame(reason, spec);
  MoldUdp64Decoder decoder(spec.udp_dst_port);
  CountingWriter out;
  const DecodeOutcome o = decode(decoder, f, out);
  EXPECT_EQ(o.drop, reason) << "got " << to_string(o.drop);
  EXPECT_FALSE(o.heartbeat);
  EXPECT_FALSE(o.end_of_session);
  EXPECT_EQ(out.events.size(), 0u) << "a dropped frame emits no event";
}

std::vector<DropReason> all_drop_reasons() {
  std::vector<DropReason> r;
  for (auto i = static_cast<std::size_t>(DropReason::not_ipv4);
       i <= static_cast<std::size_t>(DropReason::sequence_overflow); ++i) {
    r.push_back(static_cast<DropReason>(i));
  }
  return r;
}

INSTANTIATE_TEST_SUITE_P(
    EveryReason, DropReasonTest,
    ::testing::Combine(::testing::ValuesIn(all_drop_reasons()), ::testing::Bool()),
    [](const auto& info) {
      return std::string(to_string(std::get<0>(info.param))) +
             (std::get<1>(info.param) ? "_vlan" : "_untagged");
    });

TEST(MoldUdp64DecoderDrops, BuilderWithReasonNoneGivesAValidFrame) {
  const Bytes f = build_broken_frame(DropReason::none, MoldFrameSpec{});
  MoldUdp64Decoder decoder(kPort);
  CountingWriter out;
  EXPECT_EQ(decode(decoder, f, out).drop, DropReason::none);
  EXPECT_EQ(out.events.size(), 2u);
}

TEST(MoldUdp64DecoderDrops, ABrokenBlockAfterGoodOnesRetractsWhatTheFrameEmitted) {
  // One walk checks each block and emits it: the verdict comes after some events were written,
  // and the frame must still leave nothing behind.
  const std::size_t mold = l3_of(false) + 20 + 8;
  struct Case {
    const char* what;
    DropReason reason;
    std::size_t emitted;  // events written before the verdict
  };
  for (const Case c : {Case{"count one past the blocks", DropReason::message_past_end, 3},
                       Case{"bytes after the last block", DropReason::trailing_bytes, 3},
                       Case{"numbers past 2^64 - 1", DropReason::sequence_overflow, 3}}) {
    SCOPED_TRACE(c.what);
    MoldFrameSpec spec;
    if (c.reason == DropReason::sequence_overflow) spec.first_seq = ~std::uint64_t{0} - 1;
    Bytes f = build_moldudp64_frame(spec, {message(36, 1), message(36, 2), message(36, 3)});
    if (c.reason == DropReason::message_past_end) put16(f, mold + 18, 4);
    if (c.reason == DropReason::trailing_bytes) {
      f.push_back(std::byte{0});
      put16(f, l3_of(false) + 2, static_cast<std::uint16_t>(f.size() - l3_of(false)));
      put16(f, l3_of(false) + 20 + 4, static_cast<std::uint16_t>(f.size() - l3_of(false) - 20));
    }
    MoldUdp64Decoder decoder(spec.udp_dst_port);
    CountingWriter out;
    out.events.emplace_back();  // an earlier frame's event: the retraction must leave it alone
    const DecodeOutcome o = decode(decoder, f, out);
    EXPECT_EQ(o.drop, c.reason) << "got " << to_string(o.drop);
    EXPECT_EQ(out.emitted, c.emitted);
    EXPECT_EQ(out.retracted, 1u);
    EXPECT_EQ(out.events.size(), 1u) << "only the earlier frame's event is left";
    EXPECT_EQ(o.gap, 0u) << "a malformed frame never reaches the tracker";
  }
}

TEST(MoldUdp64DecoderDrops, TruncationAtEveryLengthIsDroppedAndEmitsNothing) {
  for (bool vlan : {false, true}) {
    MoldFrameSpec spec;
    spec.vlan = vlan;
    const Bytes full = build_moldudp64_frame(spec, {message(6, 1), message(11, 2)});
    MoldUdp64Decoder decoder(kPort);
    const std::size_t l3 = l3_of(vlan);
    for (std::size_t len = 0; len < full.size(); ++len) {
      const Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
      CountingWriter out;
      const DecodeOutcome o = decode(decoder, cut, out);
      ASSERT_NE(o.drop, DropReason::none) << "length " << len;
      EXPECT_EQ(out.events.size(), 0u) << "length " << len;
      // The reason names the first layer that no longer fits.
      if (len < l3) {
        EXPECT_EQ(o.drop, DropReason::truncated_ethernet) << len;
      } else if (len < l3 + 20) {
        EXPECT_EQ(o.drop, DropReason::truncated_ip) << len;
      } else {
        EXPECT_EQ(o.drop, DropReason::ip_length_mismatch) << len << ": IP total length past the frame";
      }
    }
  }
}

TEST(MoldUdp64DecoderDrops, HeaderFieldEdgeCases) {
  MoldUdp64Decoder decoder(kPort);
  const MoldFrameSpec spec;
  const std::size_t l3 = l3_of(false);
  const std::size_t l4 = l3 + 20;
  const Bytes good = build_moldudp64_frame(spec, {message(4, 1), message(4, 2)});
  auto expect_drop = [&](const Bytes& f, DropReason want, const char* what) {
    CountingWriter out;
    const DecodeOutcome o = decode(decoder, f, out);
    EXPECT_EQ(o.drop, want) << what << ": got " << to_string(o.drop);
    EXPECT_EQ(out.events.size(), 0u) << what;
  };
  {
    Bytes f(good.begin(), good.begin() + 16);  // VLAN tag announced, cut inside it
    put16(f, 12, moldudp64::kEtherTypeVlan);
    expect_drop(f, DropReason::truncated_ethernet, "cut VLAN tag");
  }
  {
    Bytes f = good;
    put16(f, 12, 0x0806);  // ARP
    expect_drop(f, DropReason::not_ipv4, "ARP");
  }
  {
    Bytes f = good;
    f[l3] = std::byte{0x44};  // IHL 4
    expect_drop(f, DropReason::bad_ip_header, "IHL below 5");
  }
  {
    Bytes f = build_moldudp64_frame(spec, {}, 0);  // 62 bytes
    f[l3] = std::byte{0x4F};                        // IHL 15: 60-byte header past the frame
    expect_drop(f, DropReason::truncated_ip, "IHL past the frame");
  }
  {
    Bytes f = good;
    put16(f, l3 + 2, 19);  // total length below the header
    expect_drop(f, DropReason::ip_length_mismatch, "total below IHL");
  }
  {
    Bytes f = good;
    put16(f, l3 + 6, 0x4000 | 0x0010);  // DF plus a fragment offset
    expect_drop(f, DropReason::ip_fragment, "non-first fragment");
  }
  {
    Bytes f = good;
    put16(f, l4 + 4, static_cast<std::uint16_t>(be16(f, l4 + 4) + 1));  // UDP length too long
    expect_drop(f, DropReason::udp_length_mismatch, "UDP length past the datagram");
  }
  {
    Bytes f = good;
    put16(f, l4 + 8 + 18, 3);  // three messages announced, two present
    expect_drop(f, DropReason::message_past_end, "count beyond the messages");
  }
  {
    Bytes f = build_moldudp64_frame(spec, {message(4, 1)});
    f.push_back(std::byte{0});  // one byte after the last message: not even a length prefix
    put16(f, l3 + 2, static_cast<std::uint16_t>(be16(f, l3 + 2) + 1));
    put16(f, l4 + 4, static_cast<std::uint16_t>(be16(f, l4 + 4) + 1));
    put16(f, l4 + 8 + 18, 2);
    expect_drop(f, DropReason::message_past_end, "half a length prefix");
  }
}

// ---- reasons ----

TEST(DropReasons, ToStringIsDistinctAndKnownForEveryReason) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kDropReasonCount; ++i) {
    const std::string_view name = to_string(static_cast<DropReason>(i));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_FALSE(name.empty()) << i;
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
  }
  EXPECT_EQ(names.size(), kDropReasonCount);
  EXPECT_EQ(to_string(DropReason::none), "none");
  EXPECT_EQ(to_string(DropReason::kCount), "unknown");
  EXPECT_EQ(to_string(static_cast<DropReason>(200)), "unknown");
}

TEST(DropReasons, ForeignIsExactlyNotIpv4NotUdpWrongPortAndWrongGroup) {
  for (std::size_t i = 0; i < kDropReasonCount; ++i) {
    const auto r = static_cast<DropReason>(i);
    const bool expected =
        r == DropReason::not_ipv4 || r == DropReason::not_udp || r == DropReason::wrong_port ||
        r == DropReason::wrong_group;
    EXPECT_EQ(is_foreign(r), expected) << to_string(r);
  }
  EXPECT_EQ(kDropReasonCount, 16u);
}

TEST(DropReasons, CountersSplitForeignAndMalformed) {
  IngestCounters c;
  for (std::size_t i = 1; i < kDropReasonCount; ++i) c.drops[i].add(i);  // reason i counted i times
  std::uint64_t foreign = 0, malformed = 0;
  for (std::size_t i = 1; i < kDropReasonCount; ++i) {
    (is_foreign(static_cast<DropReason>(i)) ? foreign : malformed) += i;
    EXPECT_EQ(c.dropped(static_cast<DropReason>(i)), i);
  }
  EXPECT_EQ(c.foreign(), foreign);
  EXPECT_EQ(c.malformed(), malformed);
  EXPECT_EQ(c.dropped(DropReason::none), 0u);
}

// ---- raw ----

TEST(RawDecoder, OneEventPerFrameWithACounterFromOne) {
  RawDecoder decoder;
  CountingWriter out;
  const Bytes a = message(64, 0x01), b = message(3, 0x80), c = message(1500, 0x33);
  for (const Bytes* f : {&a, &b, &c, &a}) EXPECT_EQ(decode(decoder, *f, out).drop, DropReason::none);
  ASSERT_EQ(out.events.size(), 4u);
  const Bytes* frames[] = {&a, &b, &c, &a};
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    const Event& e = out.events[i];
    EXPECT_EQ(e.feed_seq, i + 1);
    EXPECT_EQ(e.msg_index, 0u);
    EXPECT_EQ(e.msg_length, frames[i]->size());
    EXPECT_EQ(e.frame_length, frames[i]->size());
    EXPECT_EQ(e.send_tsc, 0u);
    EXPECT_EQ(e.flags, 0u);
    for (std::size_t j = 0; j < kEventPayloadBytes; ++j) {
      EXPECT_EQ(e.payload[j], j < frames[i]->size() ? (*frames[i])[j] : std::byte{0}) << j;
    }
  }
}

TEST(RawDecoder, ZeroFilledFrameLikeTheNullPmdAndEmptyFrame) {
  RawDecoder decoder;
  CountingWriter out;
  EXPECT_EQ(decode(decoder, Bytes(60, std::byte{0}), out).drop, DropReason::none);
  EXPECT_EQ(decode(decoder, Bytes{}, out).drop, DropReason::none);  // non-null, zero length
  ASSERT_EQ(out.events.size(), 2u);
  for (const Event& e : out.events) {
    for (std::byte b : e.payload) EXPECT_EQ(b, std::byte{0});
  }
  EXPECT_EQ(out.events[1].msg_length, 0u);
  EXPECT_EQ(out.events[1].feed_seq, 2u);
}

TEST(RawDecoder, LengthSaturatesAt65535) {
  RawDecoder decoder;
  CountingWriter out;
  EXPECT_EQ(decode(decoder, Bytes(70'000, std::byte{7}), out).drop, DropReason::none);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].msg_length, 0xFFFFu);
  EXPECT_EQ(out.events[0].frame_length, 0xFFFFu);
}

// ---- fuzz ----

// Independent re-walk of a frame the decoder accepted: the events must be exactly its messages.
void check_accepted(const Bytes& f, const CountingWriter& out, bool& ok) {
  ok = false;
  const bool vlan = be16(f, 12) == moldudp64::kEtherTypeVlan;
  const std::size_t l3 = l3_of(vlan);
  const std::size_t ihl = (std::to_integer<std::size_t>(f[l3]) & 0x0F) * 4;
  const std::size_t ip_total = be16(f, l3 + 2);
  ASSERT_LE(l3 + ip_total, f.size());
  const std::size_t mold = l3 + ihl + moldudp64::kUdpHeader;
  std::uint64_t first_seq = 0;
  for (std::size_t i = 0; i < 8; ++i) first_seq = first_seq << 8 | std::to_integer<std::uint64_t>(f[mold + 10 + i]);
  ASSERT_EQ(be16(f, mold + 18), out.events.size());
  std::size_t at = mold + moldudp64::kHeader;
  for (std::size_t i = 0; i < out.events.size(); ++i) {
    const Event& e = out.events[i];
    ASSERT_LE(at + 2, l3 + ip_total);
    const std::size_t n = be16(f, at);
    ASSERT_EQ(e.msg_length, n);
    ASSERT_EQ(e.msg_index, i);
    ASSERT_EQ(e.feed_seq, first_seq + i);
    ASSERT_EQ(e.frame_length, std::min<std::size_t>(f.size(), 0xFFFF));
    ASSERT_EQ(e.flags, 0u);
    ASSERT_EQ(e.send_tsc, 0u);
    for (std::size_t j = 0; j < kEventPayloadBytes; ++j) {
      ASSERT_EQ(e.payload[j], j < n ? f[at + 2 + j] : std::byte{0});
    }
    at += 2 + n;
  }
  ASSERT_EQ(at, l3 + ip_total) << "messages end exactly at the datagram's end";
  ok = true;
}

TEST(MoldUdp64DecoderFuzz, RandomMutationsNeverCrashNeverEmitForDropsAlwaysClassify) {
  std::vector<Bytes> bases;
  for (bool vlan : {false, true}) {
    MoldFrameSpec spec;
    spec.vlan = vlan;
    bases.push_back(build_moldudp64_frame(spec, {message(8, 1)}));
    bases.push_back(build_moldudp64_frame(spec, {message(0, 0), message(3, 5), message(20, 9)}));
    std::vector<Bytes> many;
    for (std::size_t i = 0; i < 20; ++i) many.push_back(message(i % 5, static_cast<std::uint8_t>(i)));
    bases.push_back(build_moldudp64_frame(spec, many));
    bases.push_back(build_moldudp64_frame(spec, {}, moldudp64::kHeartbeatCount));
    bases.push_back(build_moldudp64_frame(spec, {}, moldudp64::kEndOfSessionCount));
    for (DropReason r : all_drop_reasons()) bases.push_back(build_broken_frame(r, spec));
  }

  std::mt19937_64 rng(0x71C6'9A7Bu);
  auto below = [&](std::size_t n) { return n == 0 ? std::size_t{0} : static_cast<std::size_t>(rng() % n); };
  MoldUdp64Decoder decoder(kPort);
  std::array<std::uint64_t, kDropReasonCount> by_reason{};
  std::uint64_t accepted_with_events = 0, heartbeats = 0, ends = 0;
  constexpr int kIterations = 200'000;
  for (int it = 0; it < kIterations; ++it) {
    Bytes f = bases[below(bases.size())];
    const std::size_t kind = below(8);
    if (kind <= 3) {  // 1..4 random bytes changed; header bytes more often than payload
      const std::size_t flips = 1 + below(4);
      for (std::size_t k = 0; k < flips && !f.empty(); ++k) {
        const std::size_t at = below(3) == 0 ? below(f.size()) : below(std::min<std::size_t>(f.size(), 66));
        f[at] = std::byte(static_cast<std::uint8_t>(rng()));
      }
    } else if (kind == 4) {  // a single bit
      if (!f.empty()) f[below(f.size())] ^= std::byte(static_cast<std::uint8_t>(1u << below(8)));
    } else if (kind == 5) {  // truncated
      f.resize(below(f.size() + 1));
    } else if (kind == 6) {  // extended with random bytes (padding or junk)
      const std::size_t extra = 1 + below(40);
      for (std::size_t k = 0; k < extra; ++k) f.push_back(std::byte(static_cast<std::uint8_t>(rng())));
    } else {  // a random 16-bit field overwritten with an edge value, then maybe truncated
      if (f.size() >= 2) {
        static constexpr std::uint16_t kEdges[] = {0, 1, 2, 19, 20, 27, 28, 0x7FFF, 0xFFFE, 0xFFFF};
        put16(f, below(f.size() - 1), kEdges[below(std::size(kEdges))]);
      }
      if (below(2) == 0) f.resize(below(f.size() + 1));
    }

    CountingWriter out;
    const DecodeOutcome o = decode(decoder, f, out);
    ASSERT_LT(static_cast<std::size_t>(o.drop), kDropReasonCount) << "iteration " << it;
    if (o.drop != DropReason::none) {
      ASSERT_EQ(out.events.size(), 0u) << "dropped frame emitted, iteration " << it;
      ASSERT_FALSE(o.heartbeat || o.end_of_session) << it;
      ++by_reason[static_cast<std::size_t>(o.drop)];
    } else if (o.heartbeat || o.end_of_session) {
      ASSERT_FALSE(o.heartbeat && o.end_of_session) << it;
      ASSERT_EQ(out.events.size(), 0u) << it;
      (o.heartbeat ? heartbeats : ends) += 1;
    } else {
      ASSERT_GT(out.events.size(), 0u) << "success without events or a heartbeat, iteration " << it;
      bool ok = false;
      check_accepted(f, out, ok);
      ASSERT_TRUE(ok) << "iteration " << it;
      ++accepted_with_events;
    }
    // Decoding is a pure function of the bytes (apart from the raw counter): same answer twice.
    if (it % 16 == 0) {
      CountingWriter again;
      const DecodeOutcome o2 = decode(decoder, f, again);
      ASSERT_EQ(o2.drop, o.drop) << it;
      ASSERT_EQ(again.events.size(), out.events.size()) << it;
    }
  }
  // The mutations reached every branch: each reason, valid frames, heartbeats, end of session.
  for (DropReason r : all_drop_reasons()) {
    EXPECT_GT(by_reason[static_cast<std::size_t>(r)], 0u) << to_string(r);
  }
  EXPECT_GT(accepted_with_events, 0u);
  EXPECT_GT(heartbeats, 0u);
  EXPECT_GT(ends, 0u);
}

TEST(RawDecoderFuzz, AnyFrameIsOneEvent) {
  std::mt19937_64 rng(42);
  RawDecoder decoder;
  CountingWriter out;
  for (int it = 0; it < 5'000; ++it) {
    Bytes f(rng() % 200);
    for (std::byte& b : f) b = std::byte(static_cast<std::uint8_t>(rng()));
    const DecodeOutcome o = decode(decoder, f, out);
    ASSERT_EQ(o.drop, DropReason::none);
    ASSERT_EQ(out.events.size(), static_cast<std::size_t>(it) + 1);
    ASSERT_EQ(out.events.back().feed_seq, static_cast<std::uint64_t>(it) + 1);
    ASSERT_EQ(out.events.back().msg_length, f.size());
  }
}

}  // namespace
}  // namespace tickpath::core

#pragma once
// `moldudp64`: Ethernet (optionally one 802.1Q tag) / IPv4 / UDP to the feed's port, carrying
// MoldUDP64 (Nasdaq): a 20-byte header, then `count` length-prefixed opaque messages.
//
//   offset  size  field (after the UDP header, all big-endian)
//   0       10    session (ASCII)
//   10      8     sequence number of the first message
//   18      2     message count (0 = heartbeat, 0xFFFF = end of session)
//   20      2+n   message block: length n, then n bytes      (repeated `count` times)
//
// Messages stay opaque; one that starts with tickpath's test-message header (test_message.hpp)
// gives its event the sender's TSC. Sequence numbers are tracked per session (feed_sessions.hpp):
// gaps, duplicates and out-of-order frames are counted, and every valid message is published,
// duplicates included (the executor sees what the wire delivered; the counters say what it was).
//
// Every field is read at a fixed or walked offset with explicit bounds checks; a frame that is
// not ours is dropped as foreign, one that is ours but broken as malformed, each by reason.
// The message blocks are walked once: each is checked, then emitted into the ring slot; a
// broken one retracts the frame's events before anything is published (decoded_event.hpp).
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/ingest/decoder.hpp"
#include "core/ingest/feed_sessions.hpp"
#include "core/ingest/test_message.hpp"

namespace tickpath::core {

namespace moldudp64 {
inline constexpr std::size_t kEthernetHeader = 14;
inline constexpr std::size_t kVlanTag = 4;
inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeVlan = 0x8100;
inline constexpr std::size_t kIpv4MinHeader = 20;
inline constexpr std::uint8_t kIpProtoUdp = 17;
inline constexpr std::size_t kUdpHeader = 8;
inline constexpr std::size_t kHeader = 20;
inline constexpr std::size_t kSessionBytes = 10;
inline constexpr std::uint16_t kHeartbeatCount = 0;
inline constexpr std::uint16_t kEndOfSessionCount = 0xFFFF;
}  // namespace moldudp64

namespace detail {
// One unaligned load and, on a little-endian host, one byte swap (x86 and AArch64 have both).
inline std::uint16_t load_be16(const std::byte* p) noexcept {
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap16(v);
  return v;
}
inline std::uint64_t load_be64(const std::byte* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  return v;
}
}  // namespace detail

// A frame that passed every check: where its MoldUDP64 part is and what its header says.
struct MoldFrame {
  DropReason drop = DropReason::none;  // anything else: the frame is not to be used
  const std::byte* mold = nullptr;     // the MoldUDP64 header (its first 10 bytes: the session)
  std::size_t mold_length = 0;         // header + message blocks
  std::uint64_t first_seq = 0;
  std::uint16_t count = 0;

  [[nodiscard]] bool carries_messages() const noexcept {
    return count != moldudp64::kHeartbeatCount && count != moldudp64::kEndOfSessionCount;
  }
};

// Ethernet, IPv4, UDP and the MoldUDP64 header; a frame without messages (heartbeat, end of
// session) is checked whole. The message blocks are not walked yet: walk_message_blocks does that.
inline MoldFrame parse_moldudp64_headers(const FrameView& frame, std::uint16_t udp_port) noexcept {
  using namespace moldudp64;
  using detail::load_be16;
  const std::byte* p = frame.data;
  const std::size_t len = frame.length;

  // Ethernet
  if (len < kEthernetHeader) return {DropReason::truncated_ethernet};
  std::size_t l3 = kEthernetHeader;
  std::uint16_t ether_type = load_be16(p + 12);
  if (ether_type == kEtherTypeVlan) {
    if (len < kEthernetHeader + kVlanTag) return {DropReason::truncated_ethernet};
    ether_type = load_be16(p + 16);
    l3 += kVlanTag;
  }
  if (ether_type != kEtherTypeIpv4) return {DropReason::not_ipv4};

  // IPv4
  if (len < l3 + kIpv4MinHeader) return {DropReason::truncated_ip};
  const unsigned version_ihl = std::to_integer<unsigned>(p[l3]);
  const std::size_t ihl = (version_ihl & 0x0F) * 4u;
  if ((version_ihl >> 4) != 4 || ihl < kIpv4MinHeader) return {DropReason::bad_ip_header};
  if (len < l3 + ihl) return {DropReason::truncated_ip};
  if (std::to_integer<std::uint8_t>(p[l3 + 9]) != kIpProtoUdp) return {DropReason::not_udp};
  const std::size_t ip_total = load_be16(p + l3 + 2);
  // Ethernet pads short frames, so the frame may be longer than the datagram, never shorter.
  if (ip_total > len - l3 || ip_total < ihl) return {DropReason::ip_length_mismatch};
  if ((load_be16(p + l3 + 6) & 0x3FFF) != 0) return {DropReason::ip_fragment};  // MF or offset

  // UDP
  const std::size_t l4 = l3 + ihl;
  if (ip_total < ihl + kUdpHeader) return {DropReason::truncated_udp};
  if (load_be16(p + l4 + 2) != udp_port) return {DropReason::wrong_port};
  const std::size_t udp_length = load_be16(p + l4 + 4);
  if (udp_length != ip_total - ihl) return {DropReason::udp_length_mismatch};

  // MoldUDP64 header
  MoldFrame f;
  f.mold = p + l4 + kUdpHeader;
  f.mold_length = udp_length - kUdpHeader;
  if (f.mold_length < kHeader) return {DropReason::truncated_moldudp64};
  f.first_seq = detail::load_be64(f.mold + kSessionBytes);
  f.count = load_be16(f.mold + 18);
  if (!f.carries_messages()) {
    if (f.mold_length != kHeader) return {DropReason::trailing_bytes};
    return f;
  }
  return f;
}

// Walks the message blocks of a frame whose headers parsed, checking each before it calls
// on_message(index, sequence, bytes, length) for it; returns why the frame is malformed, or none
// when every block was inside the frame, nothing followed the last, and the numbers do not wrap.
// A caller that acts on messages before the walk ends must undo that on a failure (the writer's
// retract_frame): the verdict comes last.
template <class OnMessage>
inline DropReason walk_message_blocks(const MoldFrame& f, OnMessage&& on_message) noexcept {
  using namespace moldudp64;
  std::size_t at = kHeader;
  for (std::uint16_t i = 0; i < f.count; ++i) {
    if (f.mold_length - at < 2) return DropReason::message_past_end;
    const std::size_t n = detail::load_be16(f.mold + at);
    if (f.mold_length - at - 2 < n) return DropReason::message_past_end;
    on_message(i, f.first_seq + i, f.mold + at + 2, n);
    at += 2 + n;
  }
  if (at != f.mold_length) return DropReason::trailing_bytes;
  // Message numbers first_seq .. first_seq + count - 1 must not wrap past 2^64 - 1: a wrapped
  // range would read as "far behind" to the tracker and as a reset to everyone downstream.
  // (The exclusive end first_seq + count must be representable too, hence >, not >=.)
  if (f.first_seq > ~std::uint64_t{0} - f.count) [[unlikely]] return DropReason::sequence_overflow;
  return DropReason::none;
}

// Validates the whole frame (headers, then every message block) before anything is emitted.
inline MoldFrame parse_moldudp64(const FrameView& frame, std::uint16_t udp_port) noexcept {
  MoldFrame f = parse_moldudp64_headers(frame, udp_port);
  if (f.drop != DropReason::none || !f.carries_messages()) return f;
  if (const DropReason r = walk_message_blocks(f, [](auto...) noexcept {}); r != DropReason::none) return {r};
  return f;
}

// Walks the message blocks of a parsed frame: emit(index, sequence, bytes, length) per message.
template <class Emit>
inline void for_each_message(const MoldFrame& f, Emit&& emit) noexcept {
  std::size_t at = moldudp64::kHeader;
  for (std::uint16_t i = 0; i < f.count; ++i) {
    const std::size_t n = detail::load_be16(f.mold + at);
    emit(i, f.first_seq + i, f.mold + at + 2, n);
    at += 2 + n;
  }
}

// A message's event, as its decoder hands it to the writer.
[[nodiscard]] inline DecodedEvent message_event(std::uint16_t frame_length, std::uint16_t index, std::uint64_t seq,
                                                const std::byte* message, std::size_t length) noexcept {
  return DecodedEvent{seq, test_message::send_tsc(message, length),
                      pack_lengths(static_cast<std::uint16_t>(length), index, frame_length),
                      payload_word(message, length)};
}

// Event::frame_length of a frame: its bytes, saturated at 65535.
[[nodiscard]] inline std::uint16_t saturated_frame_length(const FrameView& frame) noexcept {
  return static_cast<std::uint16_t>(frame.length > 0xFFFF ? 0xFFFF : frame.length);
}

class MoldUdp64Decoder {
 public:
  explicit MoldUdp64Decoder(std::uint16_t udp_port) noexcept : udp_port_(udp_port) {}

  // Always inlined into the stage's burst loop: the writer then stays a local in registers
  // across the slot stores (ingest_stage.hpp); called out of line, it lives in memory and every
  // event reloads the writer's cursor and the ring's geometry.
  template <class Writer>
  [[gnu::always_inline]] DecodeOutcome decode(const FrameView& frame, Writer& out) noexcept {
    const MoldFrame f = parse_moldudp64_headers(frame, udp_port_);
    if (f.drop != DropReason::none) return {f.drop};
    if (!f.carries_messages()) {
      // A heartbeat carries the next expected sequence number: it reveals a gap too.
      DecodeOutcome o;
      if (SequenceTracker* t = sessions_.find(f.mold)) [[likely]] {
        o.gap = t->announce(f.first_seq).gap;
      } else {
        o.untracked = true;
      }
      o.heartbeat = f.count == moldudp64::kHeartbeatCount;
      o.end_of_session = f.count == moldudp64::kEndOfSessionCount;
      return o;
    }

    if (const DropReason r = emit_messages(frame, f, out); r != DropReason::none) return {r};
    // The frame is valid: only now does its range reach the session's tracker.
    DecodeOutcome outcome;
    if (SequenceTracker* t = sessions_.find(f.mold)) [[likely]] {
      const SequenceVerdict v = t->frame(f.first_seq, f.count);
      outcome.gap = v.gap;
      outcome.recovered = v.recovered;
      outcome.duplicate = v.duplicate;
      outcome.out_of_order = v.out_of_order;
    } else {
      outcome.untracked = true;
    }
    return outcome;
  }

 private:
  // One event per message, in one walk that validates each block before emitting it; a broken
  // block or a bad ending retracts what the frame emitted, so a malformed frame still yields no
  // event. A frame of more messages than the writer can hold back unpublished is validated
  // whole first and then emitted (it may be published in parts).
  template <class Writer>
  [[gnu::always_inline]] static DropReason emit_messages(const FrameView& frame, const MoldFrame& f, Writer& out) noexcept {
    const std::uint16_t frame_length = saturated_frame_length(frame);
    const FrameStamps stamps = out.stamps(frame);
    const auto emit = [&](std::uint16_t i, std::uint64_t seq, const std::byte* m, std::size_t n) noexcept {
      out.emit(stamps, message_event(frame_length, i, seq, m, n));
    };
    if (f.count > kMaxFrameEvents) [[unlikely]] {
      if (const DropReason r = walk_message_blocks(f, [](auto...) noexcept {}); r != DropReason::none) return r;
      for_each_message(f, emit);
      return DropReason::none;
    }
    out.begin_frame(f.count);
    const DropReason r = walk_message_blocks(f, emit);
    if (r != DropReason::none) [[unlikely]] out.retract_frame();
    return r;
  }

  std::uint16_t udp_port_;
  FeedSessions sessions_;
};

}  // namespace tickpath::core

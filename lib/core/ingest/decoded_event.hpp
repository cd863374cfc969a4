#pragma once
// What a decoder knows of one event, handed to its writer by value: the writer adds the fields
// the stage owns (ring sequence, rx stamp, NIC stamp, publish stamp) and stores the whole event
// straight into its ring slot, word by word (event_writer.hpp). No Event is built anywhere else
// first: the decoder's values go from registers to the slot.
//
// The writer contract (IngestStage's EventWriter; tests' and benchmarks' collectors):
//   out.rx_tsc()              the TSC the current burst was stamped with
//   out.stamps(frame)         the frame's stage-owned stamps (FrameStamps), taken once per frame
//   out.begin_frame(n)        at most n events of this frame follow. Only a decoder that may
//                             retract calls it: with n <= kMaxFrameEvents the writer guarantees
//                             that no publish falls between begin_frame and the frame's end.
//   out.emit(stamps, decoded) one event of the frame `stamps` came from
//   out.retract_frame()       the events emitted since begin_frame are void (the frame turned out
//                             malformed half-way through its walk): none of them is ever
//                             published, so a malformed frame still yields no event at all.
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/execution/event.hpp"
#include "core/ingest/frame.hpp"

namespace tickpath::core {

// Events of one frame a decoder may emit between begin_frame and its end and still retract:
// the writer's pending limit, so a frame of at most this many events is published whole.
inline constexpr std::size_t kMaxFrameEvents = 256;

struct DecodedEvent {
  std::uint64_t feed_seq;  // Event::feed_seq
  Ticks send_tsc;          // Event::send_tsc
  std::uint64_t lengths;   // Event's msg_length, msg_index, frame_length, flags, as one word
  std::uint64_t payload;   // Event::payload, zero-padded
};

// The word Event's four 16-bit fields make, in Event's own byte order (declaration order). On a
// little-endian host, shifts and ORs in registers; bit_cast of the four fields made GCC mask
// each lane again (8 instructions per event in the cycle budget's decode rows).
[[nodiscard]] inline std::uint64_t pack_lengths(std::uint16_t msg_length, std::uint16_t msg_index,
                                                std::uint16_t frame_length, std::uint16_t flags = 0) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    return std::uint64_t{msg_length} | std::uint64_t{msg_index} << 16 | std::uint64_t{frame_length} << 32 |
           std::uint64_t{flags} << 48;
  } else {
    return std::bit_cast<std::uint64_t>(std::array<std::uint16_t, 4>{msg_length, msg_index, frame_length, flags});
  }
}

namespace detail {
// A message shorter than the payload: a variable-length copy into a zeroed word. Out of line, so
// the common path keeps no stack buffer to zero (a copy of a run-time length needs an address).
[[gnu::noinline, gnu::cold]] inline std::uint64_t short_payload_word(const std::byte* data, std::size_t length) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, data, length);
  return word;
}
}  // namespace detail

// The first kEventPayloadBytes of a message, zero-padded. A message of at least that many bytes
// (every ITCH message, every test message) is one 8-byte load.
[[nodiscard]] inline std::uint64_t payload_word(const std::byte* data, std::size_t length) noexcept {
  if (length < kEventPayloadBytes) [[unlikely]] return detail::short_payload_word(data, length);
  std::uint64_t word;
  std::memcpy(&word, data, kEventPayloadBytes);
  return word;
}

// The stage's rx stamp for a frame: a frame that was due earlier (a paced source's schedule)
// starts its latency at its due time, so a stall of the loop shows as the queueing it caused.
// min(due, rx) with due = 0 ("no schedule") wrapping to the largest value: one compare-and-move
// on the frame's data, not a branch (rx > 0: a TSC read).
[[nodiscard]] inline Ticks frame_rx_tsc(const FrameView& frame, Ticks rx_tsc) noexcept {
  return std::min(frame.due_tsc - 1, rx_tsc - 1) + 1;
}

// The stage-owned stamps of a frame's events. Taken once per frame and kept in registers for
// its messages: read from the frame per event, they were reloaded after every slot store.
struct FrameStamps {
  Ticks rx_tsc;            // Event::rx_tsc (frame_rx_tsc)
  std::uint64_t nic_rx_ts; // Event::nic_rx_ts: the NIC's hardware stamp, 0 when absent
};

[[nodiscard]] inline FrameStamps frame_stamps(const FrameView& frame, Ticks burst_rx_tsc) noexcept {
  return FrameStamps{frame_rx_tsc(frame, burst_rx_tsc), frame.hw_timestamp};
}

// The whole Event a writer would store for `decoded` (collectors in tests and benchmarks; the
// stage writes the same words into the slot without building it).
[[nodiscard]] inline Event make_event(const FrameStamps& stamps, const DecodedEvent& decoded, std::uint64_t seq = 0,
                                      Ticks publish_tsc = 0) noexcept {
  Event e{};
  e.seq = seq;
  e.feed_seq = decoded.feed_seq;
  e.rx_tsc = stamps.rx_tsc;
  e.publish_tsc = publish_tsc;
  e.send_tsc = decoded.send_tsc;
  e.nic_rx_ts = stamps.nic_rx_ts;
  const auto fields = std::bit_cast<std::array<std::uint16_t, 4>>(decoded.lengths);
  e.msg_length = fields[0];
  e.msg_index = fields[1];
  e.frame_length = fields[2];
  e.flags = fields[3];
  std::memcpy(e.payload, &decoded.payload, sizeof e.payload);
  return e;
}

// Event's words, as RingSlot<Event> stores them.
namespace event_word {
inline constexpr std::size_t kSeq = offsetof(Event, seq) / 8;
inline constexpr std::size_t kFeedSeq = offsetof(Event, feed_seq) / 8;
inline constexpr std::size_t kRxTsc = offsetof(Event, rx_tsc) / 8;
inline constexpr std::size_t kPublishTsc = offsetof(Event, publish_tsc) / 8;
inline constexpr std::size_t kSendTsc = offsetof(Event, send_tsc) / 8;
inline constexpr std::size_t kNicRxTs = offsetof(Event, nic_rx_ts) / 8;
inline constexpr std::size_t kLengths = offsetof(Event, msg_length) / 8;
inline constexpr std::size_t kPayload = offsetof(Event, payload) / 8;
static_assert(offsetof(Event, msg_length) % 8 == 0 && offsetof(Event, flags) == offsetof(Event, msg_length) + 6,
              "the four 16-bit fields make one word");
static_assert(offsetof(Event, payload) % 8 == 0 && kEventPayloadBytes == 8, "the payload is one word");
static_assert(sizeof(Event) / 8 == 8, "eight words: seq, feed_seq, rx, publish, send, nic, lengths, payload");
}  // namespace event_word

}  // namespace tickpath::core

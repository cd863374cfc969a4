#pragma once
// Frame decoders, chosen once at start-up as the ingest stage's template parameter.
//
// A decoder validates the whole frame first and only then emits events, so a malformed frame
// yields no event at all (never half a frame). It fills an Event obtained from the writer's
// next(); the writer has already set the stage-owned fields (rx and NIC timestamps).
#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>

#include "core/execution/event.hpp"
#include "core/ingest/drop_reason.hpp"
#include "core/ingest/frame.hpp"

namespace tickpath::core {

// What a decoder reports per frame.
struct DecodeOutcome {
  DropReason drop = DropReason::none;
  bool heartbeat = false;       // valid frame carrying no messages (MoldUDP64 count 0)
  bool end_of_session = false;  // valid frame ending the session (MoldUDP64 count 0xFFFF)
  std::uint64_t gap = 0;        // feed sequence numbers skipped before this frame (lost upstream)
  std::uint64_t recovered = 0;  // numbers counted in an earlier gap that this (late) frame delivered
  bool duplicate = false;       // every message of the frame had been received already
  bool out_of_order = false;    // arrived behind the expected sequence, delivering missing numbers
  bool untracked = false;       // valid, but its session found the session table full

  // Anything beyond an in-order frame: the stage's rare path.
  [[nodiscard]] bool sequence_anomaly() const noexcept {
    return recovered != 0 || duplicate || out_of_order || untracked;
  }
};

namespace detail {
// Copies up to kEventPayloadBytes of the message and zero-fills the rest.
// A message of at least kEventPayloadBytes (every ITCH message, every test message) is one fixed
// 8-byte copy; only shorter ones take the variable copy, whose memcpy/memset of a run-time
// length the compiler emits as byte loops (the cycle budget's decode rows).
inline void copy_payload(Event& e, const std::byte* data, std::size_t length) noexcept {
  if (length >= kEventPayloadBytes) [[likely]] {
    std::memcpy(e.payload, data, kEventPayloadBytes);
    return;
  }
  std::memcpy(e.payload, data, length);
  std::memset(e.payload + length, 0, kEventPayloadBytes - length);
}
}  // namespace detail

// `raw`: every frame is one opaque event (what DPDK's null PMD delivers: zero-filled frames).
// The feed sequence is the decoder's own frame counter, starting at 1.
class RawDecoder {
 public:
  template <class Writer>
  DecodeOutcome decode(const FrameView& frame, Writer& out) noexcept {
    Event& e = out.next(frame);
    e.feed_seq = ++frames_;
    e.send_tsc = 0;
    e.msg_length = static_cast<std::uint16_t>(std::min<std::uint32_t>(frame.length, 0xFFFF));
    e.msg_index = 0;
    e.frame_length = e.msg_length;
    e.flags = 0;
    detail::copy_payload(e, frame.data, frame.length);
    return {};
  }

 private:
  std::uint64_t frames_ = 0;
};

}  // namespace tickpath::core

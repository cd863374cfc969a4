#pragma once
// Frame decoders, chosen once at start-up as the ingest stage's template parameter.
//
// A malformed frame yields no event at all (never half a frame): a decoder either validates the
// whole frame before it emits, or validates as it emits and retracts the frame's events when a
// later part is broken (the writer contract: decoded_event.hpp). Events go to the writer as
// DecodedEvent values; the writer adds the stage-owned fields (ring sequence, stamps).
#include <algorithm>
#include <concepts>
#include <cstdint>

#include "core/execution/event.hpp"
#include "core/ingest/decoded_event.hpp"
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

// `raw`: every frame is one opaque event (what DPDK's null PMD delivers: zero-filled frames).
// The feed sequence is the decoder's own frame counter, starting at 1.
class RawDecoder {
 public:
  // Always inlined into the stage's burst loop, as MoldUdp64Decoder::decode (moldudp64.hpp).
  template <class Writer>
  [[gnu::always_inline]] DecodeOutcome decode(const FrameView& frame, Writer& out) noexcept {
    const auto length = static_cast<std::uint16_t>(std::min<std::uint32_t>(frame.length, 0xFFFF));
    out.emit(out.stamps(frame), DecodedEvent{++frames_, 0, pack_lengths(length, 0, length),
                                 payload_word(frame.data, frame.length)});
    return {};
  }

 private:
  std::uint64_t frames_ = 0;
};

}  // namespace tickpath::core

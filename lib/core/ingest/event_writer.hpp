#pragma once
// The ingest stage's writer (the contract: decoded_event.hpp): each decoded event goes straight
// into its ring slot, word by word, and a flush publishes what was written with one stamp.
//
//   head_             write_                    claim_
//   │ written, not yet │ free, claimed           │ free
//   │ published        │ (consumers treat these  │
//   ▼                  ▼  slots as overwritten)  ▼
//   ──────────────────────────────────────────────────────► sequence
//
// Ring protocol (broadcast_ring.hpp): every slot write comes after a claim that covers it, so a
// lapped consumer detects the overwrite. The writer claims kClaimAhead slots at a time (one
// store to the producer line per 64 events, not per event: consumers poll that line) and
// publishing lowers the claim to what was written, so between bursts claimed == published. A
// poll that falls inside a burst may count as lost up to kClaimAhead - 1 events the burst had
// claimed and not written yet, as the per-burst claim of publish_burst may. A retracted frame's
// slots stay claimed: their old contents are gone.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/bus/broadcast_ring.hpp"
#include "core/counter.hpp"
#include "core/execution/event.hpp"
#include "core/ingest/decoded_event.hpp"
#include "core/ingest/frame.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

// Slots claimed at a time: a raw burst (up to 64 frames) or a few MoldUDP64 frames per claim.
inline constexpr std::size_t kClaimAhead = 64;

class EventWriter {
 public:
  // The ring must hold two chunks (the stage checks it at start-up): a publish is then at most
  // half the ring (see BroadcastRing::publish_burst).
  // `published` counts the events as they are published (IngestCounters::events).
  EventWriter(BroadcastRing<Event>& ring, Counter& published) noexcept
      : ring_(&ring), slots_(ring.slots()), mask_(ring.capacity() - 1), published_(&published),
        head_(ring.next_sequence()), write_(head_), claim_(head_), frame_start_(head_) {}

  // The burst's rx stamp, set by the stage once per burst.
  void set_rx_tsc(Ticks rx_tsc) noexcept { rx_tsc_ = rx_tsc; }
  [[nodiscard]] Ticks rx_tsc() const noexcept { return rx_tsc_; }

  [[gnu::always_inline]] void begin_frame(std::size_t events) noexcept {
    if (pending() + events > kMaxFrameEvents) [[unlikely]] publish(tsc_now());
    frame_start_ = write_;
  }

  // always_inline (stamps, emit, begin_frame, retract_frame): the writer must stay a local in
  // registers of the stage's burst loop (ingest_stage.hpp). Out of line, as GCC 12 left emit in
  // the appliance's build (perf: EventWriter::emit as its own symbol), it lives in memory.
  [[nodiscard, gnu::always_inline]] FrameStamps stamps(const FrameView& frame) const noexcept {
    return frame_stamps(frame, rx_tsc_);
  }

  [[gnu::always_inline]] void emit(const FrameStamps& stamps, const DecodedEvent& d) noexcept {
    if (write_ == claim_) [[unlikely]] extend_claim();
    using namespace event_word;
    RingSlot<Event>& slot = slots_[write_ & mask_];
    // Step 2 of the ring protocol: release stores after the claim. publish_tsc is written at
    // publish(), when the burst's stamp is known.
    slot.store_word<kSeq>(write_);
    slot.store_word<kFeedSeq>(d.feed_seq);
    slot.store_word<kRxTsc>(stamps.rx_tsc);
    slot.store_word<kSendTsc>(d.send_tsc);
    slot.store_word<kNicRxTs>(stamps.nic_rx_ts);
    slot.store_word<kLengths>(d.lengths);
    slot.store_word<kPayload>(d.payload);
    ++write_;
  }

  [[gnu::always_inline]] void retract_frame() noexcept {
    written_end_ = std::max(written_end_, write_);
    write_ = frame_start_;
  }

  // Events written and not yet published.
  [[nodiscard]] std::size_t pending() const noexcept { return static_cast<std::size_t>(write_ - head_); }

  // Stamps every pending event with publish_tsc, counts and publishes them (step 3). Counted
  // before the ring publishes: the release store then orders the count before the events, so no
  // consumer can have counted an event `published` does not include yet (the accounting
  // invariant consumed + lost <= published, control/health/invariants.hpp).
  void publish(Ticks publish_tsc) noexcept {
    // At most two runs of consecutive slots (the second after the ring wraps): a pointer walk,
    // 4 instructions per event where masking each sequence took 9 (the cycle budget's decode rows).
    for (std::uint64_t s = head_; s < write_;) {
      RingSlot<Event>* slot = slots_ + (s & mask_);
      const std::uint64_t run = std::min(write_ - s, mask_ + 1 - (s & mask_));
      for (RingSlot<Event>* const end = slot + run; slot != end; ++slot) {
        slot->store_word<event_word::kPublishTsc>(publish_tsc);
      }
      s += run;
    }
    published_->add(write_ - head_);
    ring_->publish_to(write_);
    head_ = write_;
    settle_claim();
  }

  // Lowers a claim that ran ahead of the writes to what was written: never below a slot
  // written (a retracted frame's), so the lap check stays sound (broadcast_ring.hpp, D). After it
  // no consumer can be told it lost an event nobody overwrote.
  void settle_claim() noexcept {
    frame_start_ = write_;
    const std::uint64_t written = std::max(written_end_, write_);
    if (claim_ > written) {
      claim_ = written;
      ring_->claim(claim_);
    }
  }

 private:
  // First write past the claim: claim the next kClaimAhead slots, never past the pending limit.
  // A pending chunk full of one frame's events (a frame of more than kMaxFrameEvents, validated
  // whole by its decoder first) is published before its next event: such a frame is published
  // in parts.
  void extend_claim() noexcept {
    if (pending() == kMaxFrameEvents) publish(tsc_now());
    claim_ = std::min(head_ + kMaxFrameEvents, write_ + kClaimAhead);
    ring_->claim(claim_);
  }

  BroadcastRing<Event>* ring_;
  RingSlot<Event>* slots_;  // the ring's geometry, copied: it stays in registers (ingest_stage.hpp)
  std::uint64_t mask_;
  Counter* published_;
  Ticks rx_tsc_ = 0;
  std::uint64_t head_;          // first sequence not published
  std::uint64_t write_;         // next sequence to write
  std::uint64_t claim_;         // claimed end
  std::uint64_t frame_start_;   // write_ at begin_frame
  std::uint64_t written_end_ = 0;  // highest sequence ever written + 1, across retractions
};

}  // namespace tickpath::core

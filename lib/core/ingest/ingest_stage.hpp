#pragma once
// The ingest stage (seed steps 1-3): receive a burst, stamp it once with the TSC as the burst
// returns, decode each frame at fixed offsets, publish the events in one ring burst.
//
//   source.receive ──► rx_tsc = tsc_now() ──► decoder.decode(frame, writer_) ──► ring slots
//                                               │ drop: count by reason      publish per burst
//
// Source and Decoder are template parameters fixed at start-up (null PMD/raw, NIC/moldudp64,
// synthetic/any): no per-frame dispatch. No allocation: the decoder writes each event into its
// ring slot (event_writer.hpp), and the burst is published with one stamp at its end.
#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>

#include "core/bus/broadcast_ring.hpp"
#include "core/execution/event.hpp"
#include "core/ingest/decoder.hpp"
#include "core/ingest/drop_reason.hpp"
#include "core/ingest/event_writer.hpp"
#include "core/ingest/ingest_counters.hpp"
#include "core/ingest/frame.hpp"
#include "core/ingest/source.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

// Events written before one ring publish; a burst of many-message frames publishes in chunks.
inline constexpr std::size_t kMaxPendingEvents = kMaxFrameEvents;

template <FrameSource Source, class Decoder>
class IngestStage {
 public:
  // Start-up: throws std::invalid_argument when the ring cannot take one flush or the burst is
  // out of range.
  IngestStage(Source& source, Decoder& decoder, BroadcastRing<Event>& ring,
              IngestCounters& counters, std::size_t burst)
      : source_(&source), decoder_(&decoder), counters_(&counters), burst_(burst),
        writer_(ring, counters.events) {
    if (burst_ == 0 || burst_ > kMaxRxBurst) throw std::invalid_argument("ingest burst must be 1..64");
    // Two flushes' worth: a flush is then at most half the ring (see publish_burst).
    if (ring.capacity() < 2 * kMaxPendingEvents) {
      throw std::invalid_argument("ring capacity must be at least 512 slots for the ingest stage");
    }
  }

  // The poll contract: one rx burst at most; returns whether any frame arrived.
  // flatten: the decoder and the writer inline into the burst loop, so the writer stays a local
  // in registers (below); out of line, GCC 12 left decode or emit as calls in the appliance.
  [[gnu::flatten]] bool poll() noexcept {
    std::array<FrameView, kMaxRxBurst>& frames = frames_;
    const std::size_t n = source_->receive(std::span<FrameView>(frames.data(), burst_));
    if (n == 0) return false;
    const Ticks rx_tsc = tsc_now();
    // The burst works on a local copy of the writer and of each frame: the slot stores are
    // atomics, after which GCC reloads anything that lives in memory (the writer's cursor, the
    // ring's geometry, the frame's stamps: ~10 instructions per event in the cycle budget). A
    // local whose address never escapes stays in registers.
    EventWriter writer = writer_;
    writer.set_rx_tsc(rx_tsc);
    counters_->last_rx_tsc.set(rx_tsc);
    counters_->bursts.add();
    counters_->frames.add(n);
    // Counted once per burst, not per frame: one store to the shared counter line per burst.
    // Drops stay per frame on the rare path (each to its own reason), exact either way.
    std::uint64_t gaps = 0;
    for (std::size_t i = 0; i < n; ++i) {
      // The next frame's first line (its headers) loads while this one decodes: from a NIC's
      // rx ring it is not in cache yet. One instruction, a no-op past the burst's end.
      if (i + 1 < n) __builtin_prefetch(frames[i + 1].data);
      const FrameView frame = frames[i];
      const DecodeOutcome o = decoder_->decode(frame, writer);
      gaps += o.gap;
      if (o.sequence_anomaly()) [[unlikely]] {
        counters_->feed_recovered.add(o.recovered);
        counters_->feed_duplicates.add(o.duplicate);
        counters_->feed_out_of_order.add(o.out_of_order);
        counters_->untracked_frames.add(o.untracked);
      }
      if (o.drop != DropReason::none) [[unlikely]] {
        counters_->drops[static_cast<std::size_t>(o.drop)].add();
      } else if (o.heartbeat || o.end_of_session) [[unlikely]] {
        counters_->heartbeats.add(o.heartbeat);
        counters_->end_of_session.add(o.end_of_session);
      }
    }
    counters_->feed_gaps.add(gaps);
    flush(writer);
    writer_ = writer;
    source_->release();
    return true;
  }

  // After the last poll, on the ingest thread: a decoder that holds numbers back (the A/B
  // arbiter's window) settles them now; what it finds lost counts as feed gaps. Compiled only for
  // such a decoder: the single-line stage has nothing to do here.
  void finish() noexcept {
    if constexpr (requires(Decoder& d) { { d.finish() } noexcept -> std::same_as<std::uint64_t>; }) {
      counters_->feed_gaps.add(decoder_->finish());
    }
  }

  // The stage's writer: decoders emit into it (tests read its geometry).
  [[nodiscard]] const EventWriter& writer() const noexcept { return writer_; }

 private:
  static void flush(EventWriter& writer) noexcept {
    if (writer.pending() == 0) {
      writer.settle_claim();  // a retracted frame may have claimed ahead
      return;
    }
    writer.publish(tsc_now());
  }

  Source* source_;
  Decoder* decoder_;
  IngestCounters* counters_;
  std::size_t burst_;
  EventWriter writer_;
  // The burst's frame views. A member, not a local: FrameView's member initialisers made a local
  // array a 2.5 KiB memset (rep stos) on every poll.
  std::array<FrameView, kMaxRxBurst> frames_{};
};

}  // namespace tickpath::core

#pragma once
// The ingest stage (seed steps 1-3): receive a burst, stamp it once with the TSC as the burst
// returns, decode each frame at fixed offsets, publish the events in one ring burst.
//
//   source.receive ──► rx_tsc = tsc_now() ──► decoder.decode(frame) ──► pending_[] ──► ring
//                                               │ drop: count by reason
//
// Source and Decoder are template parameters fixed at start-up (null PMD/raw, NIC/moldudp64,
// synthetic/any): no per-frame dispatch. No allocation: pending_ lives in the stage, built once.
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
#include "core/ingest/ingest_counters.hpp"
#include "core/ingest/frame.hpp"
#include "core/ingest/source.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

// Events buffered before one ring publish; a burst of many-message frames flushes in chunks.
inline constexpr std::size_t kMaxPendingEvents = 256;

template <FrameSource Source, class Decoder>
class IngestStage {
 public:
  // Start-up: throws std::invalid_argument when the ring cannot take one flush or the burst is
  // out of range.
  IngestStage(Source& source, Decoder& decoder, BroadcastRing<Event>& ring,
              IngestCounters& counters, std::size_t burst)
      : source_(&source), decoder_(&decoder), ring_(&ring), counters_(&counters), burst_(burst) {
    if (burst_ == 0 || burst_ > kMaxRxBurst) throw std::invalid_argument("ingest burst must be 1..64");
    // Two flushes' worth: a flush is then at most half the ring (see publish_burst).
    if (ring.capacity() < 2 * kMaxPendingEvents) {
      throw std::invalid_argument("ring capacity must be at least 512 slots for the ingest stage");
    }
  }

  // The poll contract: one rx burst at most; returns whether any frame arrived.
  bool poll() noexcept {
    std::array<FrameView, kMaxRxBurst> frames;
    const std::size_t n = source_->receive(std::span<FrameView>(frames.data(), burst_));
    if (n == 0) return false;
    rx_tsc_ = tsc_now();
    counters_->last_rx_tsc.set(rx_tsc_);
    counters_->bursts.add();
    counters_->frames.add(n);
    // Counted once per burst, not per frame: one store to the shared counter line per burst.
    // Drops stay per frame on the rare path (each to its own reason), exact either way.
    std::uint64_t gaps = 0;
    for (std::size_t i = 0; i < n; ++i) {
      // The next frame's first line (its headers) loads while this one decodes: from a NIC's
      // rx ring it is not in cache yet. One instruction, a no-op past the burst's end.
      if (i + 1 < n) __builtin_prefetch(frames[i + 1].data);
      const DecodeOutcome o = decoder_->decode(frames[i], *this);
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
    flush();
    source_->release();
    return true;
  }

  // Called by decoders: the TSC the current burst was stamped with (arbitration compares lines by it).
  [[nodiscard]] Ticks rx_tsc() const noexcept { return rx_tsc_; }

  // After the last poll, on the ingest thread: a decoder that holds numbers back (the A/B
  // arbiter's window) settles them now; what it finds lost counts as feed gaps. Compiled only for
  // such a decoder: the single-line stage has nothing to do here.
  void finish() noexcept {
    if constexpr (requires(Decoder& d) { { d.finish() } noexcept -> std::same_as<std::uint64_t>; }) {
      counters_->feed_gaps.add(decoder_->finish());
    }
  }

  // Called by decoders: the next event to fill, with the stage-owned fields already set.
  Event& next(const FrameView& frame) noexcept {
    if (pending_count_ == kMaxPendingEvents) [[unlikely]] flush();
    Event& e = pending_[pending_count_++];
    // A frame that was due earlier (a paced source's schedule) starts its latency at its due
    // time: a stall of this loop then shows as the queueing it caused. min(due, rx) with due = 0
    // ("no schedule") wrapping to the largest value, so it is one compare-and-move on the frame's
    // data, not a branch (rx_tsc_ > 0: a TSC read).
    e.rx_tsc = std::min(frame.due_tsc - 1, rx_tsc_ - 1) + 1;
    e.nic_rx_ts = frame.hw_timestamp;
    return e;
  }

 private:
  void flush() noexcept {
    if (pending_count_ == 0) return;
    const std::uint64_t first = ring_->next_sequence();
    const Ticks publish_tsc = tsc_now();
    for (std::size_t i = 0; i < pending_count_; ++i) {
      pending_[i].seq = first + i;
      pending_[i].publish_tsc = publish_tsc;
    }
    // Counted before the ring publishes: the ring's release store then orders this count before
    // the events, so no consumer can have counted an event `published` does not include yet
    // (the accounting invariant consumed + lost <= published, control/health/invariants.hpp).
    counters_->events.add(pending_count_);
    ring_->publish_burst(std::span<const Event>(pending_.data(), pending_count_));
    pending_count_ = 0;
  }

  Source* source_;
  Decoder* decoder_;
  BroadcastRing<Event>* ring_;
  IngestCounters* counters_;
  std::size_t burst_;
  Ticks rx_tsc_ = 0;
  std::size_t pending_count_ = 0;
  std::array<Event, kMaxPendingEvents> pending_{};
};

}  // namespace tickpath::core

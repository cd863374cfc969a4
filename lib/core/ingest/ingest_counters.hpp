#pragma once
// What the ingest stage counts: bursts, frames, events, feed sequence verdicts and drops by
// reason. Written by the ingest thread only (single-writer core::Counter); read by the control
// plane, which derives foreign/malformed totals and the feed's missing numbers from them.
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/cacheline.hpp"
#include "core/counter.hpp"
#include "core/ingest/drop_reason.hpp"

namespace tickpath::core {

// Written by the ingest thread only; read by the control plane.
struct alignas(kFalseSharingRange) IngestCounters {
  Counter bursts;           // rx bursts that returned at least one frame
  Counter frames;           // frames received
  Counter events;           // events published to the ring
  Counter heartbeats;       // valid MoldUDP64 frames with message count 0
  Counter end_of_session;   // valid MoldUDP64 frames with message count 0xFFFF
  Counter feed_gaps;        // feed sequence numbers skipped (MoldUDP64), counted when detected
  Counter feed_recovered;   // numbers of an earlier gap delivered later by out-of-order frames
  Counter feed_duplicates;  // frames whose every message had been received already
  Counter feed_out_of_order;  // frames behind the expected sequence that filled a gap
  Counter untracked_frames;   // valid frames of a session beyond the session table (not tracked)
  Counter last_rx_tsc;      // rx stamp of the newest burst: how fresh the feed is
  std::array<Counter, kDropReasonCount> drops;  // indexed by DropReason; drops[none] stays 0

  // Sequence numbers never received: detected gaps minus what arrived late.
  [[nodiscard]] std::uint64_t feed_missing() const noexcept {
    const std::uint64_t gaps = feed_gaps.load();
    const std::uint64_t recovered = feed_recovered.load();
    return gaps > recovered ? gaps - recovered : 0;
  }
  [[nodiscard]] std::uint64_t dropped(DropReason r) const noexcept {
    return drops[static_cast<std::size_t>(r)].load();
  }
  [[nodiscard]] std::uint64_t foreign() const noexcept {
    std::uint64_t n = 0;
    for (std::size_t i = 1; i < kDropReasonCount; ++i) {
      if (is_foreign(static_cast<DropReason>(i))) n += drops[i].load();
    }
    return n;
  }
  [[nodiscard]] std::uint64_t malformed() const noexcept {
    std::uint64_t n = 0;
    for (std::size_t i = 1; i < kDropReasonCount; ++i) {
      if (!is_foreign(static_cast<DropReason>(i))) n += drops[i].load();
    }
    return n;
  }
};

}  // namespace tickpath::core

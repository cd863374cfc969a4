#pragma once
// Why a frame was dropped by the decoder. Foreign frames are not ours (other protocols, other
// ports) and are never parsed further; malformed frames claimed to be ours and were broken.
// Every drop is counted by reason; nothing is dropped silently.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/cacheline.hpp"
#include "core/counter.hpp"

namespace tickpath::core {

enum class DropReason : std::uint8_t {
  none = 0,
  // foreign
  not_ipv4,               // EtherType is not IPv4 (ARP, IPv6, LLDP, ...)
  not_udp,                // IPv4 protocol is not UDP
  wrong_port,             // UDP destination port is not the feed's
  // malformed
  truncated_ethernet,     // shorter than an Ethernet (+VLAN) header
  truncated_ip,           // shorter than the IPv4 header it announces
  bad_ip_header,          // version != 4 or IHL < 5
  ip_fragment,            // fragmented datagram: market data is never fragmented
  ip_length_mismatch,     // IPv4 total length past the frame, or too short for UDP
  truncated_udp,          // no room for the UDP header
  udp_length_mismatch,    // UDP length disagrees with the IPv4 payload length
  truncated_moldudp64,    // UDP payload shorter than the 20-byte MoldUDP64 header
  message_past_end,       // a message length runs past the end of the datagram
  trailing_bytes,         // bytes left after the announced message count
  sequence_overflow,      // sequence number + message count runs past 2^64 - 1 (would wrap)
  kCount,
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::kCount);

[[nodiscard]] constexpr bool is_foreign(DropReason r) noexcept {
  return r == DropReason::not_ipv4 || r == DropReason::not_udp || r == DropReason::wrong_port;
}

[[nodiscard]] constexpr std::string_view to_string(DropReason r) noexcept {
  switch (r) {
    case DropReason::none: return "none";
    case DropReason::not_ipv4: return "not_ipv4";
    case DropReason::not_udp: return "not_udp";
    case DropReason::wrong_port: return "wrong_port";
    case DropReason::truncated_ethernet: return "truncated_ethernet";
    case DropReason::truncated_ip: return "truncated_ip";
    case DropReason::bad_ip_header: return "bad_ip_header";
    case DropReason::ip_fragment: return "ip_fragment";
    case DropReason::ip_length_mismatch: return "ip_length_mismatch";
    case DropReason::truncated_udp: return "truncated_udp";
    case DropReason::udp_length_mismatch: return "udp_length_mismatch";
    case DropReason::truncated_moldudp64: return "truncated_moldudp64";
    case DropReason::message_past_end: return "message_past_end";
    case DropReason::trailing_bytes: return "trailing_bytes";
    case DropReason::sequence_overflow: return "sequence_overflow";
    case DropReason::kCount: break;
  }
  return "unknown";
}

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

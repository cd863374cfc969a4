#pragma once
// Why a frame was dropped by the decoder. Foreign frames are not ours (other protocols, other
// ports) and are never parsed further; malformed frames claimed to be ours and were broken.
// Every drop is counted by reason; nothing is dropped silently.
#include <cstddef>
#include <cstdint>
#include <string_view>

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
  // foreign, two lines only (last, so the reasons above keep their numbers)
  wrong_group,            // IPv4 destination is not the line's group (ingest.lines.<x>.multicast)
  kCount,
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::kCount);

[[nodiscard]] constexpr bool is_foreign(DropReason r) noexcept {
  return r == DropReason::not_ipv4 || r == DropReason::not_udp || r == DropReason::wrong_port ||
         r == DropReason::wrong_group;
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
    case DropReason::wrong_group: return "wrong_group";
    case DropReason::kCount: break;
  }
  return "unknown";
}

}  // namespace tickpath::core

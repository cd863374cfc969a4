#pragma once
// The event that crosses the ring: one market-data message (moldudp64) or one frame (raw).
// One cache line, trivially copyable, built in place by the ingest stage. Payload stays opaque.
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "core/cacheline.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

inline constexpr std::size_t kEventPayloadBytes = 8;

struct alignas(kCacheLine) Event {
  std::uint64_t seq;          // ring sequence, assigned at publish (0, 1, 2, ...)
  std::uint64_t feed_seq;     // MoldUDP64 sequence number of this message; raw: frame counter
  Ticks rx_tsc;               // TSC when the rx burst carrying the frame returned
  Ticks publish_tsc;          // TSC just before the burst was published (queue stage starts)
  Ticks send_tsc;             // sender's TSC embedded in the message, 0 when absent
  std::uint64_t nic_rx_ts;    // NIC hardware rx timestamp (NIC clock), 0 when absent
  std::uint16_t msg_length;   // message bytes (raw: frame bytes, saturated at 65535)
  std::uint16_t msg_index;    // index of the message within its frame
  std::uint16_t frame_length; // bytes of the frame that carried it
  std::uint16_t flags;        // reserved, 0
  std::byte payload[kEventPayloadBytes];  // first bytes of the message, zero-padded
};

static_assert(sizeof(Event) == kCacheLine, "an event is exactly one cache line");
static_assert(alignof(Event) == kCacheLine, "events never straddle lines");
static_assert(std::is_trivially_copyable_v<Event>, "events are copied word by word through the ring");
static_assert(std::is_standard_layout_v<Event>, "fixed layout");

}  // namespace tickpath::core

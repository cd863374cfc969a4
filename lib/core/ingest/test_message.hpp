#pragma once
// The tickpath test-message header: what `tickpath gen` writes at the start of every MoldUDP64
// message so a receiver can measure one-way latency. MoldUDP64 messages are opaque; this header
// is ours, recognised by its magic, and any message without it is simply a message without a
// send timestamp (send_tsc = 0: no wire_to_ack sample).
//
//   offset  size  field (big-endian, like MoldUDP64)
//   0       8     send_ns   sender's wall clock (CLOCK_REALTIME, ns since the epoch) at tx
//   8       8     send_tsc  sender's TSC at tx (same host: directly comparable with rx stamps)
//   16      4     magic     "TPTM"
//   20      ...   filler up to the message size the generator chose
//
// send_ns comes first so it is exactly the event's 8 payload bytes: the cross-host measurement
// (PTP-synchronised clocks) has it without a wider event. Decoding is one bounds check and one
// compare per message, a data-dependent select, never a branch on configuration.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tickpath::core::test_message {

inline constexpr std::size_t kSendNsOffset = 0;
inline constexpr std::size_t kSendTscOffset = 8;
inline constexpr std::size_t kMagicOffset = 16;
inline constexpr std::size_t kHeaderBytes = 20;
inline constexpr std::uint32_t kMagic = 0x5450544D;  // "TPTM"

// The sender's TSC when `message` (n bytes) carries the header, else 0. Two unaligned loads
// and a compare: the magic is checked in wire byte order, the TSC swapped once.
[[nodiscard]] inline std::uint64_t send_tsc(const std::byte* message, std::size_t n) noexcept {
  if (n < kHeaderBytes) return 0;
  std::uint32_t magic;
  std::memcpy(&magic, message + kMagicOffset, sizeof magic);
  std::uint64_t tsc;
  std::memcpy(&tsc, message + kSendTscOffset, sizeof tsc);
  if constexpr (std::endian::native == std::endian::little) {
    magic = __builtin_bswap32(magic);
    tsc = __builtin_bswap64(tsc);
  }
  return magic == kMagic ? tsc : 0;
}

// The sender's CLOCK_REALTIME ns from the first 8 bytes of a message (an Event's payload). Only
// meaningful when the message carries the header (send_tsc() != 0); 0 means "not stamped".
[[nodiscard]] inline std::uint64_t send_ns(const std::byte* message) noexcept {
  std::uint64_t ns = 0;
  for (std::size_t i = 0; i < 8; ++i) ns = (ns << 8) | std::to_integer<std::uint64_t>(message[kSendNsOffset + i]);
  return ns;
}

}  // namespace tickpath::core::test_message

#pragma once
// Builds MoldUDP64 frames (and deliberately broken ones) at start-up: for the synthetic source,
// tests, benchmarks and the generator. Allocates; never used on the hot path.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/ingest/moldudp64.hpp"

namespace tickpath::core {

struct MoldFrameSpec {
  std::string_view session = "TICKPATH01";
  std::uint64_t first_seq = 1;
  std::uint16_t udp_dst_port = 30001;
  std::uint16_t udp_src_port = 40001;
  bool vlan = false;
};

// A well-formed Ethernet/IPv4/UDP/MoldUDP64 frame carrying `messages` (count = messages.size(),
// or `count_override` when set: 0 for a heartbeat, 0xFFFF for end of session).
std::vector<std::byte> build_moldudp64_frame(const MoldFrameSpec& spec,
                                             const std::vector<std::vector<std::byte>>& messages,
                                             int count_override = -1);

// A message of `size` bytes (>= test_message::kHeaderBytes) starting with tickpath's test-message
// header (test_message.hpp), the rest filled with `filler`.
std::vector<std::byte> build_test_message(std::size_t size, std::uint64_t send_ns, std::uint64_t send_tsc,
                                          std::byte filler = std::byte{0x5A});

// Frames that the decoder must drop with exactly this reason.
std::vector<std::byte> build_broken_frame(DropReason reason, const MoldFrameSpec& spec);

}  // namespace tickpath::core

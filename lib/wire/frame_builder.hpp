#pragma once
// Builds MoldUDP64 frames (and deliberately broken ones): for `tickpath gen`, the synthetic
// source's frames at start-up, tests and benchmarks. Allocates, which is why it lives in lib/wire
// and not lib/core: the hot path only decodes what this builds.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/ingest/drop_reason.hpp"
#include "core/ingest/moldudp64.hpp"

namespace tickpath::wire {

using core::DropReason;

struct MoldFrameSpec {
  std::string_view session = "TICKPATH01";
  std::uint64_t first_seq = 1;
  std::uint16_t udp_dst_port = 30001;
  std::uint16_t udp_src_port = 40001;
  bool vlan = false;
  // Locally administered unicast addresses and 10.0.0.1 -> 10.0.0.2 unless told otherwise.
  std::array<std::uint8_t, 6> dst_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
  std::array<std::uint8_t, 6> src_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
  std::array<std::uint8_t, 4> src_ip{10, 0, 0, 1};
  std::array<std::uint8_t, 4> dst_ip{10, 0, 0, 2};
};

// "02:00:00:00:00:02" / "233.54.12.1" into `out`; false when the text is not one.
bool parse_mac(std::string_view text, std::array<std::uint8_t, 6>& out);
bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& out);

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

}  // namespace tickpath::wire

#pragma once
// `tickpath gen`: a DPDK transmitter of MoldUDP64 frames (lib/wire for what is sent,
// platform/dpdk for the ports) or, with --pcap, a capture file writer. Prints and writes (as
// JSON) exactly what it injected so a test can compare with what `tickpath run` counted.
#include <cstdint>
#include <string>
#include <vector>

#include "wire/feed_request.hpp"

namespace tickpath::app {

// What to send (wire::FeedRequest), and where gen's EAL runs.
struct GenOptions : wire::FeedRequest {
  std::string file_prefix = "tickpath-gen";
  std::string hugepages = "auto";
  std::uint32_t mbufs = 8191;
  std::uint16_t tx_descriptors = 1024;
  int cpu = 0;         // the EAL main lcore: the sending thread runs there
  std::string report;  // JSON of what was injected
  std::vector<std::string> eal_extra;
};

// Exit codes as `run`: 0 done (also after SIGINT), 1 run-time failure, 2 bad input.
int gen_command(GenOptions options);

}  // namespace tickpath::app

#pragma once
// `tickpath gen`: a DPDK transmitter of MoldUDP64 frames (lib/wire for what is sent,
// platform/dpdk for the ports) or, with --pcap, a capture file writer. Prints and writes (as
// JSON) exactly what it injected so a test can compare with what `tickpath run` counted.
#include <string>

#include "platform/dpdk/eal_config.hpp"
#include "wire/feed_request.hpp"

namespace tickpath::app {

// What to send (wire::FeedRequest), and where gen's EAL runs (platform::TransmitterEal).
struct GenOptions : wire::FeedRequest, platform::TransmitterEal {
  std::string report;  // JSON of what was injected
};

// Exit codes as `run`: 0 done (also after SIGINT), 1 run-time failure, 2 bad input.
int gen_command(GenOptions options);

}  // namespace tickpath::app

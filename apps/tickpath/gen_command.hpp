#pragma once
// `tickpath gen`: a DPDK transmitter of MoldUDP64 frames (lib/wire for what is sent,
// platform/dpdk for the port) or, with --pcap, a capture file writer. Prints and writes (as
// JSON) exactly what it injected so a test can compare with what `tickpath run` counted.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wire/feed_generator.hpp"
#include "wire/line_faults.hpp"
#include "wire/load_shape.hpp"

namespace tickpath::app {

struct GenOptions {
  // where to
  std::string pcap;         // non-empty: write this capture file, no EAL
  std::string vdev;         // e.g. net_af_packet0,iface=veth-gen
  std::string pci;
  std::string file_prefix = "tickpath-gen";
  std::string hugepages = "auto";
  std::uint32_t mbufs = 8191;
  std::uint16_t tx_descriptors = 1024;
  int cpu = 0;              // the EAL main lcore: the sending thread runs there
  // how much
  std::optional<double> duration_s;
  std::optional<std::uint64_t> frames;
  std::string shape = "constant";
  double burst_interval_us = 1000;
  double stats_interval_s = 1.0;
  wire::LoadSpec load;
  // what
  std::string session = "TICKPATH01";
  std::string dst_mac, src_mac, dst_ip, src_ip;  // empty: the builder's defaults
  wire::FeedSpec feed;
  double malformed_ratio = 0;  // converted to feed.malformed_every
  std::string report;          // JSON of what was injected
  // --lines 2: the same feed on line A and line B (--pcap: FILE-A and FILE-B), faults per line
  int lines = 1;
  wire::LineFaultSpec line_a;
  wire::LineFaultSpec line_b;
  double skew_us = 0;          // B's copy this long after A's (negative: before)
  std::string vdev_b;          // --lines 2 live: line B's port (one of the two)
  std::string pci_b;
  std::vector<std::string> eal_extra;
};

// Exit codes as `run`: 0 done (also after SIGINT), 1 run-time failure, 2 bad input.
int gen_command(GenOptions options);

}  // namespace tickpath::app

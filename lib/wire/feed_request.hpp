#pragma once
// What `tickpath gen` was asked to send, as its command line gives it: where (a capture or
// ports), how much, which load shape, which feed and faults. prepare_feed_request() checks it and
// derives the typed specs; feed_plan() is then what the capture writer and the live sender run.
// The EAL side of gen (hugepages, mbufs, cpu, file prefix) is not here: it is platform/dpdk's.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "wire/feed_generator.hpp"
#include "wire/feed_pcap.hpp"
#include "wire/feed_plan.hpp"
#include "wire/line_faults.hpp"
#include "wire/load_shape.hpp"

namespace tickpath::wire {

struct FeedRequest {
  // where to: exactly one of a capture file, a virtual device, a PCI port
  std::string pcap;
  std::string vdev;  // e.g. net_af_packet0,iface=veth-gen
  std::string pci;
  // how much
  std::optional<double> duration_s;
  std::optional<std::uint64_t> frames;
  std::string shape = "constant";
  double burst_interval_us = 1000;
  double stats_interval_s = 1.0;
  LoadSpec load;
  // what
  std::string session = "TICKPATH01";
  std::string dst_mac, src_mac, dst_ip, src_ip;  // empty: the builder's defaults
  FeedSpec feed;
  double malformed_ratio = 0;  // becomes feed.malformed_every
  // --lines 2: the same feed on line A and line B (--pcap: FILE-A and FILE-B), faults per line
  int lines = 1;
  LineFaultSpec line_a;
  LineFaultSpec line_b;
  double skew_us = 0;  // B's copy this long after A's (negative: before)
  std::string vdev_b;  // --lines 2 live: line B's port (one of the two)
  std::string pci_b;
};

// Checks the request and fills what derives from it (load.shape, load.burst_interval_ns,
// load.ramp_ns, feed.malformed_every, feed.frame's session and addresses). Empty when usable;
// else the first thing wrong, naming the option ("--shape 'saw' is not one of ...").
[[nodiscard]] std::string prepare_feed_request(FeedRequest& request);

// What gen sends, from a prepared request: the same plan for a capture and for ports.
[[nodiscard]] FeedPlan feed_plan(const FeedRequest& request);

// The request as gen's --report writes it under "spec".
[[nodiscard]] nlohmann::json spec_json(const FeedRequest& request);

// What was injected, as gen prints it: one line of counts, and one of broken frames by drop
// reason when there were any.
[[nodiscard]] std::string format_injected(const Injected& injected);

// One line's own faults as gen prints them: "line A: dropped 3 frames (7 messages)  reordered 1".
[[nodiscard]] std::string format_line_injected(char line, const LineInjected& injected);

// --pcap: what gen prints after writing the capture (one file, or FILE-A and FILE-B with each
// line's own drops and reorders), and the --report JSON of it.
[[nodiscard]] std::string format_capture(const FeedRequest& request, const PcapFeedResult& written);
[[nodiscard]] nlohmann::json capture_report(const FeedRequest& request, const PcapFeedResult& written);

}  // namespace tickpath::wire

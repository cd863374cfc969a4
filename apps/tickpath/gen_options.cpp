// `tickpath gen`'s options (docs/wire.md): where to send, how much, which feed and faults.
#include "apps/tickpath/command_line.hpp"

namespace tickpath::app {

CLI::App* add_gen_command(CLI::App& app, GenOptions& gen) {
  CLI::App* g = app.add_subcommand("gen", "send a MoldUDP64 feed (DPDK port or --pcap file) with load shapes and faults");
  g->add_option("--pcap", gen.pcap, "write the frames to this capture file instead of a port (no EAL)");
  g->add_option("--vdev", gen.vdev, "DPDK virtual device to send on, e.g. net_af_packet0,iface=veth-gen");
  g->add_option("--pci", gen.pci, "PCI address of the NIC to send on");
  g->add_option("--file-prefix", gen.file_prefix, "EAL file prefix (distinct from the receiver's)");
  g->add_option("--hugepages", gen.hugepages, "auto | required | off");
  g->add_option("--mbufs", gen.mbufs, "mbufs in the tx pool");
  g->add_option("--cpu", gen.cpu, "cpu the sending thread runs on (the EAL main lcore)");
  auto* d = g->add_option("--duration", gen.duration_s, "seconds of load (pcap: of planned send times)");
  g->add_option("--frames", gen.frames, "stop after this many frames (plus queued faults and end of session)");
  (void)d;
  g->add_option("--shape", gen.shape, "constant | burst | ramp | poisson");
  g->add_option("--rate", gen.load.rate, "frames per second (ramp: starting rate; burst: ignored)");
  g->add_option("--ramp-to", gen.load.ramp_to, "ramp: final frames per second, reached at --duration");
  g->add_option("--burst-size", gen.load.burst_size, "burst: frames back to back");
  g->add_option("--burst-interval-us", gen.burst_interval_us, "burst: microseconds from one burst to the next");
  g->add_option("--seed", gen.feed.seed, "seed of message counts/sizes (and of the Poisson process)");
  g->add_option("--session", gen.session, "MoldUDP64 session (up to 10 characters)");
  g->add_option("--first-seq", gen.feed.frame.first_seq, "sequence number of the first message");
  g->add_option("--udp-port", gen.feed.frame.udp_dst_port, "UDP destination port (the receiver's ingest.udp_port)");
  g->add_option("--dst-mac", gen.dst_mac, "destination MAC (default 02:00:00:00:00:02; a multicast feed: 01:00:5e:..)");
  g->add_option("--src-mac", gen.src_mac, "source MAC (default 02:00:00:00:00:01)");
  g->add_option("--dst-ip", gen.dst_ip, "destination IPv4 (default 10.0.0.2)");
  g->add_option("--src-ip", gen.src_ip, "source IPv4 (default 10.0.0.1)");
  g->add_option("--messages", gen.feed.max_messages, "messages per frame: uniform in 1..N");
  g->add_option("--message-size", gen.feed.message_size, "bytes per message (>= 20); 0: ITCH-like mix 20..44");
  g->add_option("--gap-every", gen.feed.gap_every, "fault: before every M-th data frame skip --gap-size numbers");
  g->add_option("--gap-size", gen.feed.gap_size, "fault: sequence numbers skipped per gap");
  g->add_option("--duplicate-every", gen.feed.duplicate_every, "fault: send every D-th data frame twice");
  g->add_option("--reorder-every", gen.feed.reorder_every, "fault: send every R-th data frame after its successor");
  g->add_option("--malformed-ratio", gen.malformed_ratio, "fault: one broken frame per 1/ratio data frames, cycling through every drop reason");
  g->add_option("--heartbeat-every", gen.feed.heartbeat_every, "a MoldUDP64 heartbeat after every H data frames");
  g->add_option("--stats-interval", gen.stats_interval_s, "seconds between live lines");
  g->add_option("--report", gen.report, "write what was injected as JSON to this file");
  g->add_option("--lines", gen.lines, "1, or 2: the same feed on lines A and B (--pcap F writes F-A and F-B)");
  g->add_option("--drop-every-a", gen.line_a.drop_every, "--lines 2: line A does not send every N-th data frame");
  g->add_option("--drop-every-b", gen.line_b.drop_every, "--lines 2: line B does not send every N-th data frame");
  g->add_option("--reorder-every-a", gen.line_a.reorder_every, "--lines 2: line A sends every R-th data frame after its successor");
  g->add_option("--reorder-every-b", gen.line_b.reorder_every, "--lines 2: line B sends every R-th data frame after its successor");
  g->add_option("--vdev-b", gen.vdev_b, "--lines 2: line B's DPDK virtual device (line A is --vdev)");
  g->add_option("--pci-b", gen.pci_b, "--lines 2: line B's PCI port (line A is --pci)");
  g->add_option("--skew-us", gen.skew_us, "--lines 2: B's copy this many microseconds after A's (negative: before)");
  g->footer("Arguments after `--` are passed to the DPDK EAL. Ends with an end-of-session frame.");
  return g;
}

}  // namespace tickpath::app

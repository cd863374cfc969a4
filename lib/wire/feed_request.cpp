#include "wire/feed_request.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/ingest/drop_reason.hpp"

namespace tickpath::wire {

std::string prepare_feed_request(FeedRequest& o) {
  const int targets = (o.pcap.empty() ? 0 : 1) + (o.vdev.empty() ? 0 : 1) + (o.pci.empty() ? 0 : 1);
  if (targets != 1) return "give exactly one of --pcap FILE, --vdev SPEC, --pci ADDR";
  if (!o.duration_s && !o.frames) return "give --duration SECONDS or --frames N";
  if (o.duration_s && !(*o.duration_s > 0)) return fmt::format("--duration must be > 0 (got {})", *o.duration_s);
  if (o.frames && *o.frames == 0) return "--frames must be >= 1";
  auto shape = parse_shape(o.shape);
  if (!shape) return fmt::format("--shape '{}' is not one of constant, burst, ramp, poisson", o.shape);
  o.load.shape = *shape;
  o.load.burst_interval_ns = o.burst_interval_us * 1e3;
  o.load.ramp_ns = o.duration_s ? *o.duration_s * 1e9 : 1e9;
  if (std::string e = validate(o.load); !e.empty()) return e;
  if (o.malformed_ratio < 0 || o.malformed_ratio > 0.5) {
    return fmt::format("--malformed-ratio must be in 0..0.5 (got {})", o.malformed_ratio);
  }
  o.feed.malformed_every = o.malformed_ratio > 0 ? static_cast<std::uint64_t>(std::llround(1.0 / o.malformed_ratio)) : 0;
  o.feed.frame.session = o.session;
  if (!o.dst_mac.empty() && !parse_mac(o.dst_mac, o.feed.frame.dst_mac)) return fmt::format("--dst-mac '{}' is not a MAC address (aa:bb:cc:dd:ee:ff)", o.dst_mac);
  if (!o.src_mac.empty() && !parse_mac(o.src_mac, o.feed.frame.src_mac)) return fmt::format("--src-mac '{}' is not a MAC address (aa:bb:cc:dd:ee:ff)", o.src_mac);
  if (!o.dst_ip.empty() && !parse_ipv4(o.dst_ip, o.feed.frame.dst_ip)) return fmt::format("--dst-ip '{}' is not an IPv4 address", o.dst_ip);
  if (!o.src_ip.empty() && !parse_ipv4(o.src_ip, o.feed.frame.src_ip)) return fmt::format("--src-ip '{}' is not an IPv4 address", o.src_ip);
  if (std::string e = validate(o.feed); !e.empty()) return e;
  if (o.stats_interval_s <= 0) return "--stats-interval must be > 0";
  if (o.lines != 1 && o.lines != 2) return fmt::format("--lines must be 1 or 2 (got {})", o.lines);
  if (o.lines == 2) {
    if (o.pcap.empty() && o.vdev_b.empty() == o.pci_b.empty()) {
      return "--lines 2 sends on two ports: give --vdev-b SPEC or --pci-b ADDR for line B (or --pcap FILE)";
    }
    if (!o.pcap.empty() && (!o.vdev_b.empty() || !o.pci_b.empty())) return "--vdev-b/--pci-b with --pcap: the capture is FILE-A and FILE-B";
    if (std::string e = validate(o.line_a, 'a'); !e.empty()) return e;
    if (std::string e = validate(o.line_b, 'b'); !e.empty()) return e;
    if (o.feed.duplicate_every != 0) return "--duplicate-every with --lines 2: use per-line faults (a feed duplicate is on both lines)";
  } else if (!o.vdev_b.empty() || !o.pci_b.empty()) {
    return "--vdev-b/--pci-b need --lines 2";
  } else if (o.line_a.drop_every != 0 || o.line_b.drop_every != 0 || o.line_a.reorder_every != 0 ||
             o.line_b.reorder_every != 0 || o.skew_us != 0) {
    return "--drop-every-a/b, --reorder-every-a/b and --skew-us need --lines 2";
  }
  return {};
}

nlohmann::json spec_json(const FeedRequest& o) {
  return {{"target", !o.pcap.empty() ? "pcap:" + o.pcap : !o.vdev.empty() ? "vdev:" + o.vdev : "pci:" + o.pci},
          {"shape", std::string(to_string(o.load.shape))},
          {"rate", o.load.rate},
          {"ramp_to", o.load.ramp_to},
          {"burst_size", o.load.burst_size},
          {"burst_interval_us", o.burst_interval_us},
          {"duration_s", o.duration_s ? nlohmann::json(*o.duration_s) : nlohmann::json(nullptr)},
          {"frames", o.frames ? nlohmann::json(*o.frames) : nlohmann::json(nullptr)},
          {"session", o.session},
          {"first_seq", o.feed.frame.first_seq},
          {"udp_port", o.feed.frame.udp_dst_port},
          {"max_messages", o.feed.max_messages},
          {"message_size", o.feed.message_size},
          {"gap_every", o.feed.gap_every},
          {"gap_size", o.feed.gap_size},
          {"duplicate_every", o.feed.duplicate_every},
          {"reorder_every", o.feed.reorder_every},
          {"malformed_every", o.feed.malformed_every},
          {"heartbeat_every", o.feed.heartbeat_every},
          {"seed", o.feed.seed}};
}

std::string format_injected(const Injected& in) {
  std::string out = fmt::format(
      "injected: frames {}  data_frames {}  messages {}  gaps {} ({} sequence numbers)  duplicates {}  "
      "reorders {}  heartbeats {}  end_of_session {}  malformed {}  foreign {}\n",
      in.frames, in.data_frames, in.messages, in.gaps, in.gap_sequences, in.duplicates, in.reorders,
      in.heartbeats, in.end_of_session, in.malformed(), in.foreign());
  std::string drops;
  for (std::size_t i = 1; i < core::kDropReasonCount; ++i) {
    if (in.broken[i] != 0) drops += fmt::format(" {}={}", core::to_string(static_cast<core::DropReason>(i)), in.broken[i]);
  }
  if (!drops.empty()) out += "broken frames by reason:" + drops + "\n";
  return out;
}

std::string format_line_injected(char line, const LineInjected& li) {
  return fmt::format("line {}: dropped {} frames ({} messages)  reordered {}\n", line, li.dropped_frames,
                     li.dropped_messages, li.reordered);
}

std::string format_capture(const FeedRequest& o, const PcapFeedResult& r) {
  std::string out;
  if (o.lines != 2) {
    out = fmt::format("gen: wrote {} frames to {} ({:.3f}s of {} load at {} frames/s planned)\n", r.injected.frames, o.pcap,
                      r.span_s, to_string(o.load.shape), o.load.rate);
    return out + format_injected(r.injected);
  }
  out = fmt::format("gen: wrote {} ({} frames) and {} ({} frames), B {:+.1f}us after A\n", r.files[0], r.lines[0].frames,
                    r.files[1], r.lines[1].frames, o.skew_us);
  out += format_injected(r.injected);
  for (std::size_t line = 0; line < 2; ++line) out += format_line_injected("AB"[line], r.lines[line]);
  return out;
}

nlohmann::json capture_report(const FeedRequest& o, const PcapFeedResult& r) {
  nlohmann::json report{{"spec", spec_json(o)}, {"injected", r.injected.to_json()}};
  if (o.lines != 2) {
    report["tx"] = {{"sent", r.injected.frames}, {"full_retries", 0}, {"no_mbuf", 0}};
  } else {
    report["lines"] = {{"A", r.lines[0].to_json()}, {"B", r.lines[1].to_json()}, {"skew_us", o.skew_us},
                       {"files", r.files}};
  }
  return report;
}

FeedPlan feed_plan(const FeedRequest& o) {
  return {o.feed, o.load, o.duration_s, o.frames, {o.line_a, o.line_b}, o.skew_us};
}

}  // namespace tickpath::wire

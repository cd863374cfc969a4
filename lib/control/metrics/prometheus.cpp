#include "control/metrics/prometheus.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "control/failure/scenario.hpp"
#include "control/metrics/line_figures.hpp"

namespace tickpath::control {
namespace {

constexpr std::array<double, 16> kBoundsSeconds{100e-9, 250e-9, 500e-9, 1e-6, 2.5e-6, 5e-6, 10e-6, 25e-6,
                                                50e-6,  100e-6, 250e-6, 500e-6, 1e-3, 10e-3, 100e-3, 1.0};

// Label values per the 0.0.4 text format: backslash, double quote and line feed are escaped.
std::string escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(std::string_view name, std::string_view labels, double value) {
    out_ += labels.empty() ? fmt::format("{} {}\n", name, value) : fmt::format("{}{{{}}} {}\n", name, labels, value);
  }
  void sample(std::string_view name, std::string_view labels, std::uint64_t value) {
    out_ += labels.empty() ? fmt::format("{} {}\n", name, value) : fmt::format("{}{{{}}} {}\n", name, labels, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void counter(Writer& w, std::string_view name, std::string_view help, std::uint64_t v) {
  w.family(name, "counter", help);
  w.sample(name, "", v);
}

void gauge(Writer& w, std::string_view name, std::string_view help, double v) {
  w.family(name, "gauge", help);
  w.sample(name, "", v);
}

}  // namespace

std::string to_prometheus(const ControlSnapshot& s) {
  Writer w;
  counter(w, "tickpath_frames_received_total", "Frames returned by the rx queue.", s.frames);
  counter(w, "tickpath_events_published_total", "Events published to the broadcast ring.", s.published);
  counter(w, "tickpath_heartbeats_total", "Valid MoldUDP64 heartbeats.", s.heartbeats);
  counter(w, "tickpath_feed_gaps_total", "Feed sequence numbers skipped upstream.", s.feed_gaps);
  counter(w, "tickpath_feed_recovered_total", "Skipped feed sequence numbers delivered later, out of order.", s.feed_recovered);
  counter(w, "tickpath_feed_duplicate_frames_total", "Feed frames whose every message was already received.", s.feed_duplicates);
  counter(w, "tickpath_feed_out_of_order_frames_total", "Feed frames behind the expected sequence that filled a gap.", s.feed_out_of_order);
  counter(w, "tickpath_end_of_session_total", "Valid MoldUDP64 end-of-session frames.", s.end_of_session);
  counter(w, "tickpath_feed_untracked_frames_total", "Valid frames of sessions beyond the session table.", s.untracked_frames);
  w.family("tickpath_frames_dropped_total", "counter", "Frames dropped by the decoder, by reason.");
  for (const auto& [reason, n] : s.drops) w.sample("tickpath_frames_dropped_total", fmt::format("reason=\"{}\"", escape(reason)), n);
  counter(w, "tickpath_nic_packets_total", "Packets the NIC received (ipackets).", s.nic_ipackets);
  counter(w, "tickpath_nic_missed_total", "Packets the NIC dropped: rx ring full (imissed).", s.nic_missed);
  counter(w, "tickpath_nic_errors_total", "Erroneous packets (ierrors).", s.nic_errors);
  counter(w, "tickpath_nic_rx_nombuf_total", "Rx failures for lack of mbufs.", s.nic_rx_nombuf);
  w.family("tickpath_acks_total", "counter", "Acks emitted by the executor, by kind.");
  w.sample("tickpath_acks_total", "kind=\"executed\"", s.executed);
  w.sample("tickpath_acks_total", "kind=\"provisional\"", s.provisional);

  if (s.ack_log) {
    counter(w, "tickpath_ack_log_queued_total", "Acks queued for the ack log (acks.bin).", s.ack_log_queued);
    counter(w, "tickpath_ack_log_dropped_total", "Acks the ack log dropped: its queue was full.", s.ack_log_dropped);
  }

  w.family("tickpath_consumer_events_total", "counter", "Events consumed, per ring consumer.");
  for (const auto& c : s.consumers) w.sample("tickpath_consumer_events_total", fmt::format("consumer=\"{}\"", escape(c.name)), c.consumed);
  w.family("tickpath_consumer_overruns_total", "counter", "Times a consumer was lapped by the producer.");
  for (const auto& c : s.consumers) w.sample("tickpath_consumer_overruns_total", fmt::format("consumer=\"{}\"", escape(c.name)), c.overruns);
  w.family("tickpath_consumer_lost_total", "counter", "Events overwritten before the consumer read them (never seen, exact).");
  for (const auto& c : s.consumers) w.sample("tickpath_consumer_lost_total", fmt::format("consumer=\"{}\"", escape(c.name)), c.lost);
  w.family("tickpath_consumer_lag_events", "gauge", "Events published but not yet consumed.");
  for (const auto& c : s.consumers) w.sample("tickpath_consumer_lag_events", fmt::format("consumer=\"{}\"", escape(c.name)), c.lag);

  w.family("tickpath_lifecycle_state", "gauge", "1 for the current lifecycle state.");
  for (const char* st : {"INIT", "WARMUP", "READY", "DEGRADED"}) {
    w.sample("tickpath_lifecycle_state", fmt::format("state=\"{}\"", st), std::uint64_t{s.state == st ? 1u : 0u});
  }
  gauge(w, "tickpath_ready", "1 when READY and the link is up.", s.ready ? 1.0 : 0.0);
  gauge(w, "tickpath_link_up", "1 when the port's link is up.", s.link_up ? 1.0 : 0.0);
  gauge(w, "tickpath_uptime_seconds", "Seconds since the pipeline started.", s.uptime_s);
  w.family("tickpath_failure_active", "gauge", "1 while a failure scenario is active.");
  for (Scenario sc : kScenarios) {
    const std::string name(to_string(sc));
    bool on = false;
    for (const auto& a : s.active_failures) on = on || a == name;
    w.sample("tickpath_failure_active", fmt::format("scenario=\"{}\"", name), std::uint64_t{on ? 1u : 0u});
  }

  if (!s.latency.empty()) {
    w.family("tickpath_latency_seconds", "histogram", "Per-stage latency of every ack (TSC, converted).");
    for (const auto& [stage, snap] : s.latency) {
      const std::string label = fmt::format("stage=\"{}\"", escape(stage));
      std::array<std::uint64_t, kBoundsSeconds.size()> cumulative{};
      const auto counts = snap.bucket_counts();
      for (std::size_t b = 0; b < counts.size(); ++b) {
        if (counts[b] == 0) continue;
        const double highest_s = s.calibration.to_ns(snap.layout().highest(b)) / 1e9;
        for (std::size_t k = 0; k < kBoundsSeconds.size(); ++k) {
          if (highest_s <= kBoundsSeconds[k]) cumulative[k] += counts[b];
        }
      }
      for (std::size_t k = 0; k < kBoundsSeconds.size(); ++k) {
        w.sample("tickpath_latency_seconds_bucket", fmt::format("{},le=\"{}\"", label, kBoundsSeconds[k]), cumulative[k]);
      }
      w.sample("tickpath_latency_seconds_bucket", label + ",le=\"+Inf\"", snap.count());
      w.sample("tickpath_latency_seconds_sum", label, s.calibration.to_ns(snap.sum()) / 1e9);
      w.sample("tickpath_latency_seconds_count", label, snap.count());
    }
    // What the histogram above could not hold as measured: values clamped to its top, and
    // cross-core differences below 0 recorded as 0.
    w.family("tickpath_latency_saturated_total", "counter", "Latency values above the histogram's range, clamped to it, per stage.");
    for (const auto& [stage, snap] : s.latency) {
      w.sample("tickpath_latency_saturated_total", fmt::format("stage=\"{}\"", escape(stage)), snap.saturated());
    }
    w.family("tickpath_latency_negative_total", "counter", "Stage differences that came out below 0 (clock skew), recorded as 0, per stage.");
    for (std::size_t i = 0; i < s.latency.size(); ++i) {
      const std::uint64_t n = i < s.latency_negative.size() ? s.latency_negative[i] : 0;
      w.sample("tickpath_latency_negative_total", fmt::format("stage=\"{}\"", escape(s.latency[i].first)), n);
    }
  }
  std::string text = w.take();
  // ingest.lines: the arbiter's figures, after the rest (where /metrics has always had them).
  if (s.lines.size() == 2) text += lines_prometheus(s);
  return text;
}

}  // namespace tickpath::control

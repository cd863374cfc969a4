#include "platform/dpdk/feed_ports.hpp"

#include <chrono>
#include <thread>
#include <variant>

#include <fmt/format.h>

#include "report/number_format.hpp"
#include "wire/feed_request.hpp"

namespace tickpath::platform {
namespace {

std::string line_prefix(bool two, std::size_t line) { return two ? fmt::format("line {} ", "AB"[line]) : ""; }

nlohmann::json lateness_json(const report::HdrHistogram& lateness) {
  return {{"count", lateness.total_count()},
          {"p50_ns", lateness.value_at_percentile(50)},
          {"p99_ns", lateness.value_at_percentile(99)},
          {"p99_9_ns", lateness.value_at_percentile(99.9)},
          {"max_ns", lateness.max()},
          {"note", "how far behind its schedule gen sent each frame; frames carry their due time, so this "
                   "is in the receiver's wire_to_ack/wall_to_ack, and reported here on its own"}};
}

}  // namespace

FeedPorts::~FeedPorts() {
  queue_ptrs_.clear();
  queues_.clear();
  ports_.clear();
}

std::string device_name(const std::string& target) { return target.substr(0, target.find(',')); }

std::string FeedPorts::open(const std::string& target, const FeedPortSettings& settings) {
  PortSettings ps;
  ps.device = device_name(target);
  ps.mbufs = settings.mbufs;
  ps.tx_descriptors = settings.tx_descriptors;
  ps.rx_descriptors = 64;
  ps.promiscuous = false;
  auto opened = Port::open(ps);
  if (auto* e = std::get_if<std::string>(&opened)) return *e;
  ports_.push_back(std::move(std::get<std::unique_ptr<Port>>(opened)));
  queues_.push_back(std::make_unique<TxQueue>(ports_.back()->id(), 0, ports_.back()->pool()));
  queue_ptrs_.push_back(queues_.back().get());
  return {};
}

std::string FeedPorts::live_line(double t_s, const wire::Injected& so_far, double interval_s) {
  std::uint64_t oerrors = 0, retries = 0;
  for (const auto& port : ports_) oerrors += port->stats().oerrors;
  for (const TxQueue* q : queue_ptrs_) retries += q->stats().full_retries;
  std::string line = fmt::format("t={:.1f}s sent {}  frames/s {}  messages {}  tx_full_retries {}  oerrors {}\n", t_s,
                                 so_far.frames, report::format_rate(static_cast<double>(so_far.frames - last_frames_) / interval_s),
                                 so_far.messages, retries, oerrors);
  last_frames_ = so_far.frames;
  return line;
}

void FeedPorts::settle() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); }

std::string format_feed_sent(const FeedSendResult& sent, std::span<const PortStats> ports, double skew_us) {
  const bool two = ports.size() == 2;
  std::string out;
  for (std::size_t line = 0; line < ports.size(); ++line) {
    const PortStats& st = ports[line];
    const TxStats& t = sent.tx[line];
    out += fmt::format("gen: {}sent {} frames in {:.2f}s ({} frames/s); port opackets {} oerrors {}; tx_full_retries {}  no_mbuf waits {}\n",
                       line_prefix(two, line), t.sent, sent.elapsed_s,
                       report::format_rate(sent.elapsed_s > 0 ? static_cast<double>(t.sent) / sent.elapsed_s : 0.0),
                       st.opackets, st.oerrors, t.full_retries, t.no_mbuf);
  }
  out += wire::format_injected(sent.injected);
  for (std::size_t line = 0; line < sent.lines.size(); ++line) out += wire::format_line_injected("AB"[line], sent.lines[line]);
  if (two) {
    const control::SignedSkew& k = sent.sent_skew;
    out += fmt::format("gen: skew as sent, B-A over {} frames both lines sent: p50 {:+.0f} ns  p99 {:+.0f} ns  min {:+.0f} ns  max {:+.0f} ns (asked {:+.1f}us)\n",
                       k.count, k.p50_ns, k.p99_ns, k.min_ns, k.max_ns, skew_us);
  }
  const report::HdrHistogram& lateness = sent.lateness;
  out += fmt::format("gen: lateness behind schedule at send (frames stamped with their due time): p50 {} ns  p99 {} ns  max {} ns\n",
                     lateness.value_at_percentile(50), lateness.value_at_percentile(99), lateness.max());
  return out;
}

nlohmann::json feed_sent_report(nlohmann::json spec, const FeedSendResult& sent, std::span<const PortStats> ports,
                                double skew_us, bool stopped_by_signal) {
  nlohmann::json tx_json = nlohmann::json::array();
  for (std::size_t line = 0; line < ports.size(); ++line) {
    const TxStats& t = sent.tx[line];
    tx_json.push_back({{"sent", t.sent},
                       {"full_retries", t.full_retries},
                       {"no_mbuf", t.no_mbuf},
                       {"port_opackets", ports[line].opackets},
                       {"port_oerrors", ports[line].oerrors},
                       {"stopped_by_signal", stopped_by_signal}});
  }
  nlohmann::json report{{"spec", std::move(spec)},
                        {"injected", sent.injected.to_json()},
                        {"duration_s", sent.elapsed_s},
                        {"lateness", lateness_json(sent.lateness)},
                        {"tx", tx_json[0]}};
  if (ports.size() == 2) {
    const control::SignedSkew& k = sent.sent_skew;
    report["lines"] = {{"A", sent.lines[0].to_json()}, {"B", sent.lines[1].to_json()}, {"skew_us", skew_us},
                       {"sent_skew", {{"count", k.count}, {"p50_ns", k.p50_ns}, {"p99_ns", k.p99_ns}, {"min_ns", k.min_ns}, {"max_ns", k.max_ns}}},
                       {"tx", {{"A", tx_json[0]}, {"B", tx_json[1]}}}};
  }
  return report;
}

}  // namespace tickpath::platform

#pragma once
// `tickpath gen`'s ports on a running EAL: one tx port per line (A, then B), each with one tx
// queue on its own mbuf pool, and what gen reports of them while and after it sends
// (send_feed in feed_sender.hpp does the sending). Off the hot path: gen is its own process.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/dpdk/feed_sender.hpp"
#include "platform/dpdk/port.hpp"
#include "platform/dpdk/tx_queue.hpp"

namespace tickpath::platform {

struct FeedPortSettings {
  std::uint32_t mbufs = 8191;
  std::uint16_t tx_descriptors = 1024;
};

class FeedPorts {
 public:
  FeedPorts() = default;
  ~FeedPorts();  // the queues are freed before their ports stop
  FeedPorts(const FeedPorts&) = delete;
  FeedPorts& operator=(const FeedPorts&) = delete;

  // Opens the next line's port: `target` is a --vdev spec (its device is the name before the
  // first comma) or a PCI address. Returns the port's error, or empty.
  [[nodiscard]] std::string open(const std::string& target, const FeedPortSettings& settings);

  [[nodiscard]] std::span<TxQueue* const> queues() const noexcept { return queue_ptrs_; }
  [[nodiscard]] const Port& port(std::size_t line) const noexcept { return *ports_[line]; }
  [[nodiscard]] std::size_t size() const noexcept { return ports_.size(); }

  // The live line every stats interval: frames sent so far, their rate over the interval since
  // the last call, the queues' full retries and the ports' output errors.
  [[nodiscard]] std::string live_line(double t_s, const wire::Injected& so_far, double interval_s);

  // Lets the PMDs drain their tx rings before the ports stop.
  static void settle();

 private:
  std::vector<std::unique_ptr<Port>> ports_;
  std::vector<std::unique_ptr<TxQueue>> queues_;
  std::vector<TxQueue*> queue_ptrs_;
  std::uint64_t last_frames_ = 0;
};

// The device a --vdev spec or PCI address names: "net_null0,size=64" -> "net_null0".
[[nodiscard]] std::string device_name(const std::string& target);

// What gen prints after sending: each line's tx and port figures, the feed's tally, each line's
// own faults, the skew as sent (two lines) and how late gen was behind its schedule.
[[nodiscard]] std::string format_feed_sent(const FeedSendResult& sent, std::span<const PortStats> ports, double skew_us);

// gen's --report JSON of a live send; `spec` is the request's (wire::spec_json).
[[nodiscard]] nlohmann::json feed_sent_report(nlohmann::json spec, const FeedSendResult& sent,
                                              std::span<const PortStats> ports, double skew_us, bool stopped_by_signal);

}  // namespace tickpath::platform

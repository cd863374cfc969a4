#pragma once
// The ack log's tee (report.ack_log = true): a sink decorator that hands every ack to an inner
// sink, then copies it into a bounded SPSC queue drained by a housekeeping thread into acks.bin.
// Chosen once at start-up as the executor's Sink type (AckLogSink<MetricsSink> or
// AckLogSink<NullSink>): a run without the ack log has no ack-log code in its loop at all, so
// there is no per-ack "is the log on?" branch.
//
// A full queue never blocks the execution thread: the ack is dropped from the log and counted
// (dropped()), and the sink it feeds is unaffected. Per ack: one 64-byte store into the queue
// and one release store of the tail; no allocation, lock or system call.
#include <cstddef>
#include <utility>

#include "core/bus/spsc_queue.hpp"
#include "core/counter.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "core/execution/sink.hpp"

namespace tickpath::core {

template <ObservabilitySink Inner>
class AckLogSink {
 public:
  // 2^16 acks = 4 MiB: about 2 ms of a 30 Mevent/s run before the first drop if the writer
  // stalls completely; the writer drains in batches well within that on an idle housekeeping core.
  static constexpr std::size_t kDefaultCapacity = std::size_t{1} << 16;

  // Start-up: allocates the queue (throws std::invalid_argument on a bad capacity).
  explicit AckLogSink(std::size_t capacity = kDefaultCapacity) : queue_(capacity) {}
  // The inner sink built in place from `args` (a MetricsSink with its NIC clock map, say).
  template <class... Args>
  AckLogSink(std::size_t capacity, std::in_place_t, Args&&... args)
      : inner_(std::forward<Args>(args)...), queue_(capacity) {}

  // Execution thread only: the queue's single producer and the single writer of dropped_.
  void observe(const Event& event, const Ack& ack) noexcept {
    inner_.observe(event, ack);
    if (!queue_.try_push(ack)) [[unlikely]] dropped_.add();
  }

  [[nodiscard]] Inner& inner() noexcept { return inner_; }
  [[nodiscard]] const Inner& inner() const noexcept { return inner_; }
  // The consumer side belongs to the ack-log writer thread.
  [[nodiscard]] SpscQueue<Ack>& queue() noexcept { return queue_; }
  [[nodiscard]] const SpscQueue<Ack>& queue() const noexcept { return queue_; }
  // Acks the log lost because the queue was full.
  [[nodiscard]] const Counter& dropped() const noexcept { return dropped_; }

 private:
  Inner inner_;
  SpscQueue<Ack> queue_;
  Counter dropped_;
};

static_assert(ObservabilitySink<AckLogSink<NullSink>>);

}  // namespace tickpath::core

#pragma once
// The real observability sink (seed step 7): per-stage latency histograms in raw ticks, written by
// the execution thread inside observe(), read by the control plane through snapshot(). The
// control plane converts to nanoseconds (latency_summary.hpp); nothing here does.
//
//   rx_tsc ── publish_tsc ──queue── poll_tsc ──decision── decision_tsc ──ack── complete_tsc
//   └──────────────────────────────── ingest_to_ack ───────────────────────────────┘
//
// rx/publish are stamped on the ingest core and poll/decision/complete on the execution core.
// Invariant TSC keeps the cores within a few ticks of each other, not zero: a cross-core stage can
// come out "negative". Such a difference is recorded as 0 and counted in clock_skew(), instead of
// wrapping to ~2^64 and saturating the histogram.
#include <cstdint>

#include "control/metrics/histogram.hpp"
#include "core/counter.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "core/execution/sink.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::control {

class MetricsSink {
 public:
  // Start-up: allocates the four histograms (throws std::invalid_argument on a bad config).
  explicit MetricsSink(HistogramConfig config = {})
      : ingest_to_ack_(config), queue_(config), decision_(config), ack_(config) {}

  // Execution thread only (the single writer of everything below).
  void observe(const core::Event& event, const core::Ack& ack) noexcept {
    ingest_to_ack_.record(elapsed(event.rx_tsc, ack.complete_tsc));
    queue_.record(elapsed(ack.publish_tsc, ack.poll_tsc));
    decision_.record(elapsed(ack.poll_tsc, ack.decision_tsc));
    ack_.record(elapsed(ack.decision_tsc, ack.complete_tsc));
  }

  // Any thread: snapshot() these; they are never written from outside observe().
  [[nodiscard]] const Histogram& ingest_to_ack() const noexcept { return ingest_to_ack_; }
  [[nodiscard]] const Histogram& queue() const noexcept { return queue_; }
  [[nodiscard]] const Histogram& decision() const noexcept { return decision_; }
  [[nodiscard]] const Histogram& ack() const noexcept { return ack_; }
  // Stage differences that came out negative and were recorded as 0 (one per stage, per event).
  [[nodiscard]] const core::Counter& clock_skew() const noexcept { return clock_skew_; }

 private:
  core::Ticks elapsed(core::Ticks start, core::Ticks end) noexcept {
    if (end < start) [[unlikely]] {
      clock_skew_.add();
      return 0;
    }
    return end - start;
  }

  Histogram ingest_to_ack_;
  Histogram queue_;
  Histogram decision_;
  Histogram ack_;
  core::Counter clock_skew_;
};

static_assert(core::ObservabilitySink<MetricsSink>);

// Counts observations and nothing else: the cheapest sink that still does work per event, for
// benchmarks that measure the cost of the sink call itself against NullSink.
class CountingSink {
 public:
  void observe(const core::Event&, const core::Ack&) noexcept { observed_.add(); }
  [[nodiscard]] std::uint64_t observed() const noexcept { return observed_.load(); }

 private:
  core::Counter observed_;
};

static_assert(core::ObservabilitySink<CountingSink>);

}  // namespace tickpath::control

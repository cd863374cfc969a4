#pragma once
// The real observability sink (seed step 7): per-stage latency histograms in raw ticks, written by
// the execution thread inside observe(), read by the control plane through snapshot(). The
// control plane converts to nanoseconds (latency_summary.hpp); nothing here does.
//
//   send_tsc ─ ─ wire ─ ─ nic_rx_ts ──nic_to_ingest── rx_tsc ── publish_tsc ──queue── poll_tsc
//      │                                                │     ──decision── decision_tsc ──ack── complete_tsc
//      │                                                └──────────── ingest_to_ack ──────────────────┘
//      └──────────────────────────────────── wire_to_ack ─────────────────────────────────────────────┘
//   send_ns (sender's CLOCK_REALTIME) ─ ─ ─ ─ ─ ─ ─ ─ wall_to_ack ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ complete_tsc
//
// wire_to_ack starts at the sender's TSC embedded in the message (test_message.hpp): meaningful
// on one host (same TSC), recorded only for events that carry one. nic_to_ingest starts at the
// NIC's hardware rx timestamp mapped onto the TSC (NicClockMap, measured at start-up), recorded
// only when the port gives timestamps and the map is valid. Both are data-dependent, never a
// branch on configuration: an event without the stamp simply has 0 there.
//
// wall_to_ack is the cross-host one-way figure: the sender's CLOCK_REALTIME send_ns (the event's
// payload, test_message.hpp) mapped onto this host's TSC by a WallClockMap measured once at
// start-up, to the ack. It needs both clocks PTP-synchronised; it is recorded only when the map is
// valid (ingest.wall_clock_latency chose that at start-up) and the message carries the test header
// (send_tsc != 0, whatever host wrote it) with a non-zero send_ns. A negative result (the sender's
// clock ahead of ours, or the map's drift) is not recorded at all, not even as 0: it is counted in
// wall_clock_negative(), since a 0 would pass for a real, impossibly fast sample.
//
// rx/publish are stamped on the ingest core and poll/decision/complete on the execution core.
// Invariant TSC keeps the cores within a few ticks of each other, not zero: a cross-core stage can
// come out "negative". Such a difference is recorded as 0 and counted per stage in negative(i)
// (clock_skew() is their sum), instead of wrapping to ~2^64 and saturating the histogram.
//
// The window: the stage histograms hold only acks with in_window set (from the first READY
// decision on, executor.hpp; DEGRADED stays in, counted in degraded()). Earlier acks -- warmup --
// go to warmup() alone (ingest_to_ack), so warmup is in no stage figure. The branch is on the
// ack's own data (derived from the lifecycle state the executor read), never on configuration.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "control/metrics/histogram.hpp"
#include "core/counter.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "core/execution/sink.hpp"
#include "core/ingest/test_message.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::control {

// Maps the NIC's rx timestamp clock onto the TSC: tsc = tsc_base + (nic - nic_base) * ticks_per_unit.
// Measured once at start-up from paired reads (rte_eth_read_clock, TSC); invalid when the port
// cannot be read, and then nic_to_ingest is not recorded.
struct NicClockMap {
  bool valid = false;
  std::uint64_t nic_base = 0;
  core::Ticks tsc_base = 0;
  double ticks_per_unit = 0;

  // Integer subtraction first: a double holds epoch-nanosecond NIC clocks only to ~256 ns.
  [[nodiscard]] core::Ticks to_tsc(std::uint64_t nic) const noexcept {
    const auto since_base = static_cast<std::int64_t>(nic - nic_base);
    const auto d = static_cast<std::int64_t>(static_cast<double>(since_base) * ticks_per_unit);
    const auto t = static_cast<std::int64_t>(tsc_base) + d;
    return t <= 0 ? 0 : static_cast<core::Ticks>(t);
  }
};

// Maps CLOCK_REALTIME onto the TSC: tsc = tsc_base + (realtime_ns - realtime_base_ns) * ticks_per_ns.
// Measured once at start-up on the housekeeping thread from a paired read (TSC, clock_gettime) and
// the TSC calibration's rate; invalid (the default) when ingest.wall_clock_latency is off.
struct WallClockMap {
  bool valid = false;
  std::uint64_t realtime_base_ns = 0;
  core::Ticks tsc_base = 0;
  double ticks_per_ns = 0;

  // Ticks from `realtime_ns` to `tsc`, signed: negative when the wall time maps after the TSC.
  // The subtraction happens in integers first: a double holds epoch nanoseconds only to ~256 ns.
  [[nodiscard]] std::int64_t ticks_since(std::uint64_t realtime_ns, core::Ticks tsc) const noexcept {
    const auto since_base_ns = static_cast<std::int64_t>(realtime_ns - realtime_base_ns);
    const auto tsc_since_base = static_cast<std::int64_t>(tsc - tsc_base);
    return tsc_since_base - static_cast<std::int64_t>(static_cast<double>(since_base_ns) * ticks_per_ns);
  }
};

class MetricsSink {
 public:
  struct Stage {
    const char* name;
    const Histogram* histogram;
  };
  static constexpr std::size_t kStages = 7;

  // The precision every stage records at, fixed at compile time: with the sub-bucket bits an
  // immediate, each record's bucket index is ~7 instructions shorter (the cycle budget's sink
  // row). It is HistogramConfig's default, the one the appliance runs and summary.json reports
  // (histogram.sub_bucket_bits). Another precision would need the sink templated on it and the
  // instantiation chosen once at start-up, like the sink type; until then the constructor refuses it.
  static constexpr unsigned kSubBucketBits = HistogramConfig{}.sub_bucket_bits;

  // Start-up: allocates the histograms (throws std::invalid_argument on a bad config, or one
  // whose sub_bucket_bits is not kSubBucketBits).
  explicit MetricsSink(HistogramConfig config = {}, NicClockMap nic_clock = {}, WallClockMap wall_clock = {})
      : ingest_to_ack_(at_sink_precision(config)), wire_to_ack_(config), wall_to_ack_(config), nic_to_ingest_(config), queue_(config),
        decision_(config), ack_(config), warmup_(config), nic_clock_(nic_clock), wall_clock_(wall_clock) {}

  // Stage indices, in stages() order.
  enum StageIndex : std::size_t { kIngestToAck, kWireToAck, kWallToAck, kNicToIngest, kQueue, kDecision, kAck };

  // Execution thread only (the single writer of everything below).
  void observe(const core::Event& event, const core::Ack& ack) noexcept {
    if (ack.in_window == 0) [[unlikely]] {
      record(warmup_, ack.complete_tsc >= event.rx_tsc ? ack.complete_tsc - event.rx_tsc : 0);
      return;
    }
    degraded_.add(ack.executed ^ 1u);
    record(ingest_to_ack_, elapsed(event.rx_tsc, ack.complete_tsc, kIngestToAck));
    if (event.send_tsc != 0) record(wire_to_ack_, elapsed(event.send_tsc, ack.complete_tsc, kWireToAck));
    if (event.nic_rx_ts != 0 && nic_clock_.valid) [[unlikely]] {
      record(nic_to_ingest_, elapsed(nic_clock_.to_tsc(event.nic_rx_ts), event.rx_tsc, kNicToIngest));
    }
    if (wall_clock_.valid && event.send_tsc != 0) [[unlikely]] {
      const std::uint64_t send_ns = core::test_message::send_ns(event.payload);
      if (send_ns != 0) {
        const std::int64_t t = wall_clock_.ticks_since(send_ns, ack.complete_tsc);
        if (t >= 0) {
          record(wall_to_ack_, static_cast<core::Ticks>(t));
        } else {
          negative_[kWallToAck].add();
        }
      }
    }
    record(queue_, elapsed(ack.publish_tsc, ack.poll_tsc, kQueue));
    record(decision_, elapsed(ack.poll_tsc, ack.decision_tsc, kDecision));
    record(ack_, elapsed(ack.decision_tsc, ack.complete_tsc, kAck));
  }

  // Any thread: snapshot() these; they are never written from outside observe().
  [[nodiscard]] const Histogram& ingest_to_ack() const noexcept { return ingest_to_ack_; }
  [[nodiscard]] const Histogram& wire_to_ack() const noexcept { return wire_to_ack_; }
  [[nodiscard]] const Histogram& wall_to_ack() const noexcept { return wall_to_ack_; }
  [[nodiscard]] const Histogram& nic_to_ingest() const noexcept { return nic_to_ingest_; }
  [[nodiscard]] const Histogram& queue() const noexcept { return queue_; }
  [[nodiscard]] const Histogram& decision() const noexcept { return decision_; }
  [[nodiscard]] const Histogram& ack() const noexcept { return ack_; }
  // Every stage, in report order: what summaries, /metrics and timelines iterate over.
  [[nodiscard]] std::array<Stage, kStages> stages() const noexcept {
    return {{{"ingest_to_ack", &ingest_to_ack_},
             {"wire_to_ack", &wire_to_ack_},
             {"wall_to_ack", &wall_to_ack_},
             {"nic_to_ingest", &nic_to_ingest_},
             {"queue", &queue_},
             {"decision", &decision_},
             {"ack", &ack_}}};
  }
  [[nodiscard]] const NicClockMap& nic_clock() const noexcept { return nic_clock_; }
  [[nodiscard]] const WallClockMap& wall_clock() const noexcept { return wall_clock_; }
  // wall_to_ack samples that came out negative (sender's clock ahead, or map drift): not recorded.
  [[nodiscard]] const core::Counter& wall_clock_negative() const noexcept { return negative_[kWallToAck]; }
  // Differences of stage `i` (stages() order) that came out negative: recorded as 0, except
  // wall_to_ack's, which are not recorded at all.
  [[nodiscard]] const core::Counter& negative(std::size_t i) const noexcept { return negative_[i]; }
  // Cross-core stage differences that came out negative and were recorded as 0, all stages
  // except wall_to_ack (a cross-host clock, not cross-core skew).
  [[nodiscard]] std::uint64_t clock_skew() const noexcept {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < kStages; ++i) n += i == kWallToAck ? 0 : negative_[i].load();
    return n;
  }
  // Acks before the window (warmup, and any DEGRADED before the first READY): ingest_to_ack only.
  [[nodiscard]] const Histogram& warmup() const noexcept { return warmup_; }
  // Acks inside the window that were provisional (DEGRADED): in the stage figures, marked here.
  [[nodiscard]] const core::Counter& degraded() const noexcept { return degraded_; }

 private:
  // Not [[gnu::cold]] itself: every construction calls it, and GCC would then treat the code
  // after a constructor as cold too (a benchmark's whole timed loop went to .text.unlikely).
  static HistogramConfig at_sink_precision(HistogramConfig config) {
    if (config.sub_bucket_bits != kSubBucketBits) [[unlikely]] throw_wrong_precision(config.sub_bucket_bits);
    return config;
  }
  [[noreturn, gnu::cold]] static void throw_wrong_precision(unsigned sub_bucket_bits) {
    throw std::invalid_argument("metrics sink: records at " + std::to_string(kSubBucketBits) +
                                " sub-bucket bits (compile time), got a histogram config with " +
                                std::to_string(sub_bucket_bits));
  }

  static void record(Histogram& histogram, core::Ticks value) noexcept {
    histogram.record_fixed<kSubBucketBits>(value);
  }

  core::Ticks elapsed(core::Ticks start, core::Ticks end, StageIndex stage) noexcept {
    // One subtraction whose borrow is the "negative" test (sub + jb), instead of a compare and
    // then the subtraction.
    core::Ticks d;
    if (__builtin_sub_overflow(end, start, &d)) [[unlikely]] {
      negative_[stage].add();
      return 0;
    }
    return d;
  }

  Histogram ingest_to_ack_;
  Histogram wire_to_ack_;
  Histogram wall_to_ack_;
  Histogram nic_to_ingest_;
  Histogram queue_;
  Histogram decision_;
  Histogram ack_;
  Histogram warmup_;
  NicClockMap nic_clock_;
  WallClockMap wall_clock_;
  std::array<core::Counter, kStages> negative_{};
  core::Counter degraded_;
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

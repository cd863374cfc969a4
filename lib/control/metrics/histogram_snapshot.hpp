#pragma once
// A plain copy of a Histogram, taken by the control plane: ordinary vectors and integers, free to
// allocate, merge, subtract and query. Nothing here runs on the hot path.
//
// Semantics follow HdrHistogram (Java and hdr-histogram-js getValueAtPercentile): the rank is
// ceil(p% of the total) (hdr_percentile_rank), and the answer the highest value equivalent to the
// bucket holding that rank, then clamped to [min, max] so p100 is the exact max and no answer lies
// outside what was recorded (the clamp only ever moves an answer towards the truth). An empty
// snapshot answers 0 everywhere.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "control/metrics/bucket_layout.hpp"

namespace tickpath::control {

class Histogram;

// HdrHistogram's rank of percentile p in a histogram of `total` values: max(1, ceil(p/100 *
// total - 1 ulp)), exactly as hdr-histogram-js computes it, so that p99 of 160 values is the
// 159th (the first of two outliers), never the 158th that round-half-up would give.
[[nodiscard]] std::uint64_t hdr_percentile_rank(double p, std::uint64_t total) noexcept;

class HistogramSnapshot {
 public:
  // An empty snapshot, e.g. the identity to merge others into.
  HistogramSnapshot() : HistogramSnapshot(BucketLayout{}) {}
  explicit HistogramSnapshot(BucketLayout layout);

  [[nodiscard]] const BucketLayout& layout() const noexcept { return layout_; }
  // Count per bucket, indexed like BucketLayout::index_of.
  [[nodiscard]] std::span<const std::uint64_t> bucket_counts() const noexcept { return counts_; }

  [[nodiscard]] std::uint64_t count() const noexcept { return total_; }
  [[nodiscard]] bool empty() const noexcept { return total_ == 0; }
  [[nodiscard]] std::uint64_t min() const noexcept { return empty() ? 0 : min_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return empty() ? 0 : max_; }
  // Sum of the (clamped) values recorded; the mean is exact, not bucket-rounded.
  [[nodiscard]] std::uint64_t sum() const noexcept { return sum_; }
  [[nodiscard]] double mean() const noexcept;
  // Values above layout().max_value() that were clamped to it.
  [[nodiscard]] std::uint64_t saturated() const noexcept { return saturated_; }

  // p in [0, 100] (clamped): p = 0 is the min, p = 100 the max.
  [[nodiscard]] std::uint64_t value_at_percentile(double p) const noexcept;

  // Adds other's counts. Throws std::invalid_argument when the layouts differ.
  HistogramSnapshot& merge(const HistogramSnapshot& other);

  // Turns a cumulative snapshot into the interval since `older` (an earlier snapshot of the same
  // histogram): "the last second". Counts are differences; the interval's min and max are not
  // known exactly, so they come from its extreme buckets, tightened by this snapshot's exact
  // min/max (every value ever recorded lies between them). Throws std::invalid_argument when the
  // layouts differ.
  HistogramSnapshot& subtract(const HistogramSnapshot& older);

 private:
  friend class Histogram;

  // Recomputes total_ from the buckets, then moves min_/max_ into the range of the first and last
  // non-empty buckets. Exact values stay untouched; a concurrent snapshot (the writer stored a
  // count but not yet the new min, or the reverse) is made self-consistent.
  void settle() noexcept;
  void require_same_layout(const HistogramSnapshot& other) const;

  BucketLayout layout_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t saturated_ = 0;
};

}  // namespace tickpath::control

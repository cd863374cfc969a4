#include "control/metrics/histogram_snapshot.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tickpath::control {

HistogramSnapshot::HistogramSnapshot(BucketLayout layout)
    : layout_(layout), counts_(layout.bucket_count(), 0) {}

std::uint64_t hdr_percentile_rank(double p, std::uint64_t total) noexcept {
  const double requested = std::clamp(std::isnan(p) ? 0.0 : p, 0.0, 100.0);
  const double fp = requested / 100.0 * static_cast<double>(total);
  // One ulp of fp (2^(floor(log2 fp) - 52)): the product can come out one ulp above the exact
  // integer count, and a bare ceil would then skip to the next value.
  const double ulp = fp > 0 ? std::ldexp(1.0, std::ilogb(fp) - 52) : 0.0;
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(fp - ulp)));
}

double HistogramSnapshot::mean() const noexcept {
  return empty() ? 0.0 : static_cast<double>(sum_) / static_cast<double>(total_);
}

std::uint64_t HistogramSnapshot::value_at_percentile(double p) const noexcept {
  if (empty()) return 0;
  // NaN compares false everywhere: treat it as 0 rather than walk off the end.
  if (!(p > 0.0)) return min_;
  if (p >= 100.0) return max_;
  const std::uint64_t rank = hdr_percentile_rank(p, total_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(layout_.highest(i), min_, max_);
  }
  return max_;  // unreachable while total_ is the sum of the buckets (settle() keeps it so)
}

HistogramSnapshot& HistogramSnapshot::merge(const HistogramSnapshot& other) {
  require_same_layout(other);
  if (other.empty()) {
    saturated_ += other.saturated_;
    return *this;
  }
  min_ = empty() ? other.min_ : std::min(min_, other.min_);
  max_ = empty() ? other.max_ : std::max(max_, other.max_);
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  sum_ += other.sum_;
  saturated_ += other.saturated_;
  return *this;
}

HistogramSnapshot& HistogramSnapshot::subtract(const HistogramSnapshot& older) {
  require_same_layout(older);
  // Every bucket only grows, so a later snapshot is >= an earlier one bucket by bucket. The
  // guards only matter if the caller swaps the arguments: they yield an empty interval, not 2^64.
  const auto minus = [](std::uint64_t a, std::uint64_t b) { return a >= b ? a - b : 0; };
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] = minus(counts_[i], older.counts_[i]);
  sum_ = minus(sum_, older.sum_);
  saturated_ = minus(saturated_, older.saturated_);
  // Bound the interval by its extreme buckets; the exact cumulative min/max stay as the tighter
  // bound where they fall inside those buckets (settle() clamps them into range).
  settle();
  return *this;
}

void HistogramSnapshot::settle() noexcept {
  total_ = 0;
  std::size_t first = counts_.size();
  std::size_t last = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    total_ += counts_[i];
    first = std::min(first, i);
    last = i;
  }
  if (total_ == 0) {
    min_ = max_ = 0;
    return;
  }
  min_ = std::clamp(min_, layout_.lowest(first), layout_.highest(first));
  max_ = std::clamp(max_, layout_.lowest(last), std::min(layout_.highest(last), layout_.max_value()));
}

void HistogramSnapshot::require_same_layout(const HistogramSnapshot& other) const {
  if (!(layout_ == other.layout_)) [[unlikely]] {
    throw std::invalid_argument("histogram snapshots have different bucket layouts");
  }
}

}  // namespace tickpath::control

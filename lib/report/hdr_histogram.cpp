#include "report/hdr_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace tickpath::report {

namespace {

struct Geometry {
  int sub_bucket_count_magnitude = 0;
  int bucket_count = 0;
  std::int64_t sub_bucket_half_count = 0;
};

// HdrHistogram's layout arithmetic (getBucketsNeededToCoverValue); digits in [0, 5], highest >= 2.
Geometry geometry(std::int64_t highest_trackable, int significant_digits) noexcept {
  Geometry g;
  const double single_unit = 2.0 * std::pow(10.0, significant_digits);
  g.sub_bucket_count_magnitude = static_cast<int>(std::ceil(std::log2(single_unit)));
  const std::int64_t sub_bucket_count = std::int64_t{1} << g.sub_bucket_count_magnitude;
  g.sub_bucket_half_count = sub_bucket_count / 2;
  std::int64_t smallest_untrackable = sub_bucket_count;
  int buckets = 1;
  while (smallest_untrackable <= highest_trackable) {
    if (smallest_untrackable > INT64_MAX / 2) {
      ++buckets;
      break;
    }
    smallest_untrackable <<= 1;
    ++buckets;
  }
  g.bucket_count = buckets;
  return g;
}

}  // namespace

std::size_t HdrHistogram::counts_length_for(std::int64_t highest_trackable, int significant_digits) noexcept {
  if (significant_digits < 0 || significant_digits > 5 || highest_trackable < 2) return 0;
  const Geometry g = geometry(highest_trackable, significant_digits);
  return static_cast<std::size_t>((g.bucket_count + 1) * g.sub_bucket_half_count);
}

HdrHistogram::HdrHistogram(std::int64_t highest_trackable, int significant_digits)
    : highest_(highest_trackable), digits_(significant_digits) {
  if (significant_digits < 0 || significant_digits > 5) {
    throw std::invalid_argument("HdrHistogram: significant digits must be in [0, 5]");
  }
  if (highest_trackable < 2) throw std::invalid_argument("HdrHistogram: highest trackable value must be >= 2");
  const Geometry g = geometry(highest_trackable, significant_digits);
  sub_bucket_count_magnitude_ = g.sub_bucket_count_magnitude;
  sub_bucket_half_count_magnitude_ = std::max(sub_bucket_count_magnitude_ - 1, 0);
  sub_bucket_count_ = std::int64_t{1} << sub_bucket_count_magnitude_;
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = sub_bucket_count_ - 1;
  bucket_count_ = g.bucket_count;
  counts_.assign(counts_length_for(highest_trackable, significant_digits), 0);
}

int HdrHistogram::bucket_index(std::int64_t value) const noexcept {
  const auto v = static_cast<std::uint64_t>(value | sub_bucket_mask_);
  return (64 - sub_bucket_count_magnitude_) - std::countl_zero(v);
}

std::size_t HdrHistogram::index_of(std::int64_t value) const noexcept {
  const int bucket = bucket_index(value);
  const std::int64_t sub = value >> bucket;
  return static_cast<std::size_t>(((static_cast<std::int64_t>(bucket) + 1) << sub_bucket_half_count_magnitude_) +
                                  (sub - sub_bucket_half_count_));
}

std::int64_t HdrHistogram::value_from_index(std::size_t index) const noexcept {
  auto bucket = static_cast<std::int64_t>(index >> sub_bucket_half_count_magnitude_) - 1;
  std::int64_t sub = static_cast<std::int64_t>(index & static_cast<std::size_t>(sub_bucket_half_count_ - 1)) +
                     sub_bucket_half_count_;
  if (bucket < 0) {
    sub -= sub_bucket_half_count_;
    bucket = 0;
  }
  return sub << bucket;
}

std::int64_t HdrHistogram::lowest_equivalent(std::int64_t value) const noexcept {
  const int bucket = bucket_index(value);
  return (value >> bucket) << bucket;
}

std::int64_t HdrHistogram::highest_equivalent(std::int64_t value) const noexcept {
  const int bucket = bucket_index(value);
  const std::int64_t sub = value >> bucket;
  const int width_shift = sub >= sub_bucket_count_ ? bucket + 1 : bucket;
  return lowest_equivalent(value) + (std::int64_t{1} << width_shift) - 1;
}

std::int64_t HdrHistogram::median_equivalent(std::int64_t value) const noexcept {
  const std::int64_t lowest = lowest_equivalent(value);
  return lowest + ((highest_equivalent(value) - lowest + 1) >> 1);
}

void HdrHistogram::record(std::int64_t value, std::uint64_t count) {
  if (count == 0) return;
  value = std::clamp<std::int64_t>(value, 0, highest_);
  counts_[index_of(value)] += count;
  total_ += count;
}

void HdrHistogram::set_count_at_index(std::size_t index, std::uint64_t count) {
  if (index >= counts_.size()) throw std::out_of_range("HdrHistogram: counts index past the array");
  total_ = total_ - counts_[index] + count;
  counts_[index] = count;
}

std::size_t HdrHistogram::used_length() const noexcept {
  for (std::size_t i = counts_.size(); i > 0; --i) {
    if (counts_[i - 1] != 0) return i;
  }
  return 0;
}

std::int64_t HdrHistogram::max() const noexcept {
  const std::size_t used = used_length();
  return used == 0 ? 0 : highest_equivalent(value_from_index(used - 1));
}

std::int64_t HdrHistogram::min() const noexcept {
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] != 0) return i == 0 ? 0 : lowest_equivalent(value_from_index(i));
  }
  return 0;
}

double HdrHistogram::mean() const noexcept {
  if (total_ == 0) return 0.0;
  double sum = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] != 0) sum += static_cast<double>(median_equivalent(value_from_index(i))) * static_cast<double>(counts_[i]);
  }
  return sum / static_cast<double>(total_);
}

double HdrHistogram::stddev() const noexcept {
  if (total_ == 0) return 0.0;
  const double m = mean();
  double sq = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    const double d = static_cast<double>(median_equivalent(value_from_index(i))) - m;
    sq += d * d * static_cast<double>(counts_[i]);
  }
  return std::sqrt(sq / static_cast<double>(total_));
}

std::int64_t HdrHistogram::value_at_percentile(double p) const noexcept {
  if (total_ == 0) return 0;
  const double requested = std::clamp(std::isnan(p) ? 0.0 : p, 0.0, 100.0);
  const std::uint64_t rank = control::hdr_percentile_rank(requested, total_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const std::int64_t v = value_from_index(i);
      return requested == 0.0 ? lowest_equivalent(v) : highest_equivalent(v);
    }
  }
  return 0;
}

HdrHistogram& HdrHistogram::add(const HdrHistogram& other) {
  if (other.digits_ != digits_ || other.highest_ != highest_) {
    throw std::invalid_argument("HdrHistogram: cannot add histograms of different ranges or precision");
  }
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  return *this;
}

std::vector<PercentileRow> percentile_rows(const HdrHistogram& h, int ticks) {
  std::vector<PercentileRow> rows;
  const std::uint64_t total = h.total_count();
  if (total == 0) return rows;
  const auto& counts = h.counts();
  double level = 0.0;
  std::uint64_t cumulative = 0;
  const std::size_t used = h.used_length();
  for (std::size_t i = 0; i < used; ++i) {
    if (counts[i] == 0) continue;
    cumulative += counts[i];
    const std::int64_t value = h.highest_equivalent(h.value_from_index(i));
    const double current = 100.0 * static_cast<double>(cumulative) / static_cast<double>(total);
    // Java's iterator stops asking for levels once the last count is in: one more row at the
    // next level, then the 100% row.
    const bool last = cumulative == total;
    while (current >= level && level < 100.0) {
      rows.push_back({value, level, cumulative});
      const auto half_distance = static_cast<std::int64_t>(std::log2(100.0 / (100.0 - level))) + 1;
      const double next = level + 100.0 / (static_cast<double>(ticks) * std::pow(2.0, static_cast<double>(half_distance)));
      // The steps shrink towards 100%; with totals past 2^53 a cumulative count one short of the
      // total already reads as 100.0, and once a step is below the double's resolution the level
      // would stop moving (Java loops the same way). No finer level exists: on to the next slot.
      if (next <= level) break;
      level = next;
      if (last) break;
    }
    if (last) rows.push_back({value, 100.0, cumulative});
  }
  return rows;
}

HdrHistogram from_ticks(const control::HistogramSnapshot& ticks, const core::TscCalibration& calibration) {
  HdrHistogram out;
  const auto counts = ticks.bucket_counts();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    const std::uint64_t v = std::clamp(ticks.layout().highest(i), ticks.min(), ticks.max());
    out.record(std::llround(calibration.to_ns(v)), counts[i]);
  }
  return out;
}

}  // namespace tickpath::report

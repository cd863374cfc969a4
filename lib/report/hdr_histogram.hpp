#pragma once
// HdrHistogram's data model, as the report files need it: the counts array laid out exactly as
// HdrHistogram (Java, C, JavaScript) lays it out, so that the V2 encoding (hdr_encoding.hpp) and the
// percentile distribution (hgrm.hpp) produce what HdrHistogram's own tools expect, and so that
// the answers (percentiles, mean, max) follow HdrHistogram's definitions.
//
// Layout for lowest discernible value 1 (unit magnitude 0) and d significant digits:
//   sub_bucket_count = 2^ceil(log2(2 * 10^d)), half = sub_bucket_count / 2
//   index(v)         = (bucket(v) + 1) * half + (v >> bucket(v)) - half
//   bucket(v)        = 64 - log2(sub_bucket_count) - clz(v | (sub_bucket_count - 1))
// tickpath's own BucketLayout with S sub-bucket bits is the same array for d = 2 and S = 7; the
// report converts ticks to nanoseconds, so it re-records rather than copying (see from_ticks).
//
// Not on the hot path: ordinary vectors, allocation allowed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "control/metrics/histogram_snapshot.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::report {

// The histograms in the report files: nanoseconds, 3 significant digits (a bucket is never wider
// than 1/1024 of its lowest value), up to one hour.
inline constexpr int kReportDigits = 3;
inline constexpr std::int64_t kReportHighestNs = 3'600'000'000'000;
// A histogram read from a file may describe at most this many slots (8 MiB of counts): 3 digits up
// to 2^63 - 1 needs 55,296, 4 digits 819,200; 5 digits over the whole range (6 M slots, 49 MB per
// interval) is refused rather than allocated from a few bytes of input.
inline constexpr std::size_t kMaxReadSlots = std::size_t{1} << 20;
// The total count of a histogram (HdrHistogram's long): beyond it sums and ranks overflow.
inline constexpr std::uint64_t kMaxTotalCount = 0x7FFF'FFFF'FFFF'FFFF;

class HdrHistogram {
 public:
  // lowest discernible value is 1. Throws std::invalid_argument for digits outside [0, 5] or
  // highest < 2.
  HdrHistogram(std::int64_t highest_trackable, int significant_digits);
  HdrHistogram() : HdrHistogram(kReportHighestNs, kReportDigits) {}

  // The counts array's length for this geometry, without allocating it (readers check it against
  // kMaxReadSlots before they build a histogram a file describes). 0 for a geometry the
  // constructor would refuse.
  [[nodiscard]] static std::size_t counts_length_for(std::int64_t highest_trackable, int significant_digits) noexcept;

  // Adds `count` at `value` (values above highest_trackable() are clamped to it).
  void record(std::int64_t value, std::uint64_t count = 1);
  // Sets the count of one array slot (the decoder's entry point). Throws on a bad index.
  void set_count_at_index(std::size_t index, std::uint64_t count);

  [[nodiscard]] std::int64_t highest_trackable() const noexcept { return highest_; }
  [[nodiscard]] int significant_digits() const noexcept { return digits_; }
  [[nodiscard]] int bucket_count() const noexcept { return bucket_count_; }
  [[nodiscard]] std::int64_t sub_bucket_count() const noexcept { return sub_bucket_count_; }
  [[nodiscard]] std::size_t counts_length() const noexcept { return counts_.size(); }
  [[nodiscard]] const std::vector<std::uint64_t>& counts() const noexcept { return counts_; }

  [[nodiscard]] std::size_t index_of(std::int64_t value) const noexcept;
  [[nodiscard]] std::int64_t value_from_index(std::size_t index) const noexcept;
  [[nodiscard]] std::int64_t lowest_equivalent(std::int64_t value) const noexcept;
  [[nodiscard]] std::int64_t highest_equivalent(std::int64_t value) const noexcept;
  [[nodiscard]] std::int64_t median_equivalent(std::int64_t value) const noexcept;

  [[nodiscard]] std::uint64_t total_count() const noexcept { return total_; }
  // HdrHistogram's answers: max is the highest equivalent of the largest value recorded, min the
  // lowest equivalent of the smallest; mean and standard deviation use each bucket's median.
  [[nodiscard]] std::int64_t max() const noexcept;
  [[nodiscard]] std::int64_t min() const noexcept;
  [[nodiscard]] double mean() const noexcept;
  [[nodiscard]] double stddev() const noexcept;
  // p in [0, 100]: the highest equivalent value of the bucket holding rank ceil(p% * total)
  // (at least 1; control::hdr_percentile_rank); p = 0 answers the lowest equivalent of the
  // smallest value. Equal to hdr-histogram-js's getValueAtPercentile on the same counts.
  [[nodiscard]] std::int64_t value_at_percentile(double p) const noexcept;

  // Index one past the last non-empty slot (0 when empty): what the encoder writes.
  [[nodiscard]] std::size_t used_length() const noexcept;

  HdrHistogram& add(const HdrHistogram& other);

  friend bool operator==(const HdrHistogram&, const HdrHistogram&) = default;

 private:
  [[nodiscard]] int bucket_index(std::int64_t value) const noexcept;

  std::int64_t highest_;
  int digits_;
  int sub_bucket_count_magnitude_;
  int sub_bucket_half_count_magnitude_;
  std::int64_t sub_bucket_count_;
  std::int64_t sub_bucket_half_count_;
  std::int64_t sub_bucket_mask_;
  int bucket_count_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
};

// One row of HdrHistogram's percentile iteration (hgrm.hpp prints these, the charts plot them).
struct PercentileRow {
  std::int64_t value = 0;  // highest equivalent value of the slot reached
  double percentile = 0;   // the reporting level, 0..100 (the last row is exactly 100)
  std::uint64_t total = 0; // cumulative count up to and including the slot
};

// HdrHistogram's PercentileIterator: walk the counts array; at each non-empty slot whose
// cumulative percentile reaches the next reporting level, emit a row and move the level on by
// 100 / (ticks * 2^(floor(log2(100 / (100 - level))) + 1)): ever finer steps towards 100%. At
// the last non-empty slot one row at the next level, then the row at 100%.
[[nodiscard]] std::vector<PercentileRow> percentile_rows(const HdrHistogram& histogram, int ticks_per_half_distance = 5);

// A tick histogram in nanoseconds: every tick bucket's count is recorded at its highest value
// (clamped to the snapshot's exact min and max, as HistogramSnapshot answers percentiles),
// converted to ns and rounded. A percentile read back therefore equals summary.json's to within
// the ns histogram's bucket width (< 0.1%) plus 1 ns of rounding.
[[nodiscard]] HdrHistogram from_ticks(const control::HistogramSnapshot& ticks,
                                      const core::TscCalibration& calibration);

}  // namespace tickpath::report

// Histogram, HistogramSnapshot and LatencySummary: bucket arithmetic, percentiles on known
// distributions, exact extremes, interval views (subtract), merge and saturation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "control/metrics/bucket_layout.hpp"
#include "control/metrics/histogram.hpp"
#include "control/metrics/histogram_snapshot.hpp"
#include "control/metrics/latency_summary.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::control {
namespace {

constexpr std::uint64_t k2To40 = std::uint64_t{1} << 40;

void expect_within_percent(double actual, double expected, double percent) {
  EXPECT_LE(std::abs(actual - expected), expected * percent / 100.0)
      << "actual " << actual << " expected " << expected << " +/- " << percent << "%";
}

HistogramSnapshot uniform_1_to(std::uint64_t n) {
  Histogram h;
  for (std::uint64_t v = 1; v <= n; ++v) h.record(v);
  return h.snapshot();
}

TEST(BucketLayout, EveryValueUpTo2To40LandsInABucketWhoseRangeContainsIt) {
  const BucketLayout layout;
  std::mt19937_64 rng(42);
  const auto check = [&](std::uint64_t v) {
    const std::size_t i = layout.index_of(v);
    ASSERT_LT(i, layout.bucket_count()) << v;
    ASSERT_LE(layout.lowest(i), v) << v;
    ASSERT_GE(layout.highest(i), v) << v;
  };
  // Every octave boundary and its neighbours, where an off-by-one would show.
  for (unsigned bit = 0; bit <= 40; ++bit) {
    const std::uint64_t p = std::uint64_t{1} << bit;
    check(p);
    check(p - 1);
    if (bit < 40) check(p + 1);
  }
  // Log-uniform samples: every octave gets the same share.
  for (int n = 0; n < 200'000; ++n) {
    const unsigned bits = static_cast<unsigned>(rng() % 41);
    const std::uint64_t v = bits == 0 ? 0 : (rng() & ((std::uint64_t{1} << bits) - 1)) | 1;
    check(std::min(v, k2To40));
  }
}

TEST(BucketLayout, BucketsAreContiguousAndOffByLessThanOnePercentOfTheirValue) {
  const BucketLayout layout;
  for (std::size_t i = 0; i + 1 < layout.bucket_count(); ++i) {
    ASSERT_EQ(layout.highest(i) + 1, layout.lowest(i + 1)) << i;
    ASSERT_EQ(layout.index_of(layout.lowest(i)), i);
    ASSERT_EQ(layout.index_of(layout.highest(i)), i);
    // The worst error inside a bucket: any value reported as its highest-equivalent value.
    const double spread = static_cast<double>(layout.highest(i) - layout.lowest(i));
    if (layout.lowest(i) > 0) {
      ASSERT_LT(spread / static_cast<double>(layout.lowest(i)), 1.0 / 128) << i;
    }
  }
  EXPECT_EQ(layout.index_of(k2To40), layout.bucket_count() - 1);
}

// index_of finds the top bit with one bsr and subtracts a precomputed S << S: checked for every
// sub_bucket_bits the layout accepts, over the whole uint64 range (the top octave included), as
// bucket bounds that tile the range and map back to their own bucket.
TEST(BucketLayout, EverySubBucketBitsFrom1To16TilesTheWholeUint64RangeAndMapsBoundsToTheirBucket) {
  constexpr std::uint64_t kTop = ~std::uint64_t{0};
  for (unsigned bits = BucketLayout::kMinSubBucketBits; bits <= BucketLayout::kMaxSubBucketBits; ++bits) {
    const BucketLayout layout(HistogramConfig{.sub_bucket_bits = bits, .max_value = kTop});
    ASSERT_EQ(layout.lowest(0), 0u) << bits;
    for (std::size_t i = 0; i + 1 < layout.bucket_count(); ++i) {
      ASSERT_EQ(layout.highest(i) + 1, layout.lowest(i + 1)) << bits << " " << i;
      ASSERT_EQ(layout.index_of(layout.lowest(i)), i) << bits << " " << i;
      ASSERT_EQ(layout.index_of(layout.highest(i)), i) << bits << " " << i;
    }
    EXPECT_EQ(layout.index_of(kTop), layout.bucket_count() - 1) << bits;
    EXPECT_EQ(layout.highest(layout.bucket_count() - 1), kTop) << bits;
  }
}

// MetricsSink records through bucket_fixed<S> (S an immediate, the bucket's address formed
// octave first); the snapshots and every reader use the run-time index_of. They must agree on
// every value, for every S the layout accepts: each bucket's bounds, their neighbours, and random
// values of every magnitude, both as an index (index_of_fixed) and as the address of the bucket.
template <unsigned S>
void expect_fixed_index_agrees(std::mt19937_64& rng) {
  const BucketLayout layout(HistogramConfig{.sub_bucket_bits = S, .max_value = ~std::uint64_t{0}});
  std::vector<unsigned char> buckets(layout.bucket_count());  // bytes: ~3 M for S = 16
  const auto check = [&](std::uint64_t v) {
    ASSERT_EQ(BucketLayout::index_of_fixed<S>(v), layout.index_of(v)) << "S=" << S << " v=" << v;
    ASSERT_EQ(BucketLayout::bucket_fixed<S>(buckets.data(), v) - buckets.data(),
              static_cast<std::ptrdiff_t>(layout.index_of(v)))
        << "S=" << S << " v=" << v;
  };
  for (std::size_t i = 0; i < layout.bucket_count(); i += 1 + i / 64) {
    check(layout.lowest(i));
    check(layout.highest(i));
    check(layout.highest(i) + 1);
  }
  for (int k = 0; k < 20'000; ++k) check(rng() >> (rng() % 64));
  check(0);
  check(~std::uint64_t{0});
}

template <unsigned... S>
void expect_fixed_index_agrees_for(std::integer_sequence<unsigned, S...>, std::mt19937_64& rng) {
  (expect_fixed_index_agrees<S + BucketLayout::kMinSubBucketBits>(rng), ...);
}

TEST(BucketLayout, TheCompileTimeIndexPutsEveryValueInTheSameBucketAsTheRunTimeOneForEverySubBucketBits) {
  std::mt19937_64 rng(16);
  expect_fixed_index_agrees_for(
      std::make_integer_sequence<unsigned, BucketLayout::kMaxSubBucketBits - BucketLayout::kMinSubBucketBits + 1>{},
      rng);
}

TEST(Histogram, RecordFixedKeepsTheSameCountsSumMinMaxAndSaturationAsRecord) {
  const HistogramConfig config{.sub_bucket_bits = 7, .max_value = 5'000'000};
  Histogram run_time(config);
  Histogram fixed(config);
  std::mt19937_64 rng(7);
  for (int k = 0; k < 50'000; ++k) {
    const std::uint64_t v = rng() >> (rng() % 64);  // every magnitude, many above max_value
    run_time.record(v);
    fixed.record_fixed<7>(v);
  }
  const HistogramSnapshot a = run_time.snapshot();
  const HistogramSnapshot b = fixed.snapshot();
  ASSERT_GT(a.saturated(), 0u);
  EXPECT_TRUE(std::ranges::equal(a.bucket_counts(), b.bucket_counts()));
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.sum(), b.sum());
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
  EXPECT_EQ(a.saturated(), b.saturated());
}

TEST(BucketLayout, FewerSubBucketBitsTradePrecisionForSize) {
  const BucketLayout coarse(HistogramConfig{.sub_bucket_bits = 3, .max_value = 1'000'000});
  const BucketLayout fine(HistogramConfig{.sub_bucket_bits = 10, .max_value = 1'000'000});
  EXPECT_LT(coarse.bucket_count(), fine.bucket_count());
  const std::size_t i = coarse.index_of(999'999);
  EXPECT_LT(static_cast<double>(coarse.highest(i) - coarse.lowest(i)) /
                static_cast<double>(coarse.lowest(i)),
            1.0 / 8);
}

TEST(Histogram, RejectsAConfigOutsideTheLayoutLimits) {
  EXPECT_THROW(Histogram(HistogramConfig{.sub_bucket_bits = 0}), std::invalid_argument);
  EXPECT_THROW(Histogram(HistogramConfig{.sub_bucket_bits = 17}), std::invalid_argument);
  EXPECT_THROW(Histogram(HistogramConfig{.sub_bucket_bits = 7, .max_value = 0}),
               std::invalid_argument);
}

TEST(Histogram, EmptySnapshotAnswersZero) {
  const Histogram h;
  const HistogramSnapshot s = h.snapshot();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.count(), 0u);
  EXPECT_EQ(s.min(), 0u);
  EXPECT_EQ(s.max(), 0u);
  EXPECT_EQ(s.mean(), 0.0);
  EXPECT_EQ(s.value_at_percentile(99.0), 0u);
}

TEST(Histogram, PercentilesOfUniform1To100000AreWithinOnePercent) {
  const HistogramSnapshot s = uniform_1_to(100'000);
  EXPECT_EQ(s.count(), 100'000u);
  expect_within_percent(static_cast<double>(s.value_at_percentile(50.0)), 50'000, 1.0);
  expect_within_percent(static_cast<double>(s.value_at_percentile(90.0)), 90'000, 1.0);
  expect_within_percent(static_cast<double>(s.value_at_percentile(99.0)), 99'000, 1.0);
  expect_within_percent(static_cast<double>(s.value_at_percentile(99.9)), 99'900, 1.0);
  // Highest-equivalent semantics: never below the true percentile.
  EXPECT_GE(s.value_at_percentile(50.0), 50'000u);
  EXPECT_GE(s.value_at_percentile(99.0), 99'000u);
  EXPECT_DOUBLE_EQ(s.mean(), 50'000.5);
}

TEST(Histogram, PercentilesOfAnExponentialTailAreWithinOnePercent) {
  // Latency-shaped: a floor plus a long tail, checked against the sorted samples.
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> tail(1.0 / 2'000.0);
  std::vector<std::uint64_t> samples;
  Histogram h;
  for (int n = 0; n < 200'000; ++n) {
    const auto v = static_cast<std::uint64_t>(300.0 + tail(rng));
    samples.push_back(v);
    h.record(v);
  }
  std::sort(samples.begin(), samples.end());
  const HistogramSnapshot s = h.snapshot();
  for (const double p : {50.0, 90.0, 99.0, 99.9, 99.99}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
    expect_within_percent(static_cast<double>(s.value_at_percentile(p)),
                          static_cast<double>(samples[rank - 1]), 1.0);
  }
}

TEST(Histogram, P99Of160ValuesWithTwoOutliersIsTheFirstOutlierAsHdrHistogramSays) {
  // ceil(0.99 * 160) = 159: the 159th value, the first outlier. Round-half-up (158) hid it.
  Histogram h;
  for (int i = 0; i < 158; ++i) h.record(1'000);
  h.record(50'000);
  h.record(60'000);
  const HistogramSnapshot s = h.snapshot();
  EXPECT_GE(s.value_at_percentile(99.0), 50'000u);
  EXPECT_LE(s.value_at_percentile(99.0), 50'000u + 50'000u / 128);  // within its bucket
  EXPECT_EQ(s.value_at_percentile(98.0), h.snapshot().value_at_percentile(50.0)) << "rank 157: the body";
  EXPECT_EQ(hdr_percentile_rank(99.0, 160), 159u);
  EXPECT_EQ(hdr_percentile_rank(50.0, 2), 1u);
  EXPECT_EQ(hdr_percentile_rank(0.0, 2), 1u);
  EXPECT_EQ(hdr_percentile_rank(100.0, 7), 7u);
  EXPECT_EQ(hdr_percentile_rank(99.9, 1'000), 999u) << "an exact product is not pushed to the next rank";
}

TEST(Histogram, MinAndMaxAreExactNotBucketRounded) {
  Histogram h;
  h.record(123'457);
  h.record(9'876'543'211);
  h.record(1'000'003);
  const HistogramSnapshot s = h.snapshot();
  EXPECT_EQ(s.min(), 123'457u);
  EXPECT_EQ(s.max(), 9'876'543'211u);
  EXPECT_EQ(s.value_at_percentile(0.0), 123'457u);
  EXPECT_EQ(s.value_at_percentile(100.0), 9'876'543'211u);
  // A single-valued histogram answers that value at every percentile (clamped to [min, max]).
  Histogram one;
  one.record(777'777);
  for (const double p : {0.0, 1.0, 50.0, 99.99, 100.0}) {
    EXPECT_EQ(one.snapshot().value_at_percentile(p), 777'777u) << p;
  }
}

// The writer compares against its own copies of min and max and stores the published ones only
// when an extreme moves: every snapshot in between must still show the true extremes so far.
TEST(Histogram, SnapshotsBetweenRecordsShowEveryNewMinAndMaxAndOnlyThose) {
  struct Step {
    std::uint64_t value;
    std::uint64_t min;
    std::uint64_t max;
  };
  // None of these but 0 and 2^40 is its bucket's lowest or highest value: a stale extreme would
  // show, not be clamped back onto the truth by HistogramSnapshot::settle.
  const Step steps[] = {{5'001, 5'001, 5'001}, {7'003, 5'001, 7'003}, {6'001, 5'001, 7'003},
                        {1'001, 1'001, 7'003}, {0, 0, 7'003},         {k2To40, 0, k2To40},
                        {k2To40 + 9, 0, k2To40}, {3'001, 0, k2To40}};
  Histogram run_time;
  Histogram fixed;
  for (const Step& step : steps) {
    run_time.record(step.value);
    fixed.record_fixed<7>(step.value);
    for (const Histogram* h : {&run_time, &fixed}) {
      const HistogramSnapshot s = h->snapshot();
      EXPECT_EQ(s.min(), step.min) << "after " << step.value;
      EXPECT_EQ(s.max(), step.max) << "after " << step.value;
    }
  }
}

TEST(Histogram, ValuesAboveMaxAreClampedIntoTheTopBucketAndCountedAsSaturated) {
  Histogram h(HistogramConfig{.sub_bucket_bits = 7, .max_value = 1'000'000});
  h.record(10);
  h.record(1'000'000);
  h.record(1'000'001);
  h.record(~std::uint64_t{0});
  EXPECT_EQ(h.saturated(), 2u);
  const HistogramSnapshot s = h.snapshot();
  EXPECT_EQ(s.saturated(), 2u);
  EXPECT_EQ(s.count(), 4u);
  EXPECT_EQ(s.max(), 1'000'000u);
  EXPECT_EQ(s.bucket_counts().back(), 3u);
  EXPECT_EQ(s.value_at_percentile(99.0), 1'000'000u);
}

TEST(HistogramSnapshot, SubtractGivesTheIntervalDistribution) {
  Histogram h;
  for (std::uint64_t v = 1; v <= 1'000; ++v) h.record(v);  // "second 1": small values
  const HistogramSnapshot first = h.snapshot();
  for (std::uint64_t v = 0; v < 10'000; ++v) h.record(50'000 + v);  // "second 2": large ones
  HistogramSnapshot interval = h.snapshot();
  interval.subtract(first);

  EXPECT_EQ(interval.count(), 10'000u);
  // The interval's extremes come from its buckets: within one bucket of the truth, never outside.
  EXPECT_LE(interval.min(), 50'000u);
  expect_within_percent(static_cast<double>(interval.min()), 50'000, 1.0);
  EXPECT_EQ(interval.max(), 59'999u);  // the cumulative max fell in this interval: exact
  expect_within_percent(static_cast<double>(interval.value_at_percentile(50.0)), 55'000, 1.0);
  EXPECT_DOUBLE_EQ(interval.mean(), 54'999.5);
  // Nothing of the first second leaks in.
  EXPECT_GE(interval.value_at_percentile(0.001), interval.min());
  EXPECT_GT(interval.value_at_percentile(0.001), 1'000u);
}

TEST(HistogramSnapshot, SubtractOfAQuietIntervalIsEmpty) {
  Histogram h;
  h.record(5);
  HistogramSnapshot s = h.snapshot();
  s.subtract(h.snapshot());
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.min(), 0u);
  EXPECT_EQ(s.max(), 0u);
}

TEST(HistogramSnapshot, MergeAddsCountsAndKeepsTheExtremes) {
  Histogram a;
  Histogram b;
  for (std::uint64_t v = 100; v < 200; ++v) a.record(v);
  for (std::uint64_t v = 1'000; v < 1'300; ++v) b.record(v);
  b.record(k2To40 + 1);
  HistogramSnapshot merged;  // the empty identity
  merged.merge(a.snapshot()).merge(b.snapshot());
  EXPECT_EQ(merged.count(), 401u);
  EXPECT_EQ(merged.min(), 100u);
  EXPECT_EQ(merged.max(), k2To40);
  EXPECT_EQ(merged.saturated(), 1u);
  const HistogramSnapshot sa = a.snapshot();
  const HistogramSnapshot sb = b.snapshot();
  for (std::size_t i = 0; i < merged.bucket_counts().size(); ++i) {
    ASSERT_EQ(merged.bucket_counts()[i], sa.bucket_counts()[i] + sb.bucket_counts()[i]) << i;
  }
  EXPECT_EQ(merged.sum(), sa.sum() + sb.sum());
}

TEST(HistogramSnapshot, MergeAndSubtractRefuseADifferentLayout) {
  HistogramSnapshot a;
  const HistogramSnapshot b(BucketLayout(HistogramConfig{.sub_bucket_bits = 5}));
  EXPECT_THROW(a.merge(b), std::invalid_argument);
  EXPECT_THROW(a.subtract(b), std::invalid_argument);
}

TEST(LatencySummary, ConvertsTicksToNanosecondsWithTheCalibration) {
  Histogram h;
  for (std::uint64_t v = 1; v <= 100'000; ++v) h.record(v);
  const core::TscCalibration three_ghz(3e9);  // 3 ticks per ns
  const LatencySummary sum = summarize(h.snapshot(), three_ghz);
  EXPECT_EQ(sum.count, 100'000u);
  EXPECT_DOUBLE_EQ(sum.min, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(sum.max, 100'000.0 / 3.0);
  expect_within_percent(sum.p50, 50'000.0 / 3.0, 1.0);
  expect_within_percent(sum.p99, 99'000.0 / 3.0, 1.0);
  expect_within_percent(sum.p99_99, 99'990.0 / 3.0, 1.0);
  EXPECT_DOUBLE_EQ(sum.mean, 50'000.5 / 3.0);
  EXPECT_LE(sum.min, sum.p50);
  EXPECT_LE(sum.p50, sum.p90);
  EXPECT_LE(sum.p90, sum.p99);
  EXPECT_LE(sum.p99, sum.p99_9);
  EXPECT_LE(sum.p99_9, sum.p99_99);
  EXPECT_LE(sum.p99_99, sum.max);
}

TEST(LatencySummary, SerialisesWithTheUnitInEveryKey) {
  const LatencySummary s{.count = 3, .min = 1, .p50 = 2, .p90 = 3, .p99 = 4, .p99_9 = 5,
                         .p99_99 = 6, .max = 7, .mean = 2.5};
  const nlohmann::json j = to_json(s);
  EXPECT_EQ(j.at("count").get<std::uint64_t>(), 3u);
  EXPECT_EQ(j.at("min_ns").get<double>(), 1.0);
  EXPECT_EQ(j.at("p50_ns").get<double>(), 2.0);
  EXPECT_EQ(j.at("p90_ns").get<double>(), 3.0);
  EXPECT_EQ(j.at("p99_ns").get<double>(), 4.0);
  EXPECT_EQ(j.at("p99_9_ns").get<double>(), 5.0);
  EXPECT_EQ(j.at("p99_99_ns").get<double>(), 6.0);
  EXPECT_EQ(j.at("max_ns").get<double>(), 7.0);
  EXPECT_EQ(j.at("mean_ns").get<double>(), 2.5);
  EXPECT_EQ(j.size(), 9u);
  const nlohmann::json implicit = s;  // the ADL hook
  EXPECT_EQ(implicit, j);
}

}  // namespace
}  // namespace tickpath::control

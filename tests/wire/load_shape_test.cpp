// Load shapes as schedules: orderings and ratios, no clock.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "wire/load_shape.hpp"

namespace tickpath::wire {
namespace {

std::vector<double> times(LoadSpec spec, int n) {
  LoadSchedule s(spec);
  std::vector<double> t;
  for (int i = 0; i < n; ++i) t.push_back(s.next_ns());
  return t;
}

TEST(LoadShape, ConstantIsEvenlySpaced) {
  LoadSpec spec;
  spec.rate = 1'000'000;
  const auto t = times(spec, 1001);
  EXPECT_DOUBLE_EQ(t[1000] - t[0], 1000 * 1000.0);
  EXPECT_DOUBLE_EQ(t[501] - t[500], t[1] - t[0]);
}

TEST(LoadShape, BurstSendsGroupsAtTheSameInstant) {
  LoadSpec spec;
  spec.shape = Shape::burst;
  spec.burst_size = 8;
  spec.burst_interval_ns = 50'000;
  const auto t = times(spec, 24);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(t[i], t[0]);
  EXPECT_EQ(t[8] - t[7], 50'000.0);
  EXPECT_EQ(t[16] - t[8], 50'000.0);
}

TEST(LoadShape, RampGapsShrinkAsTheRateRises) {
  LoadSpec spec;
  spec.shape = Shape::ramp;
  spec.rate = 1'000;
  spec.ramp_to = 100'000;
  spec.ramp_ns = 1e9;
  LoadSchedule s(spec);
  double prev = s.next_ns(), first_gap = 0, last_gap = 0;
  for (int i = 0; i < 20'000; ++i) {
    const double t = s.next_ns();
    ASSERT_GE(t, prev);
    if (i == 0) first_gap = t - prev;
    last_gap = t - prev;
    prev = t;
  }
  EXPECT_GT(first_gap, 50 * last_gap) << "1k/s at the start, ~100k/s at the end";
}

TEST(LoadShape, PoissonMeanMatchesTheRateAndIsReproducible) {
  LoadSpec spec;
  spec.shape = Shape::poisson;
  spec.rate = 10'000;
  const auto a = times(spec, 100'001);
  const auto b = times(spec, 100'001);
  EXPECT_EQ(a, b) << "same seed, same schedule";
  const double mean_gap = (a.back() - a.front()) / 100'000;
  EXPECT_NEAR(mean_gap / 100'000.0, 1.0, 0.02);
  // Exponential gaps: the standard deviation is about the mean (constant would be 0).
  double var = 0;
  for (std::size_t i = 1; i < a.size(); ++i) var += std::pow(a[i] - a[i - 1] - mean_gap, 2);
  EXPECT_NEAR(std::sqrt(var / 100'000) / mean_gap, 1.0, 0.05);
}

TEST(LoadShape, ValidationNamesTheOption) {
  LoadSpec spec;
  spec.rate = 0;
  EXPECT_NE(validate(spec).find("--rate"), std::string::npos);
  spec = {};
  spec.shape = Shape::ramp;
  EXPECT_NE(validate(spec).find("--ramp-to"), std::string::npos);
  spec = {};
  spec.shape = Shape::burst;
  spec.burst_size = 0;
  EXPECT_NE(validate(spec).find("--burst-size"), std::string::npos);
  EXPECT_EQ(parse_shape("sawtooth"), std::nullopt);
  EXPECT_EQ(parse_shape("poisson"), Shape::poisson);
}

}  // namespace
}  // namespace tickpath::wire

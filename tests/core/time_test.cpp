// Raw timestamps and their calibration. Nothing here asserts on wall-clock durations: the
// calibration check compares two measurements within one run.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <thread>
#include <type_traits>

#include <gtest/gtest.h>

#include "core/time/calibration.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {
namespace {

TEST(Tsc, NonDecreasingOnOneThreadOverAMillionReads) {
  constexpr int kReads = 1'000'000;
  Ticks previous = tsc_now();
  int backwards = 0;
  for (int i = 0; i < kReads; ++i) {
    const Ticks now = tsc_now();
    if (now < previous) ++backwards;
    previous = now;
  }
  EXPECT_EQ(backwards, 0);
}

TEST(Tsc, FencedReadIsNonDecreasingAndOrderedWithThePlainRead) {
  Ticks previous = tsc_now_fenced();
  for (int i = 0; i < 100'000; ++i) {
    const Ticks plain = tsc_now();
    const Ticks fenced = tsc_now_fenced();
    ASSERT_LE(previous, fenced) << i;
    ASSERT_LE(plain, fenced) << i;
    previous = fenced;
  }
}

TEST(Tsc, AdvancesAcrossASleep) {
  const Ticks before = tsc_now();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_GT(tsc_now(), before);
}

TEST(Tsc, ClockIsTheTscOnX86) {
#if defined(__x86_64__)
  EXPECT_TRUE(kClockIsTsc);
#else
  EXPECT_FALSE(kClockIsTsc) << "the monotonic fallback off x86";
#endif
  static_assert(std::is_same_v<Ticks, std::uint64_t>);
}

TEST(Tsc, MonotonicNsIsNonDecreasing) {
  std::uint64_t previous = monotonic_ns();
  for (int i = 0; i < 10'000; ++i) {
    const std::uint64_t now = monotonic_ns();
    ASSERT_LE(previous, now);
    previous = now;
  }
  EXPECT_GT(previous, 0u);
}

TEST(TscCalibration, DefaultIsTheIdentity) {
  constexpr TscCalibration identity;
  static_assert(identity.hz() == 1e9);
  static_assert(identity.ns_per_tick() == 1.0);
  EXPECT_EQ(identity.to_ns(0), 0.0);
  EXPECT_EQ(identity.to_ns(12345), 12345.0);
  EXPECT_EQ(identity.to_ticks(12345.0), 12345u);
  EXPECT_EQ(identity.to_ticks(0.0), 0u);
  EXPECT_EQ(identity.to_ticks(-5.0), 0u) << "negative durations clamp to zero";
  EXPECT_EQ(identity.to_ticks(0.4), 0u);
  EXPECT_EQ(identity.to_ticks(0.6), 1u) << "rounds to the nearest tick";
}

TEST(TscCalibration, ExplicitRateConvertsBothWays) {
  constexpr TscCalibration c(3e9);  // 3 GHz: one tick is 1/3 ns
  EXPECT_DOUBLE_EQ(c.hz(), 3e9);
  EXPECT_DOUBLE_EQ(c.ns_per_tick(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(c.to_ns(3'000), 1'000.0);
  EXPECT_EQ(c.to_ticks(1'000.0), 3'000u);
  EXPECT_EQ(c.to_ticks(1e9), 3'000'000'000u);
  EXPECT_NEAR(c.to_ns(3'000'000'000u), 1e9, 1e-3);
}

TEST(TscCalibration, RoundTripWithinOneTick) {
  for (double hz : {1e9, 2.1e9, 2.994e9, 3.7e9, 1e8}) {
    const TscCalibration c(hz);
    for (Ticks t : {Ticks{0}, Ticks{1}, Ticks{7}, Ticks{1'000}, Ticks{123'456'789},
                    Ticks{3'000'000'000'000}}) {
      const Ticks back = c.to_ticks(c.to_ns(t));
      EXPECT_LE(back > t ? back - t : t - back, 1u) << "hz " << hz << " ticks " << t;
    }
    for (double ns : {1.0, 10.0, 1e3, 1e6, 1e9}) {
      EXPECT_NEAR(c.to_ns(c.to_ticks(ns)), ns, c.ns_per_tick()) << "hz " << hz << " ns " << ns;
    }
  }
}

TEST(TscCalibration, CalibratesAgainstMonotonicRawWithAnErrorBoundFromItsBrackets) {
  const CalibrationResult r = calibrate(std::chrono::milliseconds(50));
  if (!kClockIsTsc) return;
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_GT(r.end.raw_ns, r.start.raw_ns);
  EXPECT_GT(r.end.tsc, r.start.tsc);
  // The bound is the brackets' half-widths over the window, plus 1 ns per end: recompute it.
  const double ticks = static_cast<double>(r.end.tsc - r.start.tsc);
  const double ns = static_cast<double>(r.end.raw_ns - r.start.raw_ns);
  EXPECT_NEAR(r.error_ppm, ((static_cast<double>(r.start.width + r.end.width) / 2.0) / ticks + 2.0 / ns) * 1e6, 1e-9);
  EXPECT_LE(r.error_ppm, kMaxCalibrationErrorPpm);
  EXPECT_DOUBLE_EQ(r.calibration.hz(), ticks * 1e9 / ns);
}

TEST(TscCalibration, AClockPairsBracketLiesBetweenTscReadsTakenAroundIt) {
  if (!kClockIsTsc) return;
  const Ticks before = tsc_now_fenced();
  const ClockPair p = read_clock_pair(64);
  const Ticks after = tsc_now_fenced();
  EXPECT_GT(p.width, 0u) << "two fenced reads are never the same tick";
  EXPECT_LE(before, p.tsc - p.width / 2);
  EXPECT_LE(p.tsc + p.width / 2, after);
  const ClockPair later = read_clock_pair(64);
  EXPECT_GT(later.tsc, p.tsc);
  EXPECT_GE(later.raw_ns, p.raw_ns);
}

TEST(TscCalibration, DriftAgainstMonotonicRawIsMeasuredFromTheCalibrationsStartPair) {
  const CalibrationResult r = calibrate(std::chrono::milliseconds(20));
  if (!kClockIsTsc) return;
  ASSERT_TRUE(r.ok) << r.error;
  const ClockDrift d = measure_drift(r);
  EXPECT_GT(d.elapsed_ns, 20e6);
  EXPECT_DOUBLE_EQ(d.drift_ppm, d.drift_ns / d.elapsed_ns * 1e6);
  const ClockDrift none = measure_drift(CalibrationResult{});
  EXPECT_EQ(none.elapsed_ns, 0.0) << "no drift without a calibration to drift from";
}

TEST(InvariantTsc, NeedsBothConstantAndNonstopTscInAFlagsLine) {
  EXPECT_TRUE(cpuinfo_has_invariant_tsc("processor\t: 0\nflags\t\t: fpu tsc constant_tsc nonstop_tsc rdtscp\n"));
  EXPECT_TRUE(cpuinfo_has_invariant_tsc("flags\t\t: nonstop_tsc constant_tsc"));
  EXPECT_FALSE(cpuinfo_has_invariant_tsc("flags\t\t: fpu tsc constant_tsc rdtscp\n"));
  EXPECT_FALSE(cpuinfo_has_invariant_tsc("flags\t\t: fpu tsc nonstop_tsc_x constant_tsc\n")) << "whole words only";
  EXPECT_FALSE(cpuinfo_has_invariant_tsc("model name\t: constant_tsc nonstop_tsc\nflags\t: fpu\n")) << "flags lines only";
  EXPECT_FALSE(cpuinfo_has_invariant_tsc(""));
}

TEST(TscCalibration, MeasuredRateIsPlausibleAndRepeatable) {
  const TscCalibration a = TscCalibration::measure(std::chrono::milliseconds(50));
  const TscCalibration b = TscCalibration::measure(std::chrono::milliseconds(50));
  if (!kClockIsTsc) {
    EXPECT_EQ(a.hz(), 1e9) << "the fallback clock counts nanoseconds";
    return;
  }
  for (const TscCalibration& c : {a, b}) {
    EXPECT_GE(c.hz(), 1e8);
    EXPECT_LE(c.hz(), 1e11);
    EXPECT_NEAR(c.ns_per_tick() * c.hz(), 1e9, 1e-3);
  }
  const double ratio = a.hz() / b.hz();
  EXPECT_GT(ratio, 0.95);
  EXPECT_LT(ratio, 1.05);
}

TEST(TscCalibration, MeasuredRateConvertsAMeasuredIntervalConsistently) {
  const TscCalibration c = TscCalibration::measure(std::chrono::milliseconds(50));
  const Ticks t0 = tsc_now_fenced();
  const std::uint64_t n0 = monotonic_ns();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::uint64_t n1 = monotonic_ns();
  const Ticks t1 = tsc_now_fenced();
  // The TSC interval brackets the monotonic one, so converted it is never shorter (beyond the
  // calibration's error); the upper bound allows a generous 20 ms of preemption between reads.
  const double tsc_ns = c.to_ns(t1 - t0);
  const double mono_ns = static_cast<double>(n1 - n0);
  EXPECT_GE(tsc_ns, mono_ns * 0.95);
  EXPECT_LE(tsc_ns, mono_ns * 1.05 + 20e6);
}

}  // namespace
}  // namespace tickpath::core

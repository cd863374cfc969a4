// One writer records while a control-plane reader snapshots: every snapshot is self-consistent
// and cumulative snapshots only grow. Runs under ThreadSanitizer in the 'concurrency' suite.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "control/metrics/histogram.hpp"
#include "control/metrics/histogram_snapshot.hpp"

namespace tickpath::control {
namespace {

TEST(HistogramConcurrency, SnapshotsTakenDuringRecordingAreConsistentAndMonotonic) {
  constexpr std::uint64_t kRecords = 2'000'000;
  Histogram h;
  std::atomic<bool> done{false};

  std::thread writer([&] {
    for (std::uint64_t i = 0; i < kRecords; ++i) h.record(100 + (i * 7919) % 1'000'000);
    done.store(true, std::memory_order_release);  // pairs with the reader's acquire below
  });

  HistogramSnapshot previous(h.layout());
  int snapshots = 0;
  int taken_mid_run = 0;  // reported, not asserted: a loaded machine may deschedule the reader
  bool finished = false;
  while (!finished) {
    finished = done.load(std::memory_order_acquire);  // the last pass sees every record
    const HistogramSnapshot now = h.snapshot();
    ++snapshots;
    if (now.count() > 0 && now.count() < kRecords) ++taken_mid_run;
    ASSERT_GE(now.count(), previous.count());
    if (!now.empty()) {
      ASSERT_LE(now.min(), now.max());
      ASSERT_GE(now.min(), 100u);
      ASSERT_LE(now.max(), 100u + 999'999u);
      const std::uint64_t p99 = now.value_at_percentile(99.0);
      ASSERT_GE(p99, now.min());
      ASSERT_LE(p99, now.max());
    }
    HistogramSnapshot interval = now;
    interval.subtract(previous);
    ASSERT_EQ(interval.count(), now.count() - previous.count()) << "no bucket went backwards";
    previous = now;
  }
  writer.join();

  EXPECT_GT(snapshots, 1);
  RecordProperty("snapshots_taken_mid_run", taken_mid_run);
  EXPECT_EQ(previous.count(), kRecords);
  EXPECT_EQ(previous.min(), 100u);
  EXPECT_EQ(previous.max(), 100u + 999'999u);
}

}  // namespace
}  // namespace tickpath::control

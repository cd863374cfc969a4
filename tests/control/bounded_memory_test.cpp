// The control plane's memory does not grow with the run's length: it keeps the last interval
// only, and the run journal's timeline.csv and latency.hlog on disk are the record. It used to
// keep every timeline entry and every interval's hlog lines until the end (~9.7 KiB an interval:
// ~0.8 GiB for a day at 1 s). Measured by counting the heap this binary holds (global operator
// new below, hence an executable of its own): bytes, not time.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "control/metrics/metrics_sink.hpp"
#include "control/plane/control_plane.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "tests/support/heap_meter.hpp"

namespace tickpath::control {
namespace {

struct Sources {
  runtime::PipelineCounters counters;
  core::Lifecycle lifecycle;
  MetricsSink sink;
  Observables observed;
  FailureInjector failures{lifecycle};

  Sources() {
    observed.counters = &counters;
    observed.sink = &sink;
    observed.lifecycle = &lifecycle;
    observed.calibration = core::TscCalibration(1e9);
    observed.analytics_enabled = false;
    observed.nic = [] { return NicCounters{}; };
  }

  // One interval's traffic: events and acks with latencies that differ from interval to
  // interval, so every interval's hlog lines and timeline entry carry real, distinct figures.
  void interval(int i) {
    counters.ingest.frames.add(100);
    counters.ingest.events.add(100);
    counters.execution.consumed.add(100);
    counters.decisions.executed.add(100);
    for (int k = 0; k < 100; ++k) {
      const core::Ticks rx = 1'000'000ULL * static_cast<core::Ticks>(i) + 10'000ULL * static_cast<core::Ticks>(k);
      core::Event event{};
      event.rx_tsc = rx;
      event.publish_tsc = rx + 40;
      core::Ack ack{};
      ack.in_window = ack.executed = 1;
      ack.rx_tsc = rx;
      ack.publish_tsc = rx + 40;
      ack.poll_tsc = rx + 140 + static_cast<core::Ticks>(k * i % 997);
      ack.decision_tsc = ack.poll_tsc + 7;
      ack.complete_tsc = ack.decision_tsc + 23 + static_cast<core::Ticks>(i % 50);
      sink.observe(event, ack);
    }
  }
};

TEST(ControlPlaneMemory, TheHeapItHoldsDoesNotGrowWithTheNumberOfIntervals) {
  Sources f;
  ControlPlane plane(f.observed, f.failures, [] { return true; }, {});
  ASSERT_EQ(plane.start(), "");
  constexpr int kWarm = 20;
  constexpr int kMore = 500;
  int i = 0;
  std::size_t record_bytes = 0;  // what keeping every interval would have held
  const auto run = [&](int n) {
    for (int end = i + n; i < end; ++i) {
      f.interval(i);
      (void)plane.tick(1.0 + i);
      const ControlPlane::LastInterval last = plane.last_interval();
      ASSERT_NE(last.hlog_lines, nullptr);
      ASSERT_FALSE(last.hlog_lines->empty());
      record_bytes += last.hlog_lines->size() + last.timeline_entry->dump().size();
    }
  };
  run(kWarm);
  const std::size_t warm = test_support::heap_live();
  record_bytes = 0;
  run(kMore);
  const std::size_t after = test_support::heap_live();
  const ControlPlane::LastInterval last = plane.last_interval();
  EXPECT_EQ(last.intervals, static_cast<std::size_t>(kWarm + kMore));
  EXPECT_EQ((*last.timeline_entry)["events"], 100);

  // The last interval's entry and lines may differ in size from the ones held after warmup (a
  // latency figure one digit longer, a string's capacity): a few KiB, never per interval.
  constexpr std::size_t kSlack = 16 * 1024;
  const std::size_t growth = after > warm ? after - warm : 0;
  RecordProperty("heap_growth_bytes", std::to_string(growth));
  EXPECT_LT(growth, kSlack) << "heap grew " << growth << " B over " << kMore << " intervals (" << record_bytes
                            << " B of timeline entries and hlog lines went by)";
  EXPECT_GT(record_bytes, 20 * kSlack) << "the intervals must carry enough to catch a control plane that keeps them";
}

TEST(ControlPlaneMemory, TheSummaryCountsTheIntervalsAndNamesTheFileThatHoldsThem) {
  Sources f;
  ControlPlane plane(f.observed, f.failures, [] { return true; }, {});
  ASSERT_EQ(plane.start(), "");
  for (int i = 0; i < 3; ++i) {
    f.interval(i);
    (void)plane.tick(1.0 + i);
  }
  f.interval(3);
  plane.finish(3.5);  // the drained tail moved: one interval more
  const nlohmann::json s = plane.summary();
  EXPECT_FALSE(s.contains("timeline"));
  EXPECT_EQ(s["timeline_file"], "timeline.csv");
  EXPECT_EQ(s["intervals"], 4);
  EXPECT_EQ(plane.last_interval().intervals, 4u);
  EXPECT_EQ(s["invariants"]["checks"], 4);  // three ticks and the drained check
}

}  // namespace
}  // namespace tickpath::control

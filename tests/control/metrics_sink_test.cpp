// MetricsSink: each stage from a hand-built Event/Ack, cross-core skew clamped and counted.
#include <gtest/gtest.h>

#include <cstdint>

#include "control/metrics/metrics_sink.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"

namespace tickpath::control {
namespace {

struct Stamps {
  core::Ticks rx, publish, poll, decision, complete;
};

// The sink reads the event's rx stamp and the ack's copies; build both the way the executor does.
void observe(MetricsSink& sink, Stamps t) {
  core::Event event{};
  event.rx_tsc = t.rx;
  event.publish_tsc = t.publish;
  core::Ack ack{};
  ack.rx_tsc = t.rx;
  ack.publish_tsc = t.publish;
  ack.poll_tsc = t.poll;
  ack.decision_tsc = t.decision;
  ack.complete_tsc = t.complete;
  sink.observe(event, ack);
}

TEST(MetricsSink, RecordsEachStageAsTheDifferenceOfItsStamps) {
  MetricsSink sink;
  observe(sink, {.rx = 1'000, .publish = 1'040, .poll = 1'140, .decision = 1'147, .complete = 1'170});
  EXPECT_EQ(sink.ingest_to_ack().snapshot().max(), 170u);  // complete - rx
  EXPECT_EQ(sink.queue().snapshot().max(), 100u);          // poll - publish
  EXPECT_EQ(sink.decision().snapshot().max(), 7u);         // decision - poll
  EXPECT_EQ(sink.ack().snapshot().max(), 23u);             // complete - decision
  for (const Histogram* h : {&sink.ingest_to_ack(), &sink.queue(), &sink.decision(), &sink.ack()}) {
    EXPECT_EQ(h->snapshot().count(), 1u);
    EXPECT_EQ(h->snapshot().min(), h->snapshot().max());
  }
  EXPECT_EQ(sink.clock_skew().load(), 0u);
}

TEST(MetricsSink, AccumulatesOneValuePerStagePerEvent) {
  MetricsSink sink;
  for (core::Ticks i = 0; i < 1'000; ++i) {
    const core::Ticks rx = 1'000'000 * i;
    observe(sink, {rx, rx + 10, rx + 10 + i, rx + 10 + i + 5, rx + 10 + i + 5 + 20});
  }
  const HistogramSnapshot queue = sink.queue().snapshot();
  EXPECT_EQ(queue.count(), 1'000u);
  EXPECT_EQ(queue.min(), 0u);
  EXPECT_EQ(queue.max(), 999u);
  EXPECT_EQ(sink.decision().snapshot().min(), 5u);
  EXPECT_EQ(sink.decision().snapshot().max(), 5u);
  EXPECT_EQ(sink.ingest_to_ack().snapshot().max(), 10u + 999u + 5u + 20u);
}

TEST(MetricsSink, ClampsNegativeCrossCoreDifferencesToZeroAndCountsThem) {
  MetricsSink sink;
  // The execution core's TSC reads a little behind the ingest core's: poll "before" publish and
  // completion "before" rx. Without the clamp these would wrap to ~2^64.
  observe(sink, {.rx = 5'000, .publish = 5'030, .poll = 5'020, .decision = 5'021, .complete = 4'990});
  EXPECT_EQ(sink.clock_skew().load(), 3u);  // queue, ingest_to_ack and ack (complete < decision)
  EXPECT_EQ(sink.queue().snapshot().max(), 0u);
  EXPECT_EQ(sink.ingest_to_ack().snapshot().max(), 0u);
  EXPECT_EQ(sink.ack().snapshot().max(), 0u);
  EXPECT_EQ(sink.decision().snapshot().max(), 1u);
  for (const Histogram* h : {&sink.ingest_to_ack(), &sink.queue(), &sink.decision(), &sink.ack()}) {
    EXPECT_EQ(h->saturated(), 0u);
    EXPECT_EQ(h->snapshot().count(), 1u);
  }
}

TEST(MetricsSink, WireToAckOnlyForEventsCarryingASendStamp) {
  MetricsSink sink;
  core::Event event{};
  core::Ack ack{};
  event.rx_tsc = ack.rx_tsc = 2'000;
  ack.complete_tsc = 2'300;
  sink.observe(event, ack);  // send_tsc 0: no wire sample
  event.send_tsc = 1'500;
  sink.observe(event, ack);
  EXPECT_EQ(sink.wire_to_ack().snapshot().count(), 1u);
  EXPECT_EQ(sink.wire_to_ack().snapshot().max(), 800u);  // complete - send
  EXPECT_EQ(sink.ingest_to_ack().snapshot().count(), 2u);
  EXPECT_EQ(sink.nic_to_ingest().snapshot().count(), 0u) << "no NIC clock map: nothing recorded";
}

TEST(MetricsSink, NicToIngestMapsTheNicClockOntoTheTsc) {
  NicClockMap map;
  map.valid = true;
  map.nic_base = 1'000;   // NIC ns
  map.tsc_base = 10'000;  // TSC at the same instant
  map.ticks_per_unit = 2.0;
  MetricsSink sink({}, map);
  core::Event event{};
  core::Ack ack{};
  event.nic_rx_ts = 1'100;               // 100 ns after the base -> TSC 10'200
  event.rx_tsc = ack.rx_tsc = 10'260;
  ack.complete_tsc = 10'300;
  sink.observe(event, ack);
  EXPECT_EQ(sink.nic_to_ingest().snapshot().count(), 1u);
  EXPECT_EQ(sink.nic_to_ingest().snapshot().max(), 60u);
}

TEST(MetricsSink, StagesListEveryHistogramOnceInReportOrder) {
  MetricsSink sink;
  const auto stages = sink.stages();
  EXPECT_STREQ(stages[0].name, "ingest_to_ack");
  EXPECT_STREQ(stages[1].name, "wire_to_ack");
  EXPECT_EQ(stages[0].histogram, &sink.ingest_to_ack());
  EXPECT_EQ(stages[1].histogram, &sink.wire_to_ack());
  for (std::size_t i = 0; i < stages.size(); ++i) {
    for (std::size_t j = i + 1; j < stages.size(); ++j) EXPECT_NE(stages[i].histogram, stages[j].histogram);
  }
}

TEST(CountingSink, CountsEveryObservation) {
  CountingSink sink;
  const core::Event event{};
  const core::Ack ack{};
  for (int i = 0; i < 42; ++i) sink.observe(event, ack);
  EXPECT_EQ(sink.observed(), 42u);
}

}  // namespace
}  // namespace tickpath::control

// MetricsSink: each stage from a hand-built Event/Ack, cross-core skew clamped and counted.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>

#include "control/metrics/metrics_sink.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "core/ingest/test_message.hpp"

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
  ack.in_window = ack.executed = 1;  // inside the measured window, READY
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
  EXPECT_EQ(sink.clock_skew(), 0u);
}

// The sink's precision is compile-time (kSubBucketBits); a config asking for another one is
// refused at start-up, never recorded with a layout the index does not match.
TEST(MetricsSink, RefusesAHistogramConfigWithAnotherPrecisionThanItsCompileTimeOne) {
  EXPECT_THROW(MetricsSink(HistogramConfig{.sub_bucket_bits = MetricsSink::kSubBucketBits + 1}),
               std::invalid_argument);
  EXPECT_THROW(MetricsSink(HistogramConfig{.sub_bucket_bits = MetricsSink::kSubBucketBits - 1}),
               std::invalid_argument);
  const MetricsSink sink(HistogramConfig{.sub_bucket_bits = MetricsSink::kSubBucketBits, .max_value = 1'000});
  EXPECT_EQ(sink.queue().layout().sub_bucket_bits(), MetricsSink::kSubBucketBits);
  EXPECT_EQ(sink.queue().layout().max_value(), 1'000u);
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
  EXPECT_EQ(sink.clock_skew(), 3u);  // queue, ingest_to_ack and ack (complete < decision)
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
  ack.in_window = ack.executed = 1;  // inside the measured window, READY
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
  ack.in_window = ack.executed = 1;  // inside the measured window, READY
  event.nic_rx_ts = 1'100;               // 100 ns after the base -> TSC 10'200
  event.rx_tsc = ack.rx_tsc = 10'260;
  ack.complete_tsc = 10'300;
  sink.observe(event, ack);
  EXPECT_EQ(sink.nic_to_ingest().snapshot().count(), 1u);
  EXPECT_EQ(sink.nic_to_ingest().snapshot().max(), 60u);
}

TEST(NicClockMap, EpochNanosecondClocksMapToTheExactTickNotToADoublesRounding) {
  NicClockMap map;
  map.valid = true;
  map.nic_base = 1'764'000'000'123'456'789;  // an epoch-ns NIC clock: beyond a double's 2^53
  map.tsc_base = 5'000'000'000;
  map.ticks_per_unit = 3.0;
  EXPECT_EQ(map.to_tsc(map.nic_base + 1), 5'000'000'003u) << "1 ns later is 3 ticks later, exactly";
  EXPECT_EQ(map.to_tsc(map.nic_base + 77), 5'000'000'231u);
  EXPECT_EQ(map.to_tsc(map.nic_base - 10), 4'999'999'970u) << "before the base too";
  EXPECT_EQ(map.to_tsc(1), 0u) << "mapped before TSC 0: 0, not a wrap";
}

// An event carrying the test header: send_ns big-endian in the payload (as gen writes it).
core::Event stamped_event(std::uint64_t send_ns, core::Ticks send_tsc) {
  core::Event event{};
  event.send_tsc = send_tsc;
  for (std::size_t i = 0; i < 8; ++i) event.payload[i] = static_cast<std::byte>(send_ns >> (56 - 8 * i));
  return event;
}

WallClockMap crafted_wall_clock() {
  WallClockMap map;
  map.valid = true;
  map.realtime_base_ns = 1'700'000'000'000'000'000ull;  // epoch ns: too big for a double's 53 bits
  map.tsc_base = 50'000;
  map.ticks_per_ns = 3.0;
  return map;
}

TEST(MetricsSink, WallToAckMapsTheSendersRealtimeOntoTheTsc) {
  MetricsSink sink({}, {}, crafted_wall_clock());
  // Sent 1 ns after the base (TSC 50'003); acked at TSC 50'303: 300 ticks. The 1 ns would vanish
  // if the epoch value went through a double before the subtraction.
  core::Event event = stamped_event(1'700'000'000'000'000'001ull, 7);
  core::Ack ack{};
  ack.in_window = ack.executed = 1;  // inside the measured window, READY
  event.rx_tsc = ack.rx_tsc = 50'200;
  ack.complete_tsc = 50'303;
  sink.observe(event, ack);
  EXPECT_EQ(core::test_message::send_ns(event.payload), 1'700'000'000'000'000'001ull);
  EXPECT_EQ(sink.wall_to_ack().snapshot().count(), 1u);
  EXPECT_EQ(sink.wall_to_ack().snapshot().max(), 300u);
  EXPECT_EQ(sink.wall_clock_negative().load(), 0u);
  // A send before the base (earlier in the run than the map) is still a positive latency.
  event = stamped_event(1'700'000'000'000'000'000ull - 10, 7);  // TSC 49'970
  sink.observe(event, ack);
  EXPECT_EQ(sink.wall_to_ack().snapshot().max(), 333u);
  EXPECT_EQ(sink.wall_to_ack().snapshot().count(), 2u);
}

TEST(MetricsSink, WallToAckNegativeIsCountedNotRecorded) {
  MetricsSink sink({}, {}, crafted_wall_clock());
  core::Event event = stamped_event(1'700'000'000'000'000'200ull, 7);  // TSC 50'600: after the ack
  core::Ack ack{};
  ack.in_window = ack.executed = 1;  // inside the measured window, READY
  event.rx_tsc = ack.rx_tsc = 50'200;
  ack.complete_tsc = 50'303;
  sink.observe(event, ack);
  sink.observe(event, ack);
  EXPECT_EQ(sink.wall_clock_negative().load(), 2u);
  EXPECT_EQ(sink.wall_to_ack().snapshot().count(), 0u) << "neither a 0 nor a wrapped ~2^64 value";
  EXPECT_EQ(sink.clock_skew(), 0u) << "cross-host skew is not cross-core skew";
}

TEST(MetricsSink, WallToAckNeedsAValidMapTheHeaderAndASendTime) {
  core::Ack ack{};
  ack.in_window = ack.executed = 1;  // inside the measured window, READY
  ack.complete_tsc = 50'303;
  MetricsSink off;  // ingest.wall_clock_latency = false: the map stays invalid
  off.observe(stamped_event(1'700'000'000'000'000'001ull, 7), ack);
  EXPECT_EQ(off.wall_to_ack().snapshot().count(), 0u);
  EXPECT_EQ(off.wall_clock_negative().load(), 0u);
  EXPECT_EQ(off.wire_to_ack().snapshot().count(), 1u) << "the same event does give wire_to_ack";

  MetricsSink on({}, {}, crafted_wall_clock());
  on.observe(stamped_event(1'700'000'000'000'000'001ull, 0), ack);  // no header: payload is market data
  on.observe(stamped_event(0, 7), ack);                             // header, send time not stamped
  EXPECT_EQ(on.wall_to_ack().snapshot().count(), 0u);
  EXPECT_EQ(on.wall_clock_negative().load(), 0u);
  on.observe(stamped_event(1'700'000'000'000'000'001ull, 7), ack);
  EXPECT_EQ(on.wall_to_ack().snapshot().count(), 1u) << "the control case is recorded";
}

TEST(MetricsSink, StagesListEveryHistogramOnceInReportOrder) {
  MetricsSink sink;
  const auto stages = sink.stages();
  EXPECT_STREQ(stages[0].name, "ingest_to_ack");
  EXPECT_STREQ(stages[1].name, "wire_to_ack");
  EXPECT_EQ(stages[0].histogram, &sink.ingest_to_ack());
  EXPECT_EQ(stages[1].histogram, &sink.wire_to_ack());
  EXPECT_STREQ(stages[2].name, "wall_to_ack");
  EXPECT_EQ(stages[2].histogram, &sink.wall_to_ack());
  for (std::size_t i = 0; i < stages.size(); ++i) {
    for (std::size_t j = i + 1; j < stages.size(); ++j) EXPECT_NE(stages[i].histogram, stages[j].histogram);
  }
}

TEST(MetricsSink, WarmupAcksStayOutOfEveryStageAndGetTheirOwnHistogram) {
  MetricsSink sink;
  core::Event event{};
  core::Ack ack{};
  ack.state = core::LifecycleState::warmup;
  for (core::Ticks i = 0; i < 10; ++i) {  // warmup: slow, 9 000 ticks each
    event.rx_tsc = ack.rx_tsc = ack.publish_tsc = ack.poll_tsc = ack.decision_tsc = 100'000 * i;
    ack.complete_tsc = ack.rx_tsc + 9'000;
    sink.observe(event, ack);
  }
  ack.in_window = 1;
  for (core::Ticks i = 10; i < 15; ++i) {  // the window: READY, then DEGRADED (still in, marked)
    ack.executed = i < 13 ? 1 : 0;
    event.rx_tsc = ack.rx_tsc = ack.publish_tsc = ack.poll_tsc = ack.decision_tsc = 100'000 * i;
    ack.complete_tsc = ack.rx_tsc + 300;
    sink.observe(event, ack);
  }
  EXPECT_EQ(sink.warmup().snapshot().count(), 10u);
  EXPECT_EQ(sink.warmup().snapshot().max(), 9'000u);
  for (const auto& stage : sink.stages()) {
    if (stage.histogram == &sink.wire_to_ack() || stage.histogram == &sink.wall_to_ack() ||
        stage.histogram == &sink.nic_to_ingest()) {
      continue;
    }
    EXPECT_EQ(stage.histogram->snapshot().count(), 5u) << stage.name;
    EXPECT_LT(stage.histogram->snapshot().max(), 9'000u) << stage.name << ": no warmup value";
  }
  EXPECT_EQ(sink.degraded().load(), 2u);
}

TEST(MetricsSink, CountsNegativeDifferencesPerStage) {
  MetricsSink sink;
  observe(sink, {.rx = 5'000, .publish = 5'030, .poll = 5'020, .decision = 5'021, .complete = 4'990});
  EXPECT_EQ(sink.negative(MetricsSink::kQueue).load(), 1u);
  EXPECT_EQ(sink.negative(MetricsSink::kIngestToAck).load(), 1u);
  EXPECT_EQ(sink.negative(MetricsSink::kAck).load(), 1u);
  EXPECT_EQ(sink.negative(MetricsSink::kDecision).load(), 0u);
  EXPECT_EQ(sink.negative(MetricsSink::kWireToAck).load(), 0u);
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

// summary.json as a pure function of the run's observables and facts: the measured window, the
// counts, the stop reason and the build are each read from one source; the provisional summary
// of the run journal lays the last interval's snapshot over it.
#include <csignal>
#include <string>

#include <gtest/gtest.h>

#include "control/metrics/metrics_sink.hpp"
#include "control/plane/summary_document.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "report/run_summary.hpp"
#include "recorded_snapshot.hpp"

namespace tickpath::control {
namespace {

struct FakeRun {
  runtime::PipelineCounters counters;
  core::Lifecycle lifecycle;
  Observables observed;
  FailureInjector failures{lifecycle};
  RunFacts facts;

  FakeRun() {
    observed.counters = &counters;
    observed.lifecycle = &lifecycle;
    observed.calibration = core::TscCalibration(1e9);  // ticks read as nanoseconds
    observed.analytics_enabled = false;
    observed.nic = [] { return NicCounters{500, 7, 1, 2}; };
    facts.config = {{"run", {{"rate_pps", 0.0}}}};
    facts.platform = {{"tsc_hz", 1e9}};
    facts.duration_s = 3.0;
    facts.stop_reason = "duration";
  }
};

TEST(SummaryDocument, StampsTheBuildAndCarriesTheFactsAsGiven) {
  FakeRun r;
  const nlohmann::json s = build_summary(r.observed, r.facts, {"1.2.3", "abc123"});
  EXPECT_EQ(s["version"], "1.2.3");
  EXPECT_EQ(s["commit"], "abc123");
  EXPECT_EQ(s["wall_s"], 3.0);
  EXPECT_EQ(s["platform"], r.facts.platform);
  EXPECT_EQ(s["shutdown"], (nlohmann::json{{"reason", "duration"}, {"signal", ""}, {"drained", true}}));
  EXPECT_TRUE(s["latency"].is_null());  // null sink: nothing recorded, not zeros
  EXPECT_TRUE(s["lines"].is_null());       // one line
  EXPECT_FALSE(s["latency_origin"]["paced"]);
}

TEST(SummaryDocument, TheSignalThatStoppedTheRunIsNamed) {
  FakeRun r;
  r.facts.stop_reason = "signal";
  r.facts.signal = SIGTERM;
  EXPECT_EQ(build_summary(r.observed, r.facts, {})["shutdown"]["signal"], "SIGTERM");
  r.facts.signal = SIGHUP;
  EXPECT_EQ(build_summary(r.observed, r.facts, {})["shutdown"]["signal"], "signal 1");
}

TEST(SummaryDocument, ThroughputAndLossCoverTheWindowFromTheFirstReadyDecisionOnly) {
  FakeRun r;
  r.counters.ingest.events.add(1500);
  r.counters.decisions.window_open.add(1);
  r.counters.decisions.window_first_seq.add(500);    // 500 events published during warmup
  r.counters.decisions.window_start_tsc.add(1'000'000'000);
  r.counters.decisions.last_tsc.add(3'000'000'000);  // a 2 s window
  r.counters.decisions.window_acked.add(900);
  r.counters.decisions.executed.add(1200);           // 300 acks before the window
  const nlohmann::json s = build_summary(r.observed, r.facts, {});
  EXPECT_EQ(s["duration_s"], 2.0);
  EXPECT_EQ(s["window"]["published"], 1000u);
  EXPECT_EQ(s["window"]["acked"], 900u);
  EXPECT_EQ(s["window"]["lost"], 100u);
  EXPECT_EQ(s["window"]["coverage"], 0.9);
  EXPECT_EQ(s["window"]["start_s"], 1.0);
  EXPECT_EQ(s["throughput"]["published_per_s"], 500.0);
  EXPECT_EQ(s["throughput"]["acked_per_s"], 450.0);
  EXPECT_EQ(s["warmup"]["count"], 300u);
}

TEST(SummaryDocument, EveryDropReasonIsListedAndTheNicCountersComeFromThePort) {
  FakeRun r;
  r.counters.ingest.drops[static_cast<std::size_t>(core::DropReason::truncated_udp)].add(5);
  const nlohmann::json s = build_summary(r.observed, r.facts, {});
  EXPECT_EQ(s["events"]["drops"].size(), core::kDropReasonCount - 1);
  EXPECT_EQ(s["events"]["drops"]["truncated_udp"], 5u);
  EXPECT_EQ(s["events"]["malformed"], 5u);
  EXPECT_EQ(s["events"]["nic_missed"], 7u);
  EXPECT_EQ(s["events"]["nic_rx_nombuf"], 2u);
  ASSERT_EQ(s["consumers"].size(), 1u);  // analytics off
  EXPECT_EQ(s["consumers"][0]["name"], "execution");
}

TEST(SummaryDocument, EveryLatencyFigureNamesItsUnitAndTheDocumentReadsBackThroughRunSummary) {
  FakeRun r;
  MetricsSink sink;
  r.observed.sink = &sink;
  core::Event event{};
  core::Ack ack{};
  ack.rx_tsc = event.rx_tsc = 1000;  // 170 ticks (ns) from rx to the ack's completion
  ack.publish_tsc = event.publish_tsc = 1040;
  ack.poll_tsc = ack.decision_tsc = 1140;
  ack.complete_tsc = 1170;
  sink.observe(event, ack);  // before the window: warmup
  ack.in_window = 1;
  sink.observe(event, ack);
  const nlohmann::json s = build_summary(r.observed, r.facts, {});
  const nlohmann::json& stage = s["latency"]["ingest_to_ack"];
  EXPECT_EQ(stage["count"], 1u);
  EXPECT_NEAR(stage["p50_ns"].get<double>(), 170.0, 170.0 / 64);  // ticks read as ns; HdrHistogram's resolution
  for (const auto& [key, value] : stage.items()) {
    if (key == "count" || key == "negative" || key == "saturated") continue;  // counts of samples
    EXPECT_TRUE(key.ends_with("_ns")) << key;
  }
  EXPECT_NEAR(s["warmup"]["p50_ns"].get<double>(), 170.0, 170.0 / 64);
  EXPECT_FALSE(s["warmup"].contains("p50"));
  const auto parsed = report::parse_run_summary(s);
  ASSERT_TRUE(std::holds_alternative<report::RunSummary>(parsed)) << std::get<std::string>(parsed);
  EXPECT_EQ(report::to_json(std::get<report::RunSummary>(parsed)), s);
}

TEST(SummaryDocument, AProvisionalSummaryTakesTheLastIntervalsCountsAndSaysItIsUnfinished) {
  FakeRun r;
  ControlPlane plane(r.observed, r.failures, [] { return true; }, {});
  ASSERT_EQ(plane.start(), "");
  const nlohmann::json base = build_summary(r.observed, r.facts, {});
  EXPECT_EQ(provisional_summary(base, plane), base);  // no interval yet: nothing to lay over it
  r.counters.ingest.events.add(42);
  r.counters.execution.consumed.add(40);
  (void)plane.tick(2.0);
  r.counters.ingest.events.add(1000);  // after the tick: not in the provisional summary
  const nlohmann::json p = provisional_summary(build_summary(r.observed, r.facts, {}), plane);
  EXPECT_EQ(p["events"]["published"], 42u);
  EXPECT_EQ(p["consumers"][0]["consumed"], 40u);
  EXPECT_EQ(p["duration_s"], 2.0);
  EXPECT_EQ(p["throughput"]["events_per_s"], 21.0);
  EXPECT_EQ(p["shutdown"]["reason"], "unfinished");
  EXPECT_EQ(p["provisional"]["intervals"], 1u);
  EXPECT_EQ(p["report"]["complete"], false);
}


// The fifth view of the one recorded tick the other view tests start from (/state, telemetry,
// Prometheus, the live line): the summary's counts, consumers, latency, duration and throughput
// come from that tick, and from nothing read later.
TEST(SummaryDocument, TheSummaryOfTheRecordedTickCarriesThatTicksCountsAndNothingReadLater) {
  FakeRun r;
  const ControlSnapshot tick = testing::recorded_snapshot();
  const nlohmann::json base = build_summary(r.observed, r.facts, {});
  r.counters.ingest.events.add(7);  // live counters after the tick: not in the summary
  const nlohmann::json p = summary_of_snapshot(base, tick);
  EXPECT_EQ(p["events"]["frames"], tick.frames);
  EXPECT_EQ(p["events"]["published"], tick.published);
  EXPECT_EQ(p["events"]["malformed"], tick.malformed);
  EXPECT_EQ(p["events"]["executed"], tick.executed);
  EXPECT_EQ(p["events"]["feed"]["untracked_frames"], tick.untracked_frames);
  for (const auto& [reason, n] : tick.drops) EXPECT_EQ(p["events"]["drops"][reason], n) << reason;
  EXPECT_EQ(p["consumers"][0]["name"], "execution");
  EXPECT_EQ(p["consumers"][0]["consumed"], tick.consumers[0].consumed);
  EXPECT_EQ(p["duration_s"], tick.uptime_s);
  EXPECT_EQ(p["throughput"]["events_per_s"], static_cast<double>(tick.published) / tick.uptime_s);
  EXPECT_EQ(p["shutdown"], base["shutdown"]);  // only the tick's figures change
}

}  // namespace
}  // namespace tickpath::control

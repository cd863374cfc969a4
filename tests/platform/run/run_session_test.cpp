// One run after start-up against a fake pipeline (no DPDK, no threads): the session stops for the
// reason that came first, leaves the run folder a report reads (summary.json, timeline.csv,
// latency.hlog, report.html), records what only the wiring knows (idle loops, the schedule, the
// port's link and clocks) and turns files it could not write into report errors, not a failure.
// Also the config's settings for the parts that do not read config::Config.
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/run/run_session.hpp"
#include "platform/run/run_settings.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

// A pipeline that is "done" as soon as it starts (or never, for a run that ends on its duration).
class FakePipeline final : public control::RunningPipeline {
 public:
  explicit FakePipeline(bool done_at_start) : done_at_start_(done_at_start) {}

  void observe(control::Observables& observed) const override {
    observed.counters = &counters_;
    observed.lifecycle = &lifecycle_;
  }
  void start_ack_log(control::Observables&) override { ++ack_log_starts; }
  control::FailureInjector& failures() override { return failures_; }
  const core::Lifecycle& lifecycle() const override { return lifecycle_; }
  const runtime::PipelineCounters& counters() const override { return counters_; }
  void start(const runtime::ThreadPlacement& where, const runtime::PinFunction&, const std::atomic<bool>& stop) override {
    started_on = where;
    stop_ = &stop;
    counters_.ingest.frames.add(10);
    counters_.ingest.events.add(10);
    counters_.execution.consumed.add(10);
  }
  bool ingest_done() const noexcept override { return done_at_start_; }
  void join() override { stopped_before_join = stop_ != nullptr && stop_->load(); }
  std::vector<std::string> pin_errors() const override { return {"tp-ingest: cpu 99: no such cpu"}; }
  std::string_view hot_idle_name() const override { return "pause"; }
  std::string_view analytics_idle_name() const override { return "backoff"; }
  const std::vector<control::ScheduleEdge>& schedule_edges() const override { return edges_; }
  std::vector<std::string> finish_ack_log(nlohmann::json& summary) override {
    summary["ack_log"] = nullptr;
    return {};
  }

  int ack_log_starts = 0;
  runtime::ThreadPlacement started_on{-1, -1, -1};
  bool stopped_before_join = false;

 private:
  bool done_at_start_;
  runtime::PipelineCounters counters_;
  core::Lifecycle lifecycle_;
  control::FailureInjector failures_{lifecycle_};
  std::vector<control::ScheduleEdge> edges_;
  const std::atomic<bool>* stop_ = nullptr;
};

config::Config test_config() {
  config::Config c = std::get<config::Config>(config::load_config("", {}));
  c.http.listen = "";  // no transport here: the session's own work only
  c.analytics.enabled = false;
  c.run.stats_interval_ms = 10;
  return c;
}

class RunSessionTest : public test_support::TempDirTest {
 protected:
  // Runs `pipeline` through a session into `dir` with the facts the wiring would have given it.
  SessionEnd run(FakePipeline& pipeline, const config::Config& c, std::string dir) {
    RunSession s;
    s.config = &c;
    s.report_dir = std::move(dir);
    s.where = {1, 2, 0};
    s.observed.calibration = core::TscCalibration(1e9);
    s.observed.analytics_enabled = false;
    s.observed.nic = [] { return control::NicCounters{10, 0, 0, 0}; };
    s.link_up = [] { return true; };
    s.clock_proof.calibration = core::TscCalibration(1e9);
    s.nic_clock_drift = [] { return nlohmann::json{{"measured", "by the fake port"}}; };
    s.build = {"9.9.9", "abc123"};
    // What the wiring knows before the run (run_command.cpp's start facts), as the final table reads them.
    s.facts.config = config::to_json(c);
    s.facts.platform = {{"hugepages", false}, {"ring_pages", "4k"}, {"tsc_hz", 1e9}, {"numa_node", 0},
                        {"clock", nlohmann::json::object()}};
    return run_session(s, pipeline);
  }
  static nlohmann::json summary_in(const fs::path& dir) {
    return nlohmann::json::parse(test_support::read_file(dir / "summary.json"));
  }
};

TEST_F(RunSessionTest, AnIngestThatFinishesStopsTheRunForEventsAndLeavesACompleteFolder) {
  config::Config c = test_config();
  c.run.events = 10;
  FakePipeline pipeline(/*done_at_start=*/true);
  const SessionEnd end = run(pipeline, c, dir_.string());
  EXPECT_TRUE(end.error.empty()) << end.error;
  EXPECT_TRUE(end.report_errors.empty()) << end.report_errors.front();
  EXPECT_EQ(pipeline.ack_log_starts, 1);
  EXPECT_EQ(pipeline.started_on.housekeeping_cpu, 0);
  EXPECT_TRUE(pipeline.stopped_before_join);
  for (const char* file : {"summary.json", "timeline.csv", "latency.hlog", "report.html"}) {
    EXPECT_TRUE(fs::is_regular_file(dir_ / file)) << file;
  }
  const nlohmann::json summary = summary_in(dir_);
  EXPECT_EQ(summary["shutdown"]["reason"], "events");
  EXPECT_EQ(summary["version"], "9.9.9");
  EXPECT_EQ(summary["commit"], "abc123");
  EXPECT_EQ(summary["platform"]["idle"]["ingest"], "pause");
  EXPECT_TRUE(summary["platform"]["idle"]["analytics"].is_null());  // analytics off: no loop ran
  EXPECT_EQ(summary["platform"]["pin_errors"][0], "tp-ingest: cpu 99: no such cpu");
  EXPECT_EQ(summary["platform"]["clock"]["nic"]["measured"], "by the fake port");
  EXPECT_FALSE(summary["platform"]["readiness"]["ready"]);  // the fake never left INIT
  EXPECT_EQ(summary["report"]["dir"], dir_.string());
  EXPECT_TRUE(summary["report"]["errors"].empty());
}

TEST_F(RunSessionTest, AnIngestThatNeverFinishesStopsAtTheDurationAfterRecordingIntervals) {
  config::Config c = test_config();
  c.run.duration_s = 0.05;
  FakePipeline pipeline(/*done_at_start=*/false);
  const SessionEnd end = run(pipeline, c, dir_.string());
  ASSERT_TRUE(end.error.empty() && end.report_errors.empty());
  const nlohmann::json summary = summary_in(dir_);
  EXPECT_EQ(summary["shutdown"]["reason"], "duration");
  EXPECT_GE(summary["control"]["intervals"].get<std::size_t>(), 1u);
}

TEST_F(RunSessionTest, AFolderThatCannotBeWrittenIsAReportErrorNotAFailedRun) {
  config::Config c = test_config();
  c.run.events = 10;
  FakePipeline pipeline(/*done_at_start=*/true);
  const SessionEnd end = run(pipeline, c, (dir_ / "missing" / "run").string());
  EXPECT_TRUE(end.error.empty());
  ASSERT_FALSE(end.report_errors.empty());
  bool names_summary = false;
  for (const std::string& e : end.report_errors) names_summary |= e.find("summary.json") != std::string::npos;
  EXPECT_TRUE(names_summary);
}

TEST(RunSettings, HealthThresholdsAreInTheProbesUnitsAndAZeroLagLimitIsTheRingsCapacity) {
  config::Config c = test_config();
  c.http.listen = "127.0.0.1:0";
  c.automation.enabled = false;
  c.health.stale_after_ms = 1500;
  c.health.max_lag_events = 0;
  c.ring.capacity = 4096;
  c.health.max_line_skew_us = 2.5;
  const control::ControlPlaneSettings s = control_settings(c);
  EXPECT_EQ(s.http_listen, "127.0.0.1:0");
  EXPECT_FALSE(s.automation);
  EXPECT_DOUBLE_EQ(s.thresholds.stale_after_s, 1.5);
  EXPECT_EQ(s.thresholds.max_lag_events, 4096u);
  EXPECT_DOUBLE_EQ(s.thresholds.max_line_skew_ns, 2500.0);
  c.health.max_lag_events = 100;
  EXPECT_EQ(control_settings(c).thresholds.max_lag_events, 100u);
}

TEST(RunSettings, EachScheduledWindowKeepsItsScenarioAndItsEventRange) {
  config::Config c = test_config();
  c.failure.schedule.push_back({"market_data_outage", 100, 50});
  c.failure.schedule.push_back({"execution_failure", 400, 1});
  const std::vector<control::ScheduleWindow> w = schedule_windows(c);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].scenario, control::Scenario::market_data_outage);
  EXPECT_EQ(w[0].at_event, 100u);
  EXPECT_EQ(w[0].for_events, 50u);
  EXPECT_EQ(w[1].scenario, control::Scenario::execution_failure);
  EXPECT_EQ(w[1].at_event, 400u);
}

}  // namespace
}  // namespace tickpath::platform

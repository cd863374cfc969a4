// The typed pipeline, built for a synthetic source (no DPDK) and driven by the run session like a
// real run: it runs to its event limit with every event published and consumed once, the sink
// it was compiled for decides whether the control plane sees latency, and summary.json records
// the idle loops the pipeline was compiled with.
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/ingest/decoder.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "platform/run/run_session.hpp"
#include "platform/run/typed_pipeline.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

class TypedPipelineTest : public test_support::TempDirTest {
 protected:
  TypedPipelineTest() : slots_(1024), ring_(slots_) {
    frame_bytes_.assign(64, std::byte{0x5A});
    views_.assign(8, core::FrameView{frame_bytes_.data(), 64, 0});
    config_ = std::get<config::Config>(config::load_config("", {}));
    config_.http.listen = "";
    config_.analytics.enabled = false;
    config_.warmup.steps = 100;
    config_.run.events = 5000;
    config_.preflight.jitter_s = 0;
  }

  // Runs `pipeline` (built on this fixture's ring and source) through the session; the summary.
  template <class Typed>
  nlohmann::json run(Typed& pipeline) {
    core::SyntheticSource source(views_);
    EXPECT_EQ(pipeline.build(ring_, source, decoder_, AckLogPlacement{dir_.string(), 0, 1e9, 0}), "");
    RunSession s;
    s.config = &config_;
    s.report_dir = dir_.string();
    s.where = {0, 0, 0};
    s.pin = [](int, const char*, runtime::ThreadRole) { return std::string(); };
    s.observed.calibration = core::TscCalibration(1e9);
    s.observed.analytics_enabled = false;
    s.observed.nic = [] { return control::NicCounters{}; };  // the aggregator reads the port every tick
    s.link_up = [] { return true; };
    s.clock_proof.calibration = core::TscCalibration(1e9);
    s.facts.config = config::to_json(config_);
    s.facts.platform = {{"hugepages", false}, {"clock", nlohmann::json::object()}};
    const SessionEnd end = run_session(s, pipeline);
    EXPECT_TRUE(end.error.empty() && end.report_errors.empty());
    return nlohmann::json::parse(test_support::read_file(dir_ / "summary.json"));
  }

  std::vector<core::BroadcastRing<core::Event>::Slot> slots_;
  core::BroadcastRing<core::Event> ring_;
  std::vector<std::byte> frame_bytes_;
  std::vector<core::FrameView> views_;
  core::RawDecoder decoder_;
  config::Config config_;
};

TEST_F(TypedPipelineTest, ARunReachesItsEventLimitWithEveryEventConsumedOnce) {
  TypedPipeline<core::SyntheticSource, core::RawDecoder, runtime::PauseIdle, core::NullSink> pipeline(config_, {}, {});
  const nlohmann::json summary = run(pipeline);
  EXPECT_EQ(summary["shutdown"]["reason"], "events");
  // The limit is checked between bursts: it overshoots by less than one (runtime/loops.hpp).
  const std::uint64_t published = pipeline.counters().ingest.events.load();
  EXPECT_GE(published, 5000u);
  EXPECT_LT(published, 5000u + config_.ingest.burst);
  EXPECT_EQ(pipeline.counters().execution.consumed.load(), published);
  EXPECT_EQ(pipeline.counters().execution.lost.load(), 0u);
  EXPECT_EQ(pipeline.lifecycle().current(), core::LifecycleState::ready);  // warmup (100 steps) completed
  EXPECT_EQ(summary["platform"]["idle"]["execution"], runtime::PauseIdle::kName);
  EXPECT_TRUE(pipeline.pin_errors().empty());
}

TEST_F(TypedPipelineTest, OnlyTheMetricsSinkGivesTheControlPlaneHistograms) {
  TypedPipeline<core::SyntheticSource, core::RawDecoder, runtime::SpinIdle, control::MetricsSink> metrics(config_, {}, {});
  TypedPipeline<core::SyntheticSource, core::RawDecoder, runtime::SpinIdle, core::NullSink> null(config_, {}, {});
  control::Observables seen_metrics;
  control::Observables seen_null;
  metrics.observe(seen_metrics);
  null.observe(seen_null);
  EXPECT_NE(seen_metrics.sink, nullptr);
  EXPECT_EQ(seen_null.sink, nullptr);
  EXPECT_EQ(metrics.hot_idle_name(), runtime::SpinIdle::kName);
}

TEST_F(TypedPipelineTest, TheAnalyticsLoopRunsTheIdleStrategyTheConfigChose) {
  config_.analytics.enabled = true;
  config_.cores.housekeeping_idle = config::HousekeepingIdle::pause;
  TypedPipeline<core::SyntheticSource, core::RawDecoder, runtime::PauseIdle, core::NullSink> pipeline(config_, {}, {});
  const nlohmann::json summary = run(pipeline);
  EXPECT_EQ(pipeline.analytics_idle_name(), runtime::PauseIdle::kName);
  EXPECT_EQ(summary["platform"]["idle"]["analytics"], runtime::PauseIdle::kName);
}

}  // namespace
}  // namespace tickpath::platform

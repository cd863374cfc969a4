// ingest.lines: the A/B skew in the HdrHistogram forms of the latency stages: two latency.hlog
// tags per interval, two whole-run .hgrm files named by which line came later, read back apart
// from the stages.
#include <gtest/gtest.h>

#include <algorithm>

#include "control/metrics/histogram.hpp"
#include "report/hgrm.hpp"
#include "report/hlog.hpp"
#include "report/line_skew_files.hpp"
#include "report/run_report.hpp"
#include "report/timeline_csv.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

const core::TscCalibration kCal(1e9);  // 1 tick = 1 ns: the expected values read directly

// B 200 us after A for 90 numbers, A 30 us after B for 10: one interval of the skew in ticks.
std::pair<control::HistogramSnapshot, control::HistogramSnapshot> skew_interval() {
  control::Histogram b_later, a_later;
  for (int i = 0; i < 90; ++i) b_later.record(200'000);
  for (int i = 0; i < 10; ++i) a_later.record(30'000);
  return {b_later.snapshot(), a_later.snapshot()};
}

std::string log_with_skew(int intervals) {
  std::string text = render_hlog_header(1764000000.0);
  const auto [b, a] = skew_interval();
  for (int i = 0; i < intervals; ++i) {
    HdrHistogram stage;
    for (int v = 1; v <= 100; ++v) stage.record(v * 40);
    text += render_hlog_line({"ingest_to_ack", static_cast<double>(i), 1.0, stage});
    text += render_line_skew_hlog_lines(b, a, static_cast<double>(i), 1.0, kCal);
  }
  return text;
}

TEST(LineSkewFiles, EachIntervalWritesBothSkewTagsInNanosecondsBesideTheStages) {
  auto totals = parse_hlog_totals(log_with_skew(3));
  ASSERT_TRUE(std::holds_alternative<NamedHistograms>(totals)) << std::get<std::string>(totals);
  NamedHistograms stages = std::get<NamedHistograms>(totals);
  ASSERT_EQ(stages.size(), 3u);
  const NamedHistograms skew = take_line_skew(stages);
  ASSERT_EQ(stages.size(), 1u) << "the skew tags are not latency stages";
  EXPECT_EQ(stages[0].first, "ingest_to_ack");
  ASSERT_EQ(skew.size(), 2u);
  EXPECT_EQ(skew[0].first, kSkewBAfterATag);
  EXPECT_EQ(skew[1].first, kSkewAAfterBTag);
  EXPECT_EQ(skew[0].second.total_count(), 270u) << "90 per interval, 3 intervals";
  EXPECT_EQ(skew[1].second.total_count(), 30u);
  EXPECT_NEAR(static_cast<double>(skew[0].second.value_at_percentile(50)), 200'000.0, 200.0);
  EXPECT_NEAR(static_cast<double>(skew[1].second.max()), 30'000.0, 30.0);
}

TEST(LineSkewFiles, TakeLineSkewLeavesALogWithoutLinesUntouched) {
  NamedHistograms stages{{"ingest_to_ack", HdrHistogram()}, {"queue", HdrHistogram()}};
  EXPECT_TRUE(take_line_skew(stages).empty());
  EXPECT_EQ(stages.size(), 2u);
}

TEST(LineSkewFiles, TheHgrmFilesAreNamedByWhichLineCameLaterAndSayWhatTheSignIs) {
  auto totals = parse_hlog_totals(log_with_skew(1));
  NamedHistograms stages = std::get<NamedHistograms>(totals);
  const auto files = render_line_skew_hgrms(take_line_skew(stages));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].first, "line-skew-b-after-a.hgrm");
  EXPECT_EQ(files[1].first, "line-skew-a-after-b.hgrm");
  EXPECT_NE(files[0].second.find("B's arrival minus A's"), std::string::npos);
  EXPECT_NE(files[0].second.find("line-skew-a-after-b.hgrm"), std::string::npos) << "names where the other sign is";
  EXPECT_NE(files[1].second.find("A's arrival minus B's"), std::string::npos);
  for (const auto& [name, text] : files) {
    auto parsed = parse_hgrm(text);
    ASSERT_TRUE(std::holds_alternative<Hgrm>(parsed)) << name << ": " << std::get<std::string>(parsed);
    EXPECT_EQ(std::get<Hgrm>(parsed).total_count, name == "line-skew-b-after-a.hgrm" ? 90u : 10u) << name;
    EXPECT_NEAR(std::get<Hgrm>(parsed).max, name == "line-skew-b-after-a.hgrm" ? 200.0 : 30.0, 0.5) << name << " (us)";
  }
}

json two_line_summary() {
  const json row = {{"t_s", 1.0}, {"interval_s", 1.0}, {"state", "READY"}, {"events", 100}, {"events_per_s", 100.0},
                    {"nic_missed", 0}, {"malformed", 0}, {"feed_gaps", 0}, {"active_failures", json::array()},
                    {"overruns", {{"execution", 0}}},
                    {"latency", {{"ingest_to_ack", {{"count", 100}, {"p50_ns", 2000.0}, {"p99_ns", 4000.0}, {"p99_9_ns", 4000.0}, {"max_ns", 4000.0}}}}}};
  return {{"version", "test"},
          {"duration_s", 1.0},
          {"events", {{"published", 100}}},
          {"lines", {{"A", {{"frames", 100}, {"won", 100}}},
                     {"B", {{"frames", 100}, {"duplicate", 100}}},
                     {"lost", 0},
                     {"skew", {{"count", 100}, {"p50_ns", 200000.0}, {"p99_ns", 200000.0}, {"min_ns", -30000.0}, {"max_ns", 200000.0}}}}},
          {"control", {{"timeline", json::array({row})}}}};
}

TEST(LineSkewFiles, ARunReportOfTwoLinesWritesBothHgrmFilesAndPlotsTheSkewWithTheLinesNotAsAStage) {
  RunReportInput in;
  in.title = "two-lines";
  in.summary = two_line_summary();
  in.hlog = log_with_skew(1);
  in.timeline_csv = render_timeline_csv(in.summary["control"]["timeline"]);
  auto files = render_run_report(in);
  ASSERT_TRUE(std::holds_alternative<std::vector<NamedText>>(files)) << std::get<std::string>(files);
  std::vector<std::string> names;
  std::string html;
  for (const NamedText& f : std::get<std::vector<NamedText>>(files)) {
    names.push_back(f.name);
    if (f.name == "report.html") html = f.content;
  }
  for (const char* expected : {"line-skew-b-after-a.hgrm", "line-skew-a-after-b.hgrm", "report.html"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  EXPECT_EQ(std::find(names.begin(), names.end(), "latency-line_skew_b_after_a.hgrm"), names.end());
  EXPECT_NE(html.find("Lines A/B"), std::string::npos);
  EXPECT_NE(html.find("data-stage=\"line_skew\""), std::string::npos);
  EXPECT_EQ(html.find("data-stage=\"line_skew_b_after_a\""), std::string::npos) << "not plotted as a latency stage";
  EXPECT_NE(html.find("+200000"), std::string::npos) << "the signed p50 from summary.json";
}

TEST(LineSkewFiles, ARunReportOfOneLineWritesNoSkewFile) {
  RunReportInput in;
  in.title = "one-line";
  in.summary = two_line_summary();
  in.summary.erase("lines");
  std::string text = render_hlog_header(1764000000.0);
  HdrHistogram stage;
  stage.record(1000);
  text += render_hlog_line({"ingest_to_ack", 0.0, 1.0, stage});
  in.hlog = text;
  in.timeline_csv = render_timeline_csv(in.summary["control"]["timeline"]);
  auto files = render_run_report(in);
  ASSERT_TRUE(std::holds_alternative<std::vector<NamedText>>(files)) << std::get<std::string>(files);
  for (const NamedText& f : std::get<std::vector<NamedText>>(files)) EXPECT_EQ(f.name.rfind("line-skew", 0), std::string::npos) << f.name;
}

}  // namespace
}  // namespace tickpath::report

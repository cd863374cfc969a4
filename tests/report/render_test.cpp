// timeline.csv, report.html, run folders read back, and compare's arithmetic.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "report/compare.hpp"
#include "report/hlog.hpp"
#include "report/html_report.hpp"
#include "report/run_folder.hpp"
#include "report/run_report.hpp"
#include "report/timeline_csv.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

json interval(double t, const char* state, std::uint64_t events, std::uint64_t overruns, json failures = json::array()) {
  return {{"t_s", t},
          {"interval_s", 1.0},
          {"state", state},
          {"events", events},
          {"events_per_s", static_cast<double>(events)},
          {"nic_missed", 0},
          {"malformed", 1},
          {"feed_gaps", 0},
          {"active_failures", failures},
          {"overruns", {{"execution", 0}, {"analytics", overruns}}},
          {"latency",
           {{"ingest_to_ack", {{"count", events}, {"p50_ns", 1500.0}, {"p99_ns", 4000.0}, {"p99_9_ns", 9000.0}, {"max_ns", 20000.0}}},
            {"queue", {{"count", events}, {"p50_ns", 500.0}, {"p99_ns", 900.0}, {"p99_9_ns", 2000.0}, {"max_ns", 5000.0}}}}}};
}

json crafted_summary(double p99_ns, double events_per_s, std::uint64_t ring_capacity) {
  json timeline = json::array({interval(1, "WARMUP", 1000, 0), interval(2, "READY", 2000, 3),
                               interval(3, "DEGRADED", 0, 0, json::array({"market_data_outage"})), interval(4, "READY", 2000, 0)});
  return {{"version", "test"},
          {"duration_s", 4.0},
          {"config", {{"ring", {{"capacity", ring_capacity}}}}},
          {"platform", {{"hugepages", false}, {"tsc_hz", 2.4e9}, {"cores", {{"ingest", 1}, {"execution", 1}}}, {"isolated", json::array()}}},
          {"events", {{"published", 5000}, {"nic_missed", 0}, {"malformed", 4}}},
          {"consumers", json::array({{{"name", "execution"}, {"consumed", 5000}, {"overruns", 0}, {"lost", 0}},
                                     {{"name", "analytics"}, {"consumed", 4990}, {"overruns", 3}, {"lost", 10}}})},
          {"lifecycle", {{"final", "READY"},
                         {"transitions", json::array({{{"t_s", 0.0}, {"from", "INIT"}, {"to", "WARMUP"}},
                                                      {{"t_s", 1.0}, {"from", "WARMUP"}, {"to", "READY"}},
                                                      {{"t_s", 2.2}, {"from", "READY"}, {"to", "DEGRADED"}},
                                                      {{"t_s", 3.1}, {"from", "DEGRADED"}, {"to", "READY"}}})}}},
          {"latency", {{"ingest_to_ack", {{"count", 5000}, {"p50_ns", 1500.0}, {"p99_ns", p99_ns}, {"max_ns", 20000.0}}},
                          {"clock_skew_clamped", 0}}},
          {"throughput", {{"events_per_s", events_per_s}, {"acked_per_s", events_per_s * 0.99}}},
          {"shutdown", {{"reason", "duration"}}},
          {"failure", {{"schedule", json::array({{{"scenario", "market_data_outage"}, {"action", "activate"}, {"applied", true}, {"applied_at_event", 2500}},
                                                 {{"scenario", "market_data_outage"}, {"action", "deactivate"}, {"applied", true}, {"applied_at_event", 3000}}})}}},
          {"control", {{"timeline", timeline}}}};
}

std::string hlog_of(double scale) {
  std::string text = render_hlog_header(1764000000.0);
  for (int i = 0; i < 4; ++i) {
    for (const char* tag : {"ingest_to_ack", "queue"}) {
      HdrHistogram h;
      for (int v = 1; v <= 100; ++v) h.record(static_cast<std::int64_t>(v * 40 * scale));
      text += render_hlog_line({tag, static_cast<double>(i), 1.0, h});
    }
  }
  return text;
}

TEST(TimelineCsv, OneRowPerIntervalWithEveryConsumerAndStageColumn) {
  const json s = crafted_summary(4000, 1e6, 4096);
  const std::string csv = render_timeline_csv(s["control"]["timeline"]);
  auto parsed = parse_csv(csv);
  ASSERT_TRUE(std::holds_alternative<CsvTable>(parsed)) << std::get<std::string>(parsed);
  const CsvTable& t = std::get<CsvTable>(parsed);
  EXPECT_EQ(t.rows.size(), s["control"]["timeline"].size());
  for (const char* c : {"t_s", "events_per_s", "nic_missed", "malformed", "overruns_execution", "overruns_analytics",
                        "state", "failures", "ingest_to_ack_p50_ns", "ingest_to_ack_p99_ns", "ingest_to_ack_p99_9_ns",
                        "ingest_to_ack_max_ns", "queue_p99_ns"}) {
    EXPECT_GE(t.column(c), 0) << c;
  }
  EXPECT_EQ(t.number(1, "overruns_analytics"), 3);
  EXPECT_EQ(t.text(2, "state"), "DEGRADED");
  EXPECT_EQ(t.text(2, "failures"), "market_data_outage");
  EXPECT_EQ(t.number(0, "ingest_to_ack_p99_ns"), 4000);
}

TEST(TimelineCsv, ARowOfTheWrongWidthIsNamed) {
  auto r = parse_csv("a,b,c\n1,2,3\n1,2\n");
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("line 3"), std::string::npos);
}

TEST(ReportHtml, OnePercentilePlotPerStageAndNoExternalResource) {
  RunReportInput in;
  in.title = "crafted";
  in.summary = crafted_summary(4000, 1e6, 4096);
  in.hlog = hlog_of(1.0);
  in.timeline_csv = render_timeline_csv(in.summary["control"]["timeline"]);
  auto files = render_run_report(in);
  ASSERT_TRUE(std::holds_alternative<std::vector<NamedText>>(files)) << std::get<std::string>(files);
  std::string html;
  std::vector<std::string> names;
  for (const NamedText& f : std::get<std::vector<NamedText>>(files)) {
    names.push_back(f.name);
    if (f.name == "report.html") html = f.content;
  }
  // The logs are the journal's, already in the folder: the end of the run adds the rest.
  EXPECT_NE(std::find(names.begin(), names.end(), "report.html"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "timeline.csv"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "latency.hlog"), names.end());
  ASSERT_FALSE(html.empty());
  std::size_t plots = 0;
  for (std::size_t at = html.find("class=\"plot percentile\""); at != std::string::npos; at = html.find("class=\"plot percentile\"", at + 1)) ++plots;
  EXPECT_EQ(plots, 2u);
  EXPECT_NE(html.find("data-stage=\"ingest_to_ack\""), std::string::npos);
  EXPECT_NE(html.find("data-stage=\"queue\""), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // The lifecycle bands and the failure window are drawn.
  EXPECT_NE(html.find("<title>DEGRADED</title>"), std::string::npos);
  EXPECT_NE(html.find("class=\"failure\"><title>market_data_outage</title>"), std::string::npos);
}

std::string html_of(const json& summary) {
  RunReportInput in;
  in.title = "floor";
  in.summary = summary;
  in.hlog = hlog_of(1.0);
  in.timeline_csv = render_timeline_csv(summary["control"]["timeline"]);
  auto files = render_run_report(in);
  for (const NamedText& f : std::get<std::vector<NamedText>>(files)) {
    if (f.name == "report.html") return f.content;
  }
  return {};
}

TEST(ReportHtml, ShowsTheFloorAndIngestToAckAsAMultipleOfIt) {
  json s = crafted_summary(4000, 1e6, 4096);
  s["platform"]["jitter"] = {{"cores", json::array({{{"cpu", 1}, {"p99_ns", 40.0}, {"p99_99_ns", 900.0},
                                                      {"max_ns", 25000.0}, {"hiccups", 7}}})}};
  s["platform"]["c2c"] = {{"a", 0}, {"b", 1}};
  s["platform"]["c2c_ns"] = 75.0;
  const std::string html = html_of(s);
  EXPECT_NE(html.find("jitter cpu 1"), std::string::npos);
  EXPECT_NE(html.find("hiccups ≥1µs 7"), std::string::npos);
  // ingest_to_ack p50 1500 ns over a 75 ns floor.
  EXPECT_NE(html.find("one-way p50 75 ns (cpu 0 → cpu 1); ingest→ack p50 = 20.0× the floor"), std::string::npos);

  s["platform"].erase("c2c_ns");
  s["platform"]["c2c"] = {{"same_cpu", true}, {"note", "ingest and execution share cpu 1"}};
  const std::string shared = html_of(s);
  EXPECT_NE(shared.find("ingest and execution share cpu 1"), std::string::npos);
  EXPECT_EQ(shared.find("× the floor"), std::string::npos);
}

TEST(ReportHtml, AStageWithoutSamplesIsNamedNotPlotted) {
  RunReportInput in;
  in.title = "empty-stage";
  in.summary = crafted_summary(4000, 1e6, 4096);
  in.hlog = hlog_of(1.0) + render_hlog_line({"wire_to_ack", 0.0, 1.0, HdrHistogram{}});
  in.timeline_csv = render_timeline_csv(in.summary["control"]["timeline"]);
  auto files = render_run_report(in);
  ASSERT_TRUE(std::holds_alternative<std::vector<NamedText>>(files)) << std::get<std::string>(files);
  std::string html;
  for (const NamedText& f : std::get<std::vector<NamedText>>(files)) {
    if (f.name == "report.html") html = f.content;
  }
  EXPECT_NE(html.find("class=\"plot percentile empty\" data-stage=\"wire_to_ack\""), std::string::npos);
  EXPECT_NE(html.find("wire_to_ack: no sample in this run"), std::string::npos);
  EXPECT_EQ(html.find("wire_to_ack — percentile distribution"), std::string::npos);
}

class Folders : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("tickpath-report-test-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  static void write(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  void run_folder(const std::filesystem::path& dir, const json& summary, double scale = 1.0) {
    write(dir / "summary.json", summary.dump());
    write(dir / "latency.hlog", hlog_of(scale));
    write(dir / "timeline.csv", render_timeline_csv(summary["control"]["timeline"]));
  }
  std::filesystem::path root_;
};

TEST_F(Folders, AMissingOrCorruptFileIsNamed) {
  run_folder(root_ / "a", crafted_summary(4000, 1e6, 4096));
  ASSERT_TRUE(std::holds_alternative<RunFolder>(load_run_folder((root_ / "a").string())));
  std::filesystem::remove(root_ / "a" / "timeline.csv");
  auto missing = load_run_folder((root_ / "a").string());
  ASSERT_TRUE(std::holds_alternative<std::string>(missing));
  EXPECT_NE(std::get<std::string>(missing).find("timeline.csv"), std::string::npos);
  write(root_ / "a" / "timeline.csv", "t_s,events_per_s\n1,2\n");
  write(root_ / "a" / "latency.hlog", "#[Histogram log format version 1.3]\n\"StartTimestamp\"\nTag=x,0,1,0,@@@@\n");
  auto corrupt = load_run_folder((root_ / "a").string());
  ASSERT_TRUE(std::holds_alternative<std::string>(corrupt));
  EXPECT_NE(std::get<std::string>(corrupt).find("latency.hlog: line 3"), std::string::npos) << std::get<std::string>(corrupt);
  write(root_ / "a" / "summary.json", "{not json");
  auto bad = load_run_folder((root_ / "a").string());
  ASSERT_TRUE(std::holds_alternative<std::string>(bad));
  EXPECT_NE(std::get<std::string>(bad).find("summary.json"), std::string::npos);
}

const CompareRow& row(const Comparison& c, const std::string& metric) {
  for (const CompareRow& r : c.rows) {
    if (r.metric == metric) return r;
  }
  throw std::runtime_error("no row " + metric);
}

TEST_F(Folders, CompareOfTwoSingleRunsGivesRatiosAndVerdictsAndTheDifferingKeys) {
  run_folder(root_ / "a", crafted_summary(4000, 1e6, 4096));
  run_folder(root_ / "b", crafted_summary(8000, 1.02e6, 8192), 2.0);
  auto a = load_run_set((root_ / "a").string());
  auto b = load_run_set((root_ / "b").string());
  ASSERT_TRUE(std::holds_alternative<RunSet>(a));
  ASSERT_TRUE(std::holds_alternative<RunSet>(b));
  const Comparison c = compare_runs(std::get<RunSet>(a), std::get<RunSet>(b));
  EXPECT_DOUBLE_EQ(row(c, "latency.ingest_to_ack.p99_ns").ratio, 2.0);
  EXPECT_EQ(row(c, "latency.ingest_to_ack.p99_ns").verdict, "worse");
  EXPECT_NEAR(row(c, "throughput.events_per_s").ratio, 1.02, 1e-9);
  EXPECT_EQ(row(c, "throughput.events_per_s").verdict, "info");  // shown, not judged
  EXPECT_NEAR(row(c, "throughput.acked_per_s").ratio, 1.02, 1e-9);
  EXPECT_EQ(row(c, "throughput.acked_per_s").verdict, "same");  // within 5%: noise unknown
  EXPECT_EQ(row(c, "latency.ingest_to_ack.p50_ns").verdict, "same");
  EXPECT_EQ(row(c, "consumers.analytics.overruns").ratio, 1.0);
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_EQ(c.differences[0].key, "config.ring.capacity");
  EXPECT_EQ(c.differences[0].a, "4096");
  EXPECT_EQ(c.differences[0].b, "8192");
  const std::string text = format_comparison(c);
  EXPECT_NE(text.find("latency.ingest_to_ack.p99_ns"), std::string::npos);
  const std::string html = render_compare_html(c, std::get<RunSet>(a), std::get<RunSet>(b));
  EXPECT_NE(html.find("data-stage=\"ingest_to_ack\""), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  // Both curves in one plot: two paths inside the ingest_to_ack figure.
  const auto fig = html.find("data-stage=\"ingest_to_ack\"");
  const auto end = html.find("</figure>", fig);
  std::size_t paths = 0;
  for (auto at = html.find("class=\"curve\"", fig); at != std::string::npos && at < end; at = html.find("class=\"curve\"", at + 1)) ++paths;
  EXPECT_EQ(paths, 2u);
}

TEST_F(Folders, RepeatedRunsJudgeADifferenceAgainstTheirSpread) {
  // A: p99 4000 ± 400 over three runs; B1 within the noise, B2 far outside it.
  for (auto [i, p99] : {std::pair{1, 3600.0}, {2, 4000.0}, {3, 4400.0}}) {
    run_folder(root_ / "a" / ("run-" + std::to_string(i)), crafted_summary(p99, 1e6, 4096));
  }
  write(root_ / "a" / "aggregate.json", "{\"not\": \"read\"}");
  for (auto [i, p99] : {std::pair{1, 4100.0}, {2, 4500.0}, {3, 3900.0}}) {
    run_folder(root_ / "b1" / ("run-" + std::to_string(i)), crafted_summary(p99, 1e6, 4096));
  }
  for (auto [i, p99] : {std::pair{1, 8100.0}, {2, 8000.0}, {3, 7900.0}}) {
    run_folder(root_ / "b2" / ("run-" + std::to_string(i)), crafted_summary(p99, 1e6, 4096));
  }
  auto a = std::get<RunSet>(load_run_set((root_ / "a").string()));
  ASSERT_TRUE(a.repeated);
  ASSERT_EQ(a.runs.size(), 3u);
  const Comparison same = compare_runs(a, std::get<RunSet>(load_run_set((root_ / "b1").string())));
  const CompareRow& r1 = row(same, "latency.ingest_to_ack.p99_ns");
  EXPECT_NEAR(r1.ratio, 4166.666666 / 4000.0, 1e-6);
  EXPECT_EQ(r1.verdict, "same");  // +4% but well inside 2 standard errors of a ±10% spread
  EXPECT_NEAR(r1.a_sd, 400.0, 1e-9);
  const Comparison worse = compare_runs(a, std::get<RunSet>(load_run_set((root_ / "b2").string())));
  EXPECT_EQ(row(worse, "latency.ingest_to_ack.p99_ns").verdict, "worse");
  EXPECT_NEAR(row(worse, "latency.ingest_to_ack.p99_ns").ratio, 2.0, 1e-9);
  EXPECT_TRUE(same.differences.empty());
}

TEST_F(Folders, AFolderWithNeitherASummaryNorRunsIsAnError) {
  auto r = load_run_set(root_.string());
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("run-<n>"), std::string::npos);
}

}  // namespace
}  // namespace tickpath::report

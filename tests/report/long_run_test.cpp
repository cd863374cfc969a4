// A long run's end-of-run report: memory must not scale with the number of intervals times the
// size of a decoded histogram (~270 KB each at the report's range and precision). The soak saw
// 3.4 GiB for 1 800 intervals x 7 stages when every latency.hlog entry was decoded and kept at
// once. Measured by counting the heap this binary allocates (global operator new below), so the
// bound is deterministic: bytes, not time.
#include <gtest/gtest.h>

#include <cstdlib>

#include "report/hlog.hpp"
#include "report/html_report.hpp"
#include "report/run_report.hpp"
#include "report/timeline_csv.hpp"
#include "tests/support/heap_meter.hpp"

namespace tickpath::report {
namespace {

using StageTotals = std::vector<std::pair<std::string, HdrHistogram>>;

using nlohmann::json;

constexpr const char* kStages[] = {"ingest_to_ack", "queue", "decision", "ack", "nic_to_ingest", "wire_to_ack", "wall_to_ack"};
constexpr int kIntervals = 60;

HdrHistogram stage_interval(int stage, int interval) {
  HdrHistogram h;
  for (int v = 1; v <= 200; ++v) h.record(static_cast<std::int64_t>(v) * (40 + stage) + interval * 1000);
  return h;
}

std::string long_hlog() {
  std::string text = render_hlog_header(1764000000.0);
  for (int i = 0; i < kIntervals; ++i) {
    for (int s = 0; s < static_cast<int>(std::size(kStages)); ++s) {
      text += render_hlog_line({kStages[s], static_cast<double>(i), 1.0, stage_interval(s, i)});
    }
  }
  return text;
}

json long_summary() {
  json timeline = json::array();
  for (int i = 0; i < kIntervals; ++i) {
    json latency = json::object();
    for (const char* stage : kStages) latency[stage] = {{"count", 200}, {"p50_ns", 4000.0}, {"p99_ns", 8000.0}, {"p99_9_ns", 8000.0}, {"max_ns", 8040.0}};
    timeline.push_back({{"t_s", i + 1.0}, {"interval_s", 1.0}, {"state", "READY"}, {"events", 200}, {"events_per_s", 200.0},
                        {"nic_missed", 0}, {"malformed", 0}, {"feed_gaps", 0}, {"active_failures", json::array()},
                        {"overruns", {{"execution", 0}}}, {"latency", latency}});
  }
  return {{"version", "test"}, {"duration_s", static_cast<double>(kIntervals)}, {"events", {{"published", 200 * kIntervals}}},
          {"config", {{"ring", {{"capacity", 4096}}}}}, {"platform", {{"hugepages", false}}},
          {"control", {{"timeline", timeline}}}};
}

TEST(LongRunReport, RenderingItHoldsAHistogramPerStageNotOnePerInterval) {
  RunReportInput in;
  in.title = "long";
  in.summary = long_summary();
  in.hlog = long_hlog();
  in.timeline_csv = render_timeline_csv(in.summary["control"]["timeline"]);
  const std::size_t histogram_bytes = HdrHistogram{}.counts_length() * sizeof(std::uint64_t);
  const std::size_t entries = std::size(kStages) * kIntervals;
  std::size_t files_bytes = 0;
  const std::size_t growth = test_support::peak_heap_growth([&] {
    auto files = render_run_report(in);
    ASSERT_TRUE(std::holds_alternative<std::vector<NamedText>>(files)) << std::get<std::string>(files);
    for (const NamedText& f : std::get<std::vector<NamedText>>(files)) files_bytes += f.content.size();
  });
  // The totals (one per stage), the entry being decoded, one spare, and a few copies of the text;
  // every entry held at once would be `entries` histograms (420 x ~270 KB here).
  // Three histograms' worth per stage: the folded total, the copy the .hgrm and the page render from,
  // and the entry being decoded.
  const std::size_t bound = 3 * (std::size(kStages) + 2) * histogram_bytes + 8 * (files_bytes + in.hlog.size() + in.timeline_csv.size());
  RecordProperty("peak_heap_bytes", std::to_string(growth));
  EXPECT_LT(growth, bound) << "peak heap " << growth << " B for " << entries << " hlog entries of " << histogram_bytes
                           << " B decoded; files " << files_bytes << " B";
  EXPECT_LT(bound, entries * histogram_bytes / 4) << "the bound must be far below the quadratic case to catch it";
}

TEST(LongRunReport, StageTotalsFromTheTextEqualTheSumOfEveryParsedEntry) {
  const std::string text = long_hlog();
  auto parsed = parse_hlog(text);
  ASSERT_TRUE(std::holds_alternative<Hlog>(parsed)) << std::get<std::string>(parsed);
  auto totals = parse_hlog_totals(text);
  ASSERT_TRUE(std::holds_alternative<StageTotals>(totals)) << std::get<std::string>(totals);
  const StageTotals& got = std::get<StageTotals>(totals);
  ASSERT_EQ(got.size(), std::size(kStages));
  for (std::size_t s = 0; s < got.size(); ++s) {
    EXPECT_EQ(got[s].first, kStages[s]);  // in the order the tags first appear
    std::optional<HdrHistogram> expected;
    for (const HlogEntry& e : std::get<Hlog>(parsed).entries) {
      if (e.tag != kStages[s]) continue;
      if (expected) {
        expected->add(e.histogram);
      } else {
        expected = e.histogram;
      }
    }
    ASSERT_TRUE(expected.has_value());
    EXPECT_EQ(got[s].second, *expected) << kStages[s];
  }
}

TEST(LongRunReport, StageTotalsOfTheFirstIntervalsCountOnlyThoseEntriesOfEachTag) {
  auto first_two = parse_hlog_totals(long_hlog(), 2);
  ASSERT_TRUE(std::holds_alternative<StageTotals>(first_two)) << std::get<std::string>(first_two);
  for (std::size_t s = 0; s < std::size(kStages); ++s) {
    HdrHistogram expected = stage_interval(static_cast<int>(s), 0);
    expected.add(stage_interval(static_cast<int>(s), 1));
    EXPECT_EQ(std::get<StageTotals>(first_two)[s].second, expected) << kStages[s];
  }
  auto none = parse_hlog_totals(long_hlog(), 0);
  ASSERT_TRUE(std::holds_alternative<StageTotals>(none));
  EXPECT_TRUE(std::get<StageTotals>(none).empty());
}

TEST(LongRunReport, StageTotalsNameTheBadLine) {
  auto bad = parse_hlog_totals(render_hlog_header(0) + "Tag=queue,0,1,0,!!!\n");
  ASSERT_TRUE(std::holds_alternative<std::string>(bad));
  EXPECT_NE(std::get<std::string>(bad).find("line 6"), std::string::npos) << std::get<std::string>(bad);
}

}  // namespace
}  // namespace tickpath::report

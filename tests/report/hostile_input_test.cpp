// Issue 14: report files of the right syntax and the wrong shape. Each used to abort `tickpath
// report` / `compare` (an uncaught exception), allocate gigabytes, or hang; each is now an error
// that names the file and the field, line or tag, and memory stays bounded.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>

#include <fmt/format.h>

#include "report/compare.hpp"
#include "report/hdr_encoding.hpp"
#include "report/hgrm.hpp"
#include "report/hlog.hpp"
#include "report/html_report.hpp"
#include "report/run_folder.hpp"
#include "report/summary_check.hpp"
#include "report/timeline_csv.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class HostileFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tickpath-hostile-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const char* name, const std::string& text) { std::ofstream(dir_ / name, std::ios::binary) << text; }
  // The error load_run_folder gives for this summary.json (the test fails if it loads).
  std::string summary_error(const std::string& summary) {
    write("summary.json", summary);
    auto r = load_run_folder(dir_.string(), Need::summary_only);
    if (!std::holds_alternative<std::string>(r)) {
      ADD_FAILURE() << "loaded: " << summary;
      return {};
    }
    return std::get<std::string>(r);
  }
  std::filesystem::path dir_;
};

TEST_F(HostileFolder, SummaryFieldsOfTheWrongTypeAreNamedWithTheFile) {
  const std::string ten = summary_error(R"({"events":{},"duration_s":"ten"})");
  EXPECT_TRUE(has(ten, "summary.json: field \"duration_s\": expected a finite number >= 0, found a string")) << ten;
  const std::string null_events = summary_error(R"({"events":null})");
  EXPECT_TRUE(has(null_events, "field \"events\": expected an object, found null")) << null_events;
  const std::string hugepages = summary_error(R"({"events":{},"platform":{"hugepages":1}})");
  EXPECT_TRUE(has(hugepages, "field \"platform.hugepages\": expected a boolean, found a number")) << hugepages;
  const std::string lost = summary_error(R"({"events":{},"consumers":[{"name":"x","lost":0},{"name":"y","lost":-3}]})");
  EXPECT_TRUE(has(lost, "field \"consumers[1].lost\": expected a count")) << lost;
  const std::string drops = summary_error(R"({"events":{"drops":{"not_udp":"many"}}})");
  EXPECT_TRUE(has(drops, "field \"events.drops.not_udp\"")) << drops;
  EXPECT_TRUE(has(summary_error(R"([1,2])"), "expected a JSON object at the top"));
  EXPECT_TRUE(has(summary_error(R"({"duration_s":1})"), "field \"events\": missing"));
  EXPECT_TRUE(has(summary_error(R"({"events":{},"lifecycle":{"transitions":[{"t_s":1e999}]}})"), "summary.json"));
}

TEST_F(HostileFolder, ASummaryWithOnlyEventsRendersAndCompares) {
  // Used to abort with std::out_of_range (substr of flatten()'s "" key for an absent config).
  write("summary.json", R"({"events":{}})");
  auto loaded = load_run_folder(dir_.string(), Need::summary_only);
  ASSERT_TRUE(std::holds_alternative<RunFolder>(loaded)) << std::get<std::string>(loaded);
  const std::string html = render_report_html(ReportData{"t", std::get<RunFolder>(loaded).summary, {}, {}});
  EXPECT_TRUE(has(html, "</html>"));
  auto set = load_run_set(dir_.string());
  ASSERT_TRUE(std::holds_alternative<RunSet>(set));
  const Comparison c = compare_runs(std::get<RunSet>(set), std::get<RunSet>(set), 0.05);
  EXPECT_FALSE(format_comparison(c).empty());
  EXPECT_FALSE(render_compare_html(c, std::get<RunSet>(set), std::get<RunSet>(set)).empty());
}

TEST_F(HostileFolder, ASummaryWhosePlatformAndConfigAreEmptyRendersThemAsNotRecorded) {
  // kv_table cut the leading '/' off flatten()'s keys, and flatten() of {} is {"": null}: an
  // empty section threw std::out_of_range out of the renderer (exit 134).
  write("summary.json", R"({"events":{"published":1},"platform":{},"config":{}})");
  auto loaded = load_run_folder(dir_.string(), Need::summary_only);
  ASSERT_TRUE(std::holds_alternative<RunFolder>(loaded)) << std::get<std::string>(loaded);
  const json& summary = std::get<RunFolder>(loaded).summary;
  std::string html;
  ASSERT_NO_THROW(html = render_report_html(ReportData{"t", summary, {}, {}}));
  EXPECT_TRUE(has(html, "<h2>Effective config</h2>\n<p class=\"note\">not recorded</p>")) << html;
  EXPECT_TRUE(has(html, "<h2>Platform</h2>\n<table>\n</table>")) << html;
  EXPECT_TRUE(has(html, "</html>"));
  // A config with an empty section: its key is listed, nothing is cut.
  json nested = summary;
  nested["config"] = {{"ring", json::object()}, {"run", {{"duration_s", 3}}}};
  ASSERT_NO_THROW(html = render_report_html(ReportData{"t", nested, {}, {}}));
  EXPECT_TRUE(has(html, "<th class=\"mono\">run.duration_s</th><td class=\"mono\">3</td>")) << html;
  auto set = load_run_set(dir_.string());
  ASSERT_TRUE(std::holds_alternative<RunSet>(set));
  const Comparison c = compare_runs(std::get<RunSet>(set), std::get<RunSet>(set), 0.05);
  EXPECT_FALSE(render_compare_html(c, std::get<RunSet>(set), std::get<RunSet>(set)).empty());
}

TEST_F(HostileFolder, ATimelineCellThatIsNotANumberIsNamed) {
  write("summary.json", R"({"events":{}})");
  write("timeline.csv", "t_s,state,events,events_per_s\n1.000,READY,10,10\n2.000,READY,ten,10\n");
  auto r = load_run_folder(dir_.string(), Need::summary_only);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_TRUE(has(std::get<std::string>(r), "timeline.csv: row 2, column events: \"ten\" is not a finite number"))
      << std::get<std::string>(r);
  write("timeline.csv", "t_s,state,events,events_per_s\n1.000,READY,10,nan\n");
  EXPECT_TRUE(std::holds_alternative<std::string>(load_run_folder(dir_.string(), Need::summary_only)));
}

TEST_F(HostileFolder, RepeatedRunsWhoseStageGeometriesDifferAreAnErrorNotAThrowInCompare) {
  HdrHistogram a(3'600'000'000'000, 3);
  HdrHistogram b(1'000'000, 2);
  a.record(100);
  b.record(100);
  for (const auto& [run, h] : {std::pair{"run-1", &a}, std::pair{"run-2", &b}}) {
    std::filesystem::create_directories(dir_ / run);
    std::ofstream(dir_ / run / "summary.json") << R"({"events":{}})";
    std::ofstream(dir_ / run / "latency.hlog") << render_hlog_header(0) + render_hlog_line({"queue", 0, 1, *h});
  }
  auto r = load_run_set(dir_.string());
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_TRUE(has(std::get<std::string>(r), "run-2/latency.hlog: stage \"queue\" has highest trackable 1000000"))
      << std::get<std::string>(r);
}

// The compressed form of `h` with its header rewritten to claim other geometry (tests only: the
// encoder never writes a header that disagrees with its counts).
std::vector<std::uint8_t> claiming(const HdrHistogram& h, int digits, std::int64_t highest) {
  const std::vector<std::uint8_t> bytes = encode_compressed(h);
  std::vector<std::uint8_t> raw(1 << 20);
  uLongf raw_len = raw.size();
  EXPECT_EQ(uncompress(raw.data(), &raw_len, bytes.data() + 8, static_cast<uLong>(bytes.size() - 8)), Z_OK);
  raw.resize(raw_len);
  raw[15] = static_cast<std::uint8_t>(digits);
  for (int i = 0; i < 8; ++i) raw[24 + i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(highest) >> (56 - 8 * i));
  uLongf out_len = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> out(8 + out_len);
  EXPECT_EQ(compress(out.data() + 8, &out_len, raw.data(), static_cast<uLong>(raw.size())), Z_OK);
  out.resize(8 + out_len);
  std::copy(bytes.begin(), bytes.begin() + 4, out.begin());
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<std::uint8_t>(out_len >> (24 - 8 * i));
  return out;
}

TEST(HostileHlog, OneTagWithTwoGeometriesIsAnErrorNamingTheTagAndLine) {
  HdrHistogram a(3'600'000'000'000, 3);
  HdrHistogram b(1'000'000, 2);
  a.record(100);
  b.record(100);
  const std::string text = render_hlog_header(0) + render_hlog_line({"queue", 0, 1, a}) + render_hlog_line({"queue", 1, 1, b});
  auto r = parse_hlog_totals(text);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_TRUE(has(std::get<std::string>(r), "line 7: tag \"queue\": highest trackable 1000000 with 2 significant digits"))
      << std::get<std::string>(r);
}

TEST(HostileHlog, AHistogramClaimingFiveDigitsOverTheWholeRangeIsRefusedBeforeItIsAllocated) {
  HdrHistogram small(1000, 3);
  small.record(5);
  const auto huge = claiming(small, 5, std::numeric_limits<std::int64_t>::max());
  EXPECT_LT(huge.size(), 100u) << "a few bytes of input";
  auto decoded = decode_compressed(huge);
  ASSERT_TRUE(std::holds_alternative<std::string>(decoded));
  EXPECT_TRUE(has(std::get<std::string>(decoded), "5 significant digits up to 9223372036854775807 need 6160384 slots"))
      << std::get<std::string>(decoded);
  // Four digits over the whole range (819,200 slots) is within the bound and reads.
  EXPECT_TRUE(std::holds_alternative<HdrHistogram>(decode_compressed(claiming(small, 4, std::numeric_limits<std::int64_t>::max()))));
  EXPECT_EQ(HdrHistogram::counts_length_for(std::numeric_limits<std::int64_t>::max(), 3), 55'296u);
}

TEST(HostileHlog, CountsAddingUpPast2To63AreAnErrorInOneHistogramAndAcrossIntervals) {
  HdrHistogram two;
  two.record(100, std::uint64_t{1} << 62);
  two.record(200, std::uint64_t{1} << 62);  // total 2^63: one past HdrHistogram's long
  auto one = decode_compressed(encode_compressed(two));
  ASSERT_TRUE(std::holds_alternative<std::string>(one));
  EXPECT_TRUE(has(std::get<std::string>(one), "add up past 9223372036854775807")) << std::get<std::string>(one);

  HdrHistogram half;
  half.record(100, std::uint64_t{1} << 62);
  const std::string text = render_hlog_header(0) + render_hlog_line({"queue", 0, 1, half}) + render_hlog_line({"queue", 1, 1, half});
  auto totals = parse_hlog_totals(text);
  ASSERT_TRUE(std::holds_alternative<std::string>(totals));
  EXPECT_TRUE(has(std::get<std::string>(totals), "line 7: tag \"queue\": the intervals' counts add up past"))
      << std::get<std::string>(totals);
}

TEST(HostileHlog, PercentileRowsOfCountsNear2To63End) {
  // Used to hang: cumulative/total reads as 100.0 one slot early, and the level stops moving.
  HdrHistogram h;
  h.record(100, (std::uint64_t{1} << 62) - 1);
  h.record(200, std::uint64_t{1} << 62);
  h.record(300, 1);
  const std::vector<PercentileRow> rows = percentile_rows(h);
  ASSERT_FALSE(rows.empty());
  EXPECT_LT(rows.size(), 2000u);
  EXPECT_EQ(rows.back().percentile, 100.0);
  EXPECT_EQ(rows.back().total, h.total_count());
  EXPECT_TRUE(has(render_hgrm(h, "queue"), "#[Max"));
}

TEST(HostileHlog, TooManyTagsIsAnError) {
  HdrHistogram h(1000, 1);
  h.record(1);
  std::string text = render_hlog_header(0);
  for (std::size_t i = 0; i <= kMaxHlogTags; ++i) text += render_hlog_line({fmt::format("t{}", i), 0, 1, h});
  auto r = parse_hlog_totals(text);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_TRUE(has(std::get<std::string>(r), "more than 64 tags")) << std::get<std::string>(r);
}

}  // namespace
}  // namespace tickpath::report

// The files and tables of repeated runs and sweeps, from recorded per-run metrics: the statistics
// cover completed runs only, the CSV quotes what needs quoting, the page links each run relatively.
#include <gtest/gtest.h>

#include "report/run_set_report.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

RunRecord run(const std::string& name, double events_per_s, double p50, bool completed = true, int exit_code = 0) {
  RunRecord r{name, "/sweeps/s1/ingest.burst=8/" + name, exit_code, completed, json::object()};
  if (completed) {
    r.metrics = {{"throughput.events_per_s", events_per_s},
                 {"drops.total", 0.0},
                 {"consumers.analytics.lost", 5.0},
                 {"latency.ingest_to_ack.p50_ns", p50},
                 {"latency.ingest_to_ack.p99_ns", p50 * 2}};
  }
  return r;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(RunSetReport, AggregateCoversCompletedRunsWithTheSampleStandardDeviation) {
  const std::vector<RunRecord> runs = {run("run-1", 1e6, 1000), run("run-2", 3e6, 3000), run("run-3", 0, 0, false, 1)};
  const json agg = aggregate_metrics(runs);
  const json& a = agg["throughput.events_per_s"];
  EXPECT_EQ(a["n"], 2);
  EXPECT_DOUBLE_EQ(a["mean"].get<double>(), 2e6);
  EXPECT_DOUBLE_EQ(a["stddev"].get<double>(), std::sqrt(2.0) * 1e6);  // n - 1
  EXPECT_EQ(a["min"], 1e6);
  EXPECT_EQ(a["max"], 3e6);
  EXPECT_EQ(aggregate_metrics({run("run-1", 5, 5)})["throughput.events_per_s"]["stddev"], 0.0);

  const json doc = aggregate_document(4, runs, "SIGINT");
  EXPECT_EQ(doc["runs_planned"], 4);
  EXPECT_EQ(doc["runs_completed"], 2);
  EXPECT_EQ(doc["interrupted_by"], "SIGINT");
  EXPECT_EQ(doc["runs"][2]["exit_code"], 1);
  EXPECT_EQ(doc["metrics"], agg);
}

TEST(RunSetReport, TheRepeatTableShowsLatenciesAsTimesAndCountsAsRates) {
  const std::string table = format_repeat_table({run("run-1", 1e6, 1000), run("run-2", 3e6, 3000)}, 3);
  EXPECT_TRUE(has(table, "2 of 3 runs completed")) << table;
  EXPECT_TRUE(has(table, "latency.ingest_to_ack.p50_ns")) << table;
  EXPECT_TRUE(has(table, "2.00us")) << table;  // the mean p50, a time
  EXPECT_TRUE(has(table, "2.00M")) << table;   // the mean events/s, a rate
  EXPECT_TRUE(has(table, "consumers.analytics.lost")) << table;
  EXPECT_FALSE(has(table, "floor.c2c_ns")) << table;  // no run had it: no row
}

TEST(RunSetReport, ARunLineSaysWhyARunIsNotAggregated) {
  EXPECT_EQ(format_run_line("[1/2] ", "a=1", run("run-1", 2e6, 1500)),
            "[1/2] a=1 run-1: events/s 2.00M  ingest_to_ack p50 1.50us p99 3.00us");
  EXPECT_TRUE(has(format_run_line("", "", run("run-2", 0, 0, false, 0)), "run-2: stopped by a signal"));
  EXPECT_TRUE(has(format_run_line("", "", run("run-3", 0, 0, false, 1)), "run-3: failed (exit code 1)"));
}

SweepResult sweep() {
  SweepResult s;
  s.keys = {{"ingest.burst", {"8", "32"}}, {"port.vdev", {"net_null0,size=64"}}};
  s.repeat = 2;
  s.runs_planned = 4;
  s.combinations.push_back({"ingest.burst=8,port.vdev=net_null0,size=64", {"8", "net_null0,size=64"},
                            "/sweeps/s1/ingest.burst=8", {run("run-1", 1e6, 1000), run("run-2", 1.2e6, 1100)}});
  s.combinations.push_back({"ingest.burst=32,port.vdev=net_null0,size=64", {"32", "net_null0,size=64"},
                            "/sweeps/s1/ingest.burst=32", {run("run-1", 0, 0, false, 1)}});
  s.interrupted_by = "SIGTERM";
  return s;
}

TEST(RunSetReport, SweepCsvHasOneRowPerRunAndQuotesValuesWithCommas) {
  const std::string csv = sweep_csv(sweep());
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "combination,ingest.burst,port.vdev,repeat,exit_code,completed,events_per_s,drops,p50_ns,p99_ns,p99_9_ns,max_ns,"
            "lost_analytics,folder");
  EXPECT_TRUE(has(csv, "\"ingest.burst=8,port.vdev=net_null0,size=64\",8,\"net_null0,size=64\",1,0,true,1000000,0,1000,2000,,,5,"))
      << csv;
  EXPECT_TRUE(has(csv, ",1,1,false,,,,,,,,")) << csv;  // the failed run: no figures
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
}

TEST(RunSetReport, SweepJsonCountsCompletedRunsPerCombinationAndOverall) {
  const json j = sweep_json(sweep());
  EXPECT_EQ(j["runs_planned"], 4);
  EXPECT_EQ(j["runs_completed"], 2);
  EXPECT_EQ(j["interrupted_by"], "SIGTERM");
  EXPECT_EQ(j["vary"]["ingest.burst"], json::array({"8", "32"}));
  EXPECT_EQ(j["combinations"][0]["runs_completed"], 2);
  EXPECT_EQ(j["combinations"][1]["runs_completed"], 0);
  EXPECT_EQ(j["combinations"][0]["settings"]["port.vdev"], "net_null0,size=64");
  EXPECT_EQ(j["runs"].size(), 3u);
  EXPECT_EQ(j["runs"][1]["repeat"], 2);
}

TEST(RunSetReport, TheSweepTableGivesTheMeanAndRelativeSpread) {
  const std::string table = format_sweep_table(sweep());
  EXPECT_TRUE(has(table, "1.10M ±13%")) << table;  // mean 1.1M, sd 141k
  EXPECT_TRUE(has(table, "0/2")) << table;
  EXPECT_TRUE(has(table, "(mean across repeats")) << table;
}

TEST(RunSetReport, SweepHtmlLinksEachRunRelativelyAndEscapes) {
  const std::string html = render_sweep_html("/sweeps/s1", sweep());
  EXPECT_TRUE(has(html, "<a href=\"ingest.burst=8/run-2/report.html\">2</a>")) << html;
  EXPECT_FALSE(has(html, "/sweeps/s1/ingest")) << html;
  EXPECT_TRUE(has(html, "Stopped by SIGTERM")) << html;
}

}  // namespace
}  // namespace tickpath::report

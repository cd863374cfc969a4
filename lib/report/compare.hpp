#pragma once
// `tickpath compare A B`: the two run sets side by side. Each row is one figure of the metric
// catalogue (metric_catalogue.hpp: throughput, drops, overruns, every latency percentile of every stage), its value in A and B
// (the mean when a folder holds repeated runs), the ratio B/A and a verdict.
//
// Verdict (a row knows whether lower or higher is better; some rows are information only):
//   - both sides repeated (>= 2 runs each): "same" while |mean_B - mean_A| <= max(2 * sqrt(sd_A²/n_A +
//     sd_B²/n_B), 1% of mean_A) (within two standard errors of the run-to-run noise; the 1% floor
//     because latency figures are bucketed and identical runs would have no band), else
//     better / worse;
//   - otherwise no noise is known: "same" while |B/A - 1| <= tolerance (default 5%);
//   - counts of bad things (drops, overruns, lost) that are 0 on one side: any change is real.
#include <string>
#include <vector>

#include "report/metric_catalogue.hpp"
#include "report/run_folder.hpp"

namespace tickpath::report {

struct CompareRow {
  std::string metric;
  Better better = Better::lower;
  double a = 0, b = 0;          // means
  double a_sd = 0, b_sd = 0;    // sample standard deviation (0 for one run)
  std::size_t a_n = 0, b_n = 0; // runs that had the figure
  double ratio = 0;             // b / a; NaN when a == 0
  std::string verdict;          // better | worse | same | info
  std::string noise;            // how "same" was decided
};

struct KeyDiff {
  std::string key;  // e.g. config.ring.capacity
  std::string a, b; // "(absent)" when one side lacks it
};

struct Comparison {
  std::string a_path, b_path;
  std::size_t a_runs = 0, b_runs = 0;
  std::vector<CompareRow> rows;
  std::vector<KeyDiff> differences;
  double tolerance = 0.05;
};

[[nodiscard]] Comparison compare_runs(const RunSet& a, const RunSet& b, double tolerance = 0.05);
[[nodiscard]] std::string format_comparison(const Comparison& c);
// The table, the differing keys, and per stage both percentile curves overlaid (from latency.hlog,
// all runs of a side merged; a side without latency.hlog is left out of the plot and said so).
[[nodiscard]] std::string render_compare_html(const Comparison& c, const RunSet& a, const RunSet& b);

}  // namespace tickpath::report

#pragma once
// Reading run folders back: the data files one run wrote (summary.json, latency.hlog,
// timeline.csv), and folders that hold repeated runs (`tickpath run --repeat N` writes
// run-1 … run-N, each a normal run folder, beside aggregate.json, which is not read here).
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/hdr_histogram.hpp"
#include "report/timeline_csv.hpp"

namespace tickpath::report {

struct RunFolder {
  std::string path;
  nlohmann::json summary;
  std::vector<std::pair<std::string, HdrHistogram>> stages;  // whole run, from latency.hlog
  bool has_hlog = false;
  CsvTable timeline;
  bool has_timeline = false;
  // summary.json is the run journal's provisional one (the run was killed or is still running):
  // the logs were read up to its last interval only.
  bool provisional = false;
  // ingest.lines: the A/B skew's two tags of latency.hlog, kept out of `stages` (line_skew_files.hpp)
  std::vector<std::pair<std::string, HdrHistogram>> line_skew{};
};

enum class Need { everything, summary_only };

// An error names the file and what is wrong with it ("…/latency.hlog: line 7: histogram: …").
// With Need::summary_only, latency.hlog and timeline.csv are read when present.
[[nodiscard]] std::variant<RunFolder, std::string> load_run_folder(const std::string& dir, Need need = Need::everything);

struct RunSet {
  std::string path;
  std::vector<RunFolder> runs;  // one for a single run; run-1 … run-N in order otherwise
  bool repeated = false;
};

// summary.json at the top: a single run. Otherwise run-<n>/ subfolders (at least one).
[[nodiscard]] std::variant<RunSet, std::string> load_run_set(const std::string& dir);

// Reads a whole file; false when it cannot be opened or read.
[[nodiscard]] bool read_text_file(const std::string& path, std::string& out);

}  // namespace tickpath::report

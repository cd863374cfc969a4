#include "report/run_folder.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "report/hlog.hpp"
#include "report/line_skew_files.hpp"
#include "report/html_report.hpp"
#include "report/summary_check.hpp"

namespace tickpath::report {

namespace fs = std::filesystem;

bool read_text_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  out = ss.str();
  return true;
}

std::variant<RunFolder, std::string> load_run_folder(const std::string& dir, Need need) {
  RunFolder f;
  f.path = dir;
  const auto file = [&](const char* name) { return (fs::path(dir) / name).string(); };
  std::string text;
  if (!read_text_file(file("summary.json"), text)) {
    return fmt::format("{}: cannot read: {}", file("summary.json"), std::strerror(errno));
  }
  try {
    f.summary = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return fmt::format("{}: not valid JSON: {}", file("summary.json"), e.what());
  }
  if (auto e = summary_shape_error(f.summary)) return fmt::format("{}: {}", file("summary.json"), *e);
  // A provisional summary (the run journal's): the logs may hold one interval more than it counts
  // and, at worst, a line cut short; both are read up to the summary's last interval.
  const auto provisional = f.summary.find("provisional");
  std::optional<std::uint64_t> intervals;
  if (provisional != f.summary.end()) {
    const auto n = provisional->is_object() ? provisional->find("intervals") : provisional->end();
    if (n == provisional->end() || !n->is_number_unsigned()) {
      return fmt::format("{}: \"provisional\" has no \"intervals\" count", file("summary.json"));
    }
    intervals = n->get<std::uint64_t>();
    f.provisional = true;
  }
  const auto whole_lines = [&](std::string& t) {
    if (intervals) t.erase(t.rfind('\n') == std::string::npos ? 0 : t.rfind('\n') + 1);
  };
  const bool required = need == Need::everything;
  if (fs::exists(file("latency.hlog")) || required) {
    if (!read_text_file(file("latency.hlog"), text)) return fmt::format("{}: cannot read: {}", file("latency.hlog"), std::strerror(errno));
    whole_lines(text);
    auto totals = parse_hlog_totals(text, intervals);
    if (auto* e = std::get_if<std::string>(&totals)) return fmt::format("{}: {}", file("latency.hlog"), *e);
    f.stages = std::move(std::get<0>(totals));
    f.line_skew = take_line_skew(f.stages);
    f.has_hlog = true;
  }
  if (fs::exists(file("timeline.csv")) || required) {
    if (!read_text_file(file("timeline.csv"), text)) return fmt::format("{}: cannot read: {}", file("timeline.csv"), std::strerror(errno));
    whole_lines(text);
    auto table = parse_csv(text);
    if (auto* e = std::get_if<std::string>(&table)) return fmt::format("{}: {}", file("timeline.csv"), *e);
    f.timeline = std::move(std::get<CsvTable>(table));
    if (intervals && f.timeline.rows.size() > *intervals) f.timeline.rows.resize(static_cast<std::size_t>(*intervals));
    if (f.timeline.column("t_s") < 0 || f.timeline.column("events_per_s") < 0) {
      return fmt::format("{}: not a tickpath timeline (no t_s / events_per_s columns)", file("timeline.csv"));
    }
    if (auto e = timeline_number_error(f.timeline)) return fmt::format("{}: {}", file("timeline.csv"), *e);
    f.has_timeline = true;
  }
  return f;
}

std::variant<RunSet, std::string> load_run_set(const std::string& dir) {
  RunSet set;
  set.path = dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fmt::format("{}: not a folder", dir);
  if (fs::exists(fs::path(dir) / "summary.json")) {
    auto one = load_run_folder(dir, Need::summary_only);
    if (auto* e = std::get_if<std::string>(&one)) return *e;
    set.runs.push_back(std::move(std::get<RunFolder>(one)));
    return set;
  }
  std::vector<std::pair<int, std::string>> found;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !name.starts_with("run-")) continue;
    try {
      std::size_t used = 0;
      const int n = std::stoi(name.substr(4), &used);
      if (used == name.size() - 4 && n > 0) found.emplace_back(n, entry.path().string());
    } catch (const std::exception&) {
      // not run-<number>: not ours
    }
  }
  if (found.empty()) return fmt::format("{}: neither a run folder (no summary.json) nor repeated runs (no run-<n>/)", dir);
  std::sort(found.begin(), found.end());
  for (const auto& [n, path] : found) {
    auto one = load_run_folder(path, Need::summary_only);
    if (auto* e = std::get_if<std::string>(&one)) return *e;
    set.runs.push_back(std::move(std::get<RunFolder>(one)));
  }
  // compare merges a stage's histograms across the runs of a set: one stage, one geometry.
  for (std::size_t r = 1; r < set.runs.size(); ++r) {
    for (const auto& [stage, h] : set.runs[r].stages) {
      for (std::size_t earlier = 0; earlier < r; ++earlier) {
        for (const auto& [other_stage, other] : set.runs[earlier].stages) {
          if (other_stage != stage) continue;
          if (other.highest_trackable() != h.highest_trackable() || other.significant_digits() != h.significant_digits()) {
            return fmt::format("{}: stage \"{}\" has highest trackable {} with {} significant digits, {} has {} with {} "
                               "(the runs of one set must share a geometry)",
                               (fs::path(set.runs[r].path) / "latency.hlog").string(), stage, h.highest_trackable(),
                               h.significant_digits(), set.runs[earlier].path, other.highest_trackable(),
                               other.significant_digits());
          }
        }
      }
    }
  }
  set.repeated = true;
  return set;
}

}  // namespace tickpath::report

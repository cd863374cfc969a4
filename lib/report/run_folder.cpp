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
#include "report/html_report.hpp"

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
  if (!f.summary.is_object() || !f.summary.contains("events")) {
    return fmt::format("{}: not a tickpath summary (no \"events\" object)", file("summary.json"));
  }
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
    // Each interval adds one line per stage: the first `intervals` lines of every tag are the
    // summary's intervals.
    auto totals = stage_totals(text, intervals);
    if (auto* e = std::get_if<std::string>(&totals)) return fmt::format("{}: {}", file("latency.hlog"), *e);
    f.stages = std::move(std::get<StageTotals>(totals));
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
  set.repeated = true;
  return set;
}

}  // namespace tickpath::report

#include "report/timeline_csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <fmt/format.h>

namespace tickpath::report {
namespace {

using nlohmann::json;

// A timeline entry's figures of one stage (control_plane.cpp interval_entry), and so the CSV's
// columns <stage>_count, <stage>_p50_ns, ...: the same names in both.
constexpr const char* kTimelineStageFigures[] = {"count", "p50_ns", "p99_ns", "p99_9_ns", "max_ns"};

std::string num(const json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number()) return fmt::format("{:.3f}", v.get<double>());
  return "";
}

// Names stay as they are, except characters that would break a CSV cell.
std::string cell(std::string s) {
  for (char& c : s) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') c = '_';
  }
  return s;
}

}  // namespace

std::string render_timeline_csv(const json& timeline) {
  // Columns are the union over all rows, in order of first appearance: a consumer or stage that
  // appears late (or another helper's new stage) still gets its column.
  std::vector<std::string> consumers;
  std::vector<std::string> stages;
  for (const json& e : timeline) {
    const json overruns = e.value("overruns", json::object());
    const json latency = e.value("latency", json::object());
    for (const auto& [name, v] : overruns.items()) {
      if (std::find(consumers.begin(), consumers.end(), name) == consumers.end()) consumers.push_back(name);
    }
    for (const auto& [name, v] : latency.items()) {
      if (std::find(stages.begin(), stages.end(), name) == stages.end()) stages.push_back(name);
    }
  }
  // summary.json's objects are sorted by key; the end-to-end stage reads best first.
  std::stable_partition(stages.begin(), stages.end(), [](const std::string& s) { return s == "ingest_to_ack"; });
  std::string out = "t_s,interval_s,state,events,events_per_s,nic_missed,malformed,feed_gaps";
  for (const auto& c : consumers) out += std::string(",overruns_") + cell(c);
  out += ",failures";
  for (const auto& s : stages) {
    for (const char* f : kTimelineStageFigures) out += fmt::format(",{}_{}", cell(s), f);
  }
  out += '\n';
  double previous_t = 0;
  for (const json& e : timeline) {
    const double t = e.value("t_s", 0.0);
    out += fmt::format("{:.3f},{:.3f},{},{},{},{},{},{}", t, e.value("interval_s", t - previous_t),
                       cell(e.value("state", std::string())), num(e.value("events", json(0))),
                       num(e.value("events_per_s", json(0.0))), num(e.value("nic_missed", json(0))),
                       num(e.value("malformed", json(0))), num(e.value("feed_gaps", json(0))));
    previous_t = t;
    const json overruns = e.value("overruns", json::object());
    for (const auto& c : consumers) out += std::string(",") + num(overruns.value(c, json(0)));
    std::string failures;
    const json active = e.value("active_failures", json::array());
    for (const json& f : active) {
      if (!failures.empty()) failures += '+';
      failures += cell(f.get<std::string>());
    }
    out += std::string(",") + failures;
    const json latency = e.value("latency", json::object());
    for (const auto& s : stages) {
      const json l = latency.value(s, json::object());
      for (const char* f : kTimelineStageFigures) out += std::string(",") + num(l.value(f, json(0)));
    }
    out += '\n';
  }
  return out;
}

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

double CsvTable::number(std::size_t row, std::string_view name) const {
  const int c = column(name);
  if (c < 0 || row >= rows.size()) return 0.0;
  return std::strtod(rows[row][static_cast<std::size_t>(c)].c_str(), nullptr);
}

std::string CsvTable::text(std::size_t row, std::string_view name) const {
  const int c = column(name);
  if (c < 0 || row >= rows.size()) return {};
  return rows[row][static_cast<std::size_t>(c)];
}

std::variant<CsvTable, std::string> parse_csv(std::string_view text) {
  CsvTable t;
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  const auto split = [](const std::string& l) {
    std::vector<std::string> cells;
    std::string c;
    std::istringstream ls(l);
    while (std::getline(ls, c, ',')) cells.push_back(c);
    if (!l.empty() && l.back() == ',') cells.emplace_back();
    return cells;
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (t.header.empty()) {
      t.header = split(line);
      continue;
    }
    auto cells = split(line);
    if (cells.size() != t.header.size()) {
      return fmt::format("line {}: {} cells, the header has {}", number, cells.size(), t.header.size());
    }
    t.rows.push_back(std::move(cells));
  }
  if (t.header.empty()) return std::string("empty: no header line");
  return t;
}

std::optional<std::string> timeline_number_error(const CsvTable& t) {
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    if (t.header[c] == "state" || t.header[c] == "failures") continue;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const std::string& cell = t.rows[r][c];
      if (cell.empty()) continue;
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (end != cell.c_str() + cell.size() || !std::isfinite(v)) {
        return fmt::format("row {}, column {}: \"{}\" is not a finite number", r + 1, t.header[c], cell);
      }
    }
  }
  return std::nullopt;
}

}  // namespace tickpath::report

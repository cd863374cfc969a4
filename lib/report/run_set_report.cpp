#include "report/run_set_report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "report/html_report.hpp"
#include "report/metric_catalogue.hpp"
#include "report/number_format.hpp"
#include "report/svg_chart.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

// A catalogue figure in a table cell: latencies with their unit, everything else as a rate/count.
std::string show(std::string_view metric, double v) {
  const MetricInfo* info = find_metric(metric);
  return info != nullptr && info->unit == Unit::ns ? format_ns(v) : format_rate(v);
}

// The sweep's figures, in order, and how its CSV and table title them.
struct Column {
  const char* metric;
  const char* csv;
  const char* title;
};
constexpr Column kColumns[] = {
    {"throughput.events_per_s", "events_per_s", "events/s"},
    {"drops.total", "drops", "drops"},
    {"latency.ingest_to_ack.p50_ns", "p50_ns", "p50"},
    {"latency.ingest_to_ack.p99_ns", "p99_ns", "p99"},
    {"latency.ingest_to_ack.p99_9_ns", "p99_9_ns", "p99.9"},
    {"latency.ingest_to_ack.max_ns", "max_ns", "max"},
};

// The repeat table's rows.
constexpr const char* kRepeatRows[] = {"throughput.events_per_s",      "drops.total",
                                       "consumers.analytics.lost",     "latency.ingest_to_ack.p50_ns",
                                       "latency.ingest_to_ack.p99_ns", "latency.ingest_to_ack.p99_9_ns",
                                       "latency.ingest_to_ack.max_ns", "floor.jitter_max_ns",
                                       "floor.c2c_ns"};

constexpr const char* kSweepNote =
    "mean across repeats ±sample stddev as % of the mean; latency is ingest_to_ack; drops: NIC + decoder + "
    "execution consumer losses";

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// "2.41us ±11%": the mean across repeats and the relative sample standard deviation.
std::string cell(const json& agg, const Column& c) {
  if (!agg.contains(c.metric)) return "-";
  const json& a = agg[c.metric];
  const double mean = a["mean"].get<double>();
  const std::string value = show(c.metric, mean);
  if (a["n"].get<int>() < 2 || mean == 0) return value;
  return fmt::format("{} ±{:.0f}%", value, 100.0 * a["stddev"].get<double>() / mean);
}

json settings_of(const SweepResult& s, const SweepCombination& c) {
  json settings = json::object();
  for (std::size_t k = 0; k < s.keys.size() && k < c.shown.size(); ++k) settings[s.keys[k].key] = c.shown[k];
  return settings;
}

}  // namespace

json aggregate_metrics(const std::vector<RunRecord>& runs) {
  std::map<std::string, std::vector<double>> values;
  for (const RunRecord& r : runs) {
    if (!r.completed) continue;
    for (const auto& [name, v] : r.metrics.items()) {
      if (v.is_number()) values[name].push_back(v.get<double>());
    }
  }
  json out = json::object();
  for (const auto& [name, v] : values) {
    double sum = 0;
    for (double x : v) sum += x;
    const double mean = sum / static_cast<double>(v.size());
    double sq = 0;
    for (double x : v) sq += (x - mean) * (x - mean);
    const double stddev = v.size() > 1 ? std::sqrt(sq / static_cast<double>(v.size() - 1)) : 0.0;
    out[name] = {{"n", v.size()},
                 {"mean", mean},
                 {"min", *std::min_element(v.begin(), v.end())},
                 {"max", *std::max_element(v.begin(), v.end())},
                 {"stddev", stddev},
                 {"values", v}};
  }
  return out;
}

int completed_runs(const std::vector<RunRecord>& runs) {
  return static_cast<int>(std::count_if(runs.begin(), runs.end(), [](const RunRecord& r) { return r.completed; }));
}

json aggregate_document(int runs_planned, const std::vector<RunRecord>& runs, const std::string& interrupted_by) {
  json list = json::array();
  for (const RunRecord& r : runs) {
    list.push_back({{"name", r.name}, {"folder", r.folder}, {"exit_code", r.exit_code}, {"completed", r.completed}});
  }
  return {{"runs_planned", runs_planned},
          {"runs_completed", completed_runs(runs)},
          {"interrupted_by", interrupted_by},
          {"runs", list},
          {"metrics", aggregate_metrics(runs)}};
}

std::string format_run_line(const std::string& where, const std::string& label, const RunRecord& r) {
  const std::string name = label.empty() ? r.name : label + " " + r.name;
  if (!r.completed && r.exit_code == 0) return fmt::format("{}{}: stopped by a signal (folder kept, not aggregated)", where, name);
  if (!r.completed) return fmt::format("{}{}: failed (exit code {}), output in {}/output.log", where, name, r.exit_code, r.folder);
  const json& m = r.metrics;
  std::string line = fmt::format("{}{}: events/s {}", where, name, format_rate(m.value("throughput.events_per_s", 0.0)));
  if (m.contains("latency.ingest_to_ack.p50_ns") && m.contains("latency.ingest_to_ack.p99_ns")) {
    line += fmt::format("  ingest_to_ack p50 {} p99 {}", format_ns(m["latency.ingest_to_ack.p50_ns"].get<double>()),
                        format_ns(m["latency.ingest_to_ack.p99_ns"].get<double>()));
  }
  return line;
}

std::string format_repeat_table(const std::vector<RunRecord>& runs, int repeat) {
  const json agg = aggregate_metrics(runs);
  std::string out = fmt::format("\n{:=^78}\n", fmt::format(" tickpath run --repeat {} ", repeat));
  out += fmt::format("{} of {} runs completed\n", completed_runs(runs), repeat);
  out += fmt::format("{:<34}{:>12}{:>12}{:>10}{:>12}{:>12}\n", "metric", "mean", "stddev", "sd/mean", "min", "max");
  for (const char* name : kRepeatRows) {
    if (!agg.contains(name)) continue;
    const json& a = agg[name];
    const double mean = a["mean"].get<double>();
    const double sd = a["stddev"].get<double>();
    out += fmt::format("{:<34}{:>12}{:>12}{:>9.1f}%{:>12}{:>12}\n", name, show(name, mean), show(name, sd),
                       mean != 0 ? 100.0 * sd / mean : 0.0, show(name, a["min"].get<double>()), show(name, a["max"].get<double>()));
  }
  return out;
}

std::string sweep_csv(const SweepResult& s) {
  std::ostringstream csv;
  csv << "combination";
  for (const SweepKey& k : s.keys) csv << ',' << csv_field(k.key);
  csv << ",repeat,exit_code,completed";
  for (const Column& c : kColumns) csv << ',' << c.csv;
  csv << ",lost_analytics,folder\n";
  for (const SweepCombination& c : s.combinations) {
    for (std::size_t i = 0; i < c.runs.size(); ++i) {
      const RunRecord& r = c.runs[i];
      csv << csv_field(c.name);
      for (const std::string& v : c.shown) csv << ',' << csv_field(v);
      csv << ',' << i + 1 << ',' << r.exit_code << ',' << (r.completed ? "true" : "false");
      for (const char* metric : {kColumns[0].metric, kColumns[1].metric, kColumns[2].metric, kColumns[3].metric,
                                 kColumns[4].metric, kColumns[5].metric, "consumers.analytics.lost"}) {
        csv << ',';
        if (r.metrics.contains(metric) && r.metrics[metric].is_number()) csv << fmt::format("{}", r.metrics[metric].get<double>());
      }
      csv << ',' << csv_field(r.folder) << '\n';
    }
  }
  return csv.str();
}

json sweep_json(const SweepResult& s) {
  json runs = json::array();
  json combos = json::array();
  int completed = 0;
  for (const SweepCombination& c : s.combinations) {
    const json settings = settings_of(s, c);
    for (std::size_t i = 0; i < c.runs.size(); ++i) {
      const RunRecord& r = c.runs[i];
      runs.push_back({{"combination", c.name}, {"settings", settings}, {"repeat", i + 1}, {"folder", r.folder},
                      {"exit_code", r.exit_code}, {"completed", r.completed}, {"metrics", r.metrics}});
    }
    completed += completed_runs(c.runs);
    combos.push_back({{"name", c.name}, {"settings", settings}, {"folder", c.folder},
                      {"runs_completed", completed_runs(c.runs)}, {"metrics", aggregate_metrics(c.runs)}});
  }
  json vary = json::object();
  for (const SweepKey& k : s.keys) vary[k.key] = k.values;
  return {{"vary", vary},
          {"repeat", s.repeat},
          {"runs_planned", s.runs_planned},
          {"runs_completed", completed},
          {"interrupted_by", s.interrupted_by},
          {"combinations", combos},
          {"runs", runs}};
}

std::string format_sweep_table(const SweepResult& s) {
  std::vector<std::size_t> widths;
  for (const SweepKey& k : s.keys) {
    std::size_t w = k.key.size();
    for (const std::string& v : k.values) w = std::max(w, v.size());
    widths.push_back(w + 2);
  }
  std::string out;
  for (std::size_t k = 0; k < s.keys.size(); ++k) out += fmt::format("{:<{}}", s.keys[k].key, widths[k]);
  out += fmt::format("{:>6}", "runs");
  for (const Column& c : kColumns) out += fmt::format("{:>15}", c.title);
  out += "\n";
  for (const SweepCombination& c : s.combinations) {
    for (std::size_t k = 0; k < s.keys.size() && k < c.shown.size(); ++k) out += fmt::format("{:<{}}", c.shown[k], widths[k]);
    out += fmt::format("{:>6}", fmt::format("{}/{}", completed_runs(c.runs), s.repeat));
    const json agg = aggregate_metrics(c.runs);
    for (const Column& col : kColumns) out += fmt::format("{:>15}", cell(agg, col));
    out += "\n";
  }
  return out + fmt::format("({})\n", kSweepNote);
}

std::string render_sweep_html(const std::string& dir, const SweepResult& s) {
  std::string body = "<h1>tickpath sweep</h1>\n<table>\n<tr>";
  for (const SweepKey& k : s.keys) body += "<th>" + html_escape(k.key) + "</th>";
  body += "<th>runs</th>";
  for (const Column& c : kColumns) body += "<th>" + html_escape(c.title) + "</th>";
  body += "<th>reports</th></tr>\n";
  for (const SweepCombination& c : s.combinations) {
    body += "<tr>";
    for (const std::string& shown : c.shown) body += "<td>" + html_escape(shown) + "</td>";
    std::string links;
    for (std::size_t i = 0; i < c.runs.size(); ++i) {
      const std::string rel = std::filesystem::path(c.runs[i].folder).lexically_relative(dir).generic_string();
      links += fmt::format(" <a href=\"{}/report.html\">{}</a>", html_escape(rel), i + 1);
    }
    body += fmt::format("<td>{}/{}</td>", completed_runs(c.runs), s.repeat);
    const json agg = aggregate_metrics(c.runs);
    for (const Column& col : kColumns) body += "<td>" + html_escape(cell(agg, col)) + "</td>";
    body += "<td>" + links + "</td></tr>\n";
  }
  body += "</table>\n<p>Mean across repeats ±sample stddev as % of the mean; latency is ingest_to_ack; drops: NIC + "
          "decoder + execution consumer losses.</p>\n";
  if (!s.interrupted_by.empty()) body += "<p>Stopped by " + html_escape(s.interrupted_by) + ": only the runs above finished.</p>\n";
  return html_page("tickpath sweep", body);
}

}  // namespace tickpath::report

#include "apps/tickpath/sweep_command.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <variant>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "apps/tickpath/child_run.hpp"
#include "apps/tickpath/live_stats.hpp"
#include "apps/tickpath/report_dir.hpp"
#include "apps/tickpath/run_files.hpp"
#include "apps/tickpath/run_set.hpp"
#include "apps/tickpath/settings.hpp"
#include "config/config.hpp"
#include "report/html_report.hpp"
#include "report/svg_chart.hpp"

namespace tickpath::app {
namespace {

using nlohmann::json;

struct VaryValue {
  std::string shown;  // as the user wrote it, without quotes: labels, folder names, the table
  std::string toml;   // as passed to the child: --set key=<toml>
};

struct Vary {
  std::string key;
  std::vector<VaryValue> values;
};

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

// "a,b" -> {a, b}; a comma inside double quotes belongs to the value: "\"x,y\",z" -> {"x,y", z}.
std::vector<std::string> split_values(std::string_view list) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (c == '\\' && quoted && i + 1 < list.size()) {
      current += c;
      current += list[++i];
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      out.push_back(trim(current));
      current.clear();
      continue;
    }
    current += c;
  }
  out.push_back(trim(current));
  return out;
}

// The key's type decides the quoting: a string key gets a TOML basic string (JSON's escaping is
// a subset of TOML's), so `--vary cores.idle=spin,pause` and `--vary port.vdev=net_null0` need no
// shell-level quotes; numbers, booleans and arrays pass through as written.
std::variant<Vary, std::string> parse_vary(const std::string& text, const json& defaults) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos) return fmt::format("--vary {}: expected key=v1,v2,...", text);
  Vary v;
  v.key = trim(std::string_view(text).substr(0, eq));
  const auto dot = v.key.find('.');
  const std::vector<std::string> known = config::known_keys();
  if (dot == std::string::npos || std::find(known.begin(), known.end(), v.key) == known.end()) {
    return fmt::format("--vary: unknown key '{}'", v.key);
  }
  const json& def = defaults[v.key.substr(0, dot)][v.key.substr(dot + 1)];
  for (const std::string& raw : split_values(std::string_view(text).substr(eq + 1))) {
    if (raw.empty()) return fmt::format("--vary {}: an empty value", text);
    VaryValue value;
    const bool is_quoted = raw.size() >= 2 && raw.front() == '"' && raw.back() == '"';
    if (def.is_string()) {
      value.shown = is_quoted ? json::parse(raw, nullptr, false).is_string() ? json::parse(raw).get<std::string>()
                                                                            : raw.substr(1, raw.size() - 2)
                              : raw;
      value.toml = json(value.shown).dump();
    } else {
      value.shown = raw;
      value.toml = raw;
    }
    for (const VaryValue& seen : v.values) {
      if (seen.toml == value.toml) return fmt::format("--vary {}: '{}' is listed twice", v.key, value.shown);
    }
    v.values.push_back(value);
  }
  return v;
}

struct Combination {
  std::string name;                // "ingest.burst=8,ring.capacity=4096"
  std::vector<std::string> shown;  // one per varied key
  std::vector<std::string> sets;   // "key=<toml>"
};

std::vector<Combination> cartesian(const std::vector<Vary>& varies) {
  std::vector<Combination> out{Combination{}};
  for (const Vary& v : varies) {
    std::vector<Combination> next;
    for (const Combination& c : out) {
      for (const VaryValue& value : v.values) {
        Combination n = c;
        n.name += fmt::format("{}{}={}", n.name.empty() ? "" : ",", v.key, value.shown);
        n.shown.push_back(value.shown);
        n.sets.push_back(v.key + "=" + value.toml);
        next.push_back(std::move(n));
      }
    }
    out = std::move(next);
  }
  return out;
}

// A folder name from a combination name: no separators, no blanks.
std::string folder_name(std::string name) {
  for (char& c : name) {
    if (c == '/' || c == ' ' || c == '\t' || c == '"' || c == '\'') c = '_';
  }
  return name.size() > 200 ? name.substr(0, 200) : name;
}

struct Done {
  const Combination* combination;
  std::string folder;
  RunSetOutcome outcome;
};

// The CSV's figures, in order, and how the table shows them.
struct Column {
  const char* metric;
  const char* csv;
  const char* title;
  bool ns;
};
constexpr Column kColumns[] = {
    {"throughput.events_per_s", "events_per_s", "events/s", false},
    {"drops.total", "drops", "drops", false},
    {"latency_ns.ingest_to_ack.p50", "p50_ns", "p50", true},
    {"latency_ns.ingest_to_ack.p99", "p99_ns", "p99", true},
    {"latency_ns.ingest_to_ack.p99_9", "p99_9_ns", "p99.9", true},
    {"latency_ns.ingest_to_ack.max", "max_ns", "max", true},
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void write_outputs(const std::string& dir, const std::vector<Vary>& varies, int repeat, std::size_t planned,
                   const std::vector<Done>& done, int signal) {
  std::ostringstream csv;
  csv << "combination";
  for (const Vary& v : varies) csv << ',' << csv_field(v.key);
  csv << ",repeat,exit_code,completed";
  for (const Column& c : kColumns) csv << ',' << c.csv;
  csv << ",lost_analytics,folder\n";

  json runs = json::array();
  json combos = json::array();
  int completed = 0;
  for (const Done& d : done) {
    json settings = json::object();
    for (std::size_t k = 0; k < varies.size(); ++k) settings[varies[k].key] = d.combination->shown[k];
    int combo_completed = 0;
    for (std::size_t i = 0; i < d.outcome.runs.size(); ++i) {
      const RunRecord& r = d.outcome.runs[i];
      combo_completed += r.completed ? 1 : 0;
      csv << csv_field(d.combination->name);
      for (const std::string& s : d.combination->shown) csv << ',' << csv_field(s);
      csv << ',' << i + 1 << ',' << r.exit_code << ',' << (r.completed ? "true" : "false");
      for (const Column& c : kColumns) {
        csv << ',';
        if (r.metrics.contains(c.metric)) csv << fmt::format("{}", r.metrics[c.metric].get<double>());
      }
      csv << ',';
      if (r.metrics.contains("lost.analytics")) csv << fmt::format("{}", r.metrics["lost.analytics"].get<double>());
      csv << ',' << csv_field(r.folder) << '\n';
      runs.push_back({{"combination", d.combination->name}, {"settings", settings}, {"repeat", i + 1},
                      {"folder", r.folder}, {"exit_code", r.exit_code}, {"completed", r.completed},
                      {"metrics", r.metrics}});
    }
    completed += combo_completed;
    combos.push_back({{"name", d.combination->name}, {"settings", settings}, {"folder", d.folder},
                      {"runs_completed", combo_completed}, {"metrics", aggregate_metrics(d.outcome.runs)}});
  }
  json vary = json::object();
  for (const Vary& v : varies) {
    json values = json::array();
    for (const VaryValue& value : v.values) values.push_back(value.shown);
    vary[v.key] = values;
  }
  const json sweep{{"vary", vary},
                   {"repeat", repeat},
                   {"runs_planned", planned},
                   {"runs_completed", completed},
                   {"interrupted_by", signal_name(signal)},
                   {"combinations", combos},
                   {"runs", runs}};
  // Through the run folder's writer (io_uring), like a run's own files.
  const RunFilesResult written =
      write_run_files(dir, {RunFile{"sweep.csv", csv.str()}, RunFile{"sweep.json", sweep.dump(2) + "\n"}});
  print_report_errors(written.errors);
}

// "2.41us ±11%": the mean across repeats and the relative sample standard deviation.
std::string cell(const json& agg, const Column& c) {
  if (!agg.contains(c.metric)) return "-";
  const json& a = agg[c.metric];
  const double mean = a["mean"].get<double>();
  const std::string value = c.ns ? format_ns(mean) : format_rate(mean);
  if (a["n"].get<int>() < 2 || mean == 0) return value;
  const double rel = mean != 0 ? 100.0 * a["stddev"].get<double>() / mean : 0.0;
  return fmt::format("{} ±{:.0f}%", value, rel);
}

std::string format_table(const std::vector<Vary>& varies, int repeat, const std::vector<Done>& done) {
  std::vector<std::size_t> widths;
  for (const Vary& v : varies) {
    std::size_t w = v.key.size();
    for (const VaryValue& value : v.values) w = std::max(w, value.shown.size());
    widths.push_back(w + 2);
  }
  std::string out;
  for (std::size_t k = 0; k < varies.size(); ++k) out += fmt::format("{:<{}}", varies[k].key, widths[k]);
  out += fmt::format("{:>6}", "runs");
  for (const Column& c : kColumns) out += fmt::format("{:>15}", c.title);
  out += "\n";
  for (const Done& d : done) {
    for (std::size_t k = 0; k < varies.size(); ++k) out += fmt::format("{:<{}}", d.combination->shown[k], widths[k]);
    int completed = 0;
    for (const RunRecord& r : d.outcome.runs) completed += r.completed ? 1 : 0;
    out += fmt::format("{:>6}", fmt::format("{}/{}", completed, repeat));
    const json agg = aggregate_metrics(d.outcome.runs);
    for (const Column& c : kColumns) out += fmt::format("{:>15}", cell(agg, c));
    out += "\n";
  }
  out += "(mean across repeats ±sample stddev as % of the mean; latency is ingest_to_ack; drops: NIC + decoder + "
         "execution consumer losses)\n";
  return out;
}

// sweep.html: the same table as the terminal's, one row per combination, each run linked to its
// own report.html (relative links: the sweep folder can be moved or archived whole).
std::string render_sweep_html(const std::string& dir, const std::vector<Vary>& varies, int repeat,
                              const std::vector<Done>& done, int signal) {
  std::string body = "<h1>tickpath sweep</h1>\n<table>\n<tr>";
  for (const Vary& v : varies) body += "<th>" + report::html_escape(v.key) + "</th>";
  body += "<th>runs</th>";
  for (const Column& c : kColumns) body += "<th>" + report::html_escape(c.title) + "</th>";
  body += "<th>reports</th></tr>\n";
  for (const Done& d : done) {
    body += "<tr>";
    for (const std::string& shown : d.combination->shown) body += "<td>" + report::html_escape(shown) + "</td>";
    int completed = 0;
    std::string links;
    for (std::size_t i = 0; i < d.outcome.runs.size(); ++i) {
      const RunRecord& r = d.outcome.runs[i];
      completed += r.completed ? 1 : 0;
      const std::string rel = std::filesystem::path(r.folder).lexically_relative(dir).generic_string();
      links += fmt::format(" <a href=\"{}/report.html\">{}</a>", report::html_escape(rel), i + 1);
    }
    body += fmt::format("<td>{}/{}</td>", completed, repeat);
    const json agg = aggregate_metrics(d.outcome.runs);
    for (const Column& c : kColumns) body += "<td>" + report::html_escape(cell(agg, c)) + "</td>";
    body += "<td>" + links + "</td></tr>\n";
  }
  body += "</table>\n<p>Mean across repeats ±sample stddev as % of the mean; latency is ingest_to_ack; drops: NIC + "
          "decoder + execution consumer losses.</p>\n";
  if (signal != 0) body += "<p>Stopped by " + report::html_escape(signal_name(signal)) + ": only the runs above finished.</p>\n";
  return report::html_page("tickpath sweep", body);
}

}  // namespace

int sweep_command(const SweepOptions& o) {
  const auto bad = [](const std::string& message) {
    fmt::print(stderr, "tickpath: sweep: {}\n", message);
    return 2;
  };
  if (o.vary.empty()) return bad("give at least one --vary key=v1,v2,...");
  if (o.repeat < 1) return bad(fmt::format("--repeat {}: must be at least 1", o.repeat));

  // 1. Parse --vary against the config schema (types decide the quoting).
  const config::LoadResult defaults = config::load_config("", {});
  const json default_json = config::to_json(std::get<config::Config>(defaults));
  std::vector<Vary> varies;
  for (const std::string& text : o.vary) {
    auto parsed = parse_vary(text, default_json);
    if (auto* error = std::get_if<std::string>(&parsed)) return bad(*error);
    Vary v = std::get<Vary>(parsed);
    for (const Vary& seen : varies) {
      if (seen.key == v.key) return bad(fmt::format("--vary {} is given twice: list all its values in one --vary", v.key));
    }
    for (const std::string& s : o.overrides) {
      if (trim(std::string_view(s).substr(0, s.find('='))) == v.key) {
        return bad(fmt::format("{} is both --set and --vary: keep one", v.key));
      }
    }
    varies.push_back(std::move(v));
  }
  const std::vector<Combination> combinations = cartesian(varies);

  // 2. Validate every combination as its child would, before starting any.
  RunOptions base;
  base.config_path = o.config_path;
  base.duration_s = o.duration_s;
  base.events = o.events;
  base.rate_pps = o.rate_pps;
  base.report_dir = o.report_dir;
  std::string parent;
  for (const Combination& c : combinations) {
    RunOptions run = base;
    run.overrides = o.overrides;
    run.overrides.insert(run.overrides.end(), c.sets.begin(), c.sets.end());
    auto resolved = resolve_settings(run.config_path, run.overrides, &run);
    if (auto* error = std::get_if<std::string>(&resolved)) return bad(fmt::format("{}: {}", c.name, *error));
    parent = std::get<AppSettings>(resolved).report_dir;
  }
  const ReportDir sweep_dir = make_report_dir(parent);
  if (!sweep_dir.error.empty()) {
    fmt::print(stderr, "tickpath: sweep: {}\n", sweep_dir.error);
    return 2;  // a folder the operator named: bad input
  }

  const std::size_t planned = combinations.size() * static_cast<std::size_t>(o.repeat);
  fmt::print("sweep: {} combination(s) x {} repeat(s) = {} runs into {}\n", combinations.size(), o.repeat, planned,
             sweep_dir.path);
  std::fflush(stdout);

  // 3. Run them, one set per combination, sequentially (one EAL at a time: the user's
  //    eal.file_prefix / http.listen, if set, reach every child unchanged through --set).
  ChildSignals::install();
  std::vector<Done> done;
  int progress = 0;
  int signal = 0;
  bool bad_input = false;
  bool any_failed = false;
  for (const Combination& c : combinations) {
    if (ChildSignals::received() != 0) break;
    RunOptions run = base;
    run.report_dir.reset();
    run.overrides = o.overrides;
    run.overrides.insert(run.overrides.end(), c.sets.begin(), c.sets.end());
    RunSetPlan plan;
    plan.child_args = child_run_args(run);
    plan.eal_extra = o.eal_extra;
    plan.repeat = o.repeat;
    plan.folder = sweep_dir.path + "/" + folder_name(c.name);
    plan.echo = false;
    plan.label = c.name;
    plan.progress_done = &progress;
    plan.progress_total = static_cast<int>(planned);
    std::error_code ec;
    std::filesystem::create_directories(plan.folder, ec);
    done.push_back({&c, plan.folder, run_set(plan)});
    const RunSetOutcome& out = done.back().outcome;
    write_outputs(sweep_dir.path, varies, o.repeat, planned, done, out.signal);
    signal = out.signal;
    bad_input |= out.bad_input;
    any_failed |= out.any_failed;
    if (signal != 0 || bad_input) break;
  }
  if (signal == 0) signal = ChildSignals::received();
  ChildSignals::uninstall();
  write_outputs(sweep_dir.path, varies, o.repeat, planned, done, signal);
  const RunFilesResult page =
      write_run_files(sweep_dir.path, {RunFile{"sweep.html", render_sweep_html(sweep_dir.path, varies, o.repeat, done, signal)}});
  print_report_errors(page.errors);

  int completed = 0;
  for (const Done& d : done) {
    for (const RunRecord& r : d.outcome.runs) completed += r.completed ? 1 : 0;
  }
  fmt::print("\n{:=^78}\n", " tickpath sweep ");
  fmt::print("{}", format_table(varies, o.repeat, done));
  if (signal != 0) {
    fmt::print("sweep stopped by {}: {} of {} runs completed and kept (sweep.csv, sweep.json cover them)\n",
               signal_name(signal), completed, planned);
  }
  fmt::print("report: {}\n", sweep_dir.path);
  std::fflush(stdout);
  if (signal != 0) return 128 + signal;
  if (bad_input) return 2;
  return any_failed ? 1 : 0;
}

}  // namespace tickpath::app

#include "report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "report/hlog.hpp"
#include "report/line_skew_files.hpp"
#include "report/number_format.hpp"
#include "report/run_summary.hpp"
#include "report/svg_chart.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

constexpr const char* kStyle = R"(
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2937;margin:0;background:#f3f4f6}
main{max-width:1340px;margin:0 auto;padding:20px 28px 40px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 10px;border-bottom:2px solid #d1d5db;padding-bottom:4px}
.sub{color:#4b5563;margin-bottom:14px} .mono,td.num{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px}
.card .k{font-size:12px;color:#6b7280;text-transform:uppercase;letter-spacing:.03em} .card .v{font-size:20px;font-weight:600}
.card.bad .v{color:#b91c1c} .card.good .v{color:#15803d}
.incomplete{border:2px solid #b91c1c;background:#fef2f2;padding:.6em 1em;margin:1em 0}
table{border-collapse:collapse;background:#fff;border:1px solid #e5e7eb;margin:4px 0 8px}
th,td{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top} th{background:#f9fafb;font-weight:600}
td.num,th.num{text-align:right}
.grid2{display:grid;grid-template-columns:repeat(auto-fill,minmax(650px,1fr));gap:12px}
figure{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:6px}
svg.chart{display:block;max-width:100%;height:auto}
.ctitle{font-size:14px;font-weight:600;fill:#111827} .legend,.xlabel,.ylabel,.axis,.maxlabel,.bandlabel{font-size:11px;fill:#4b5563}
.ylabel{text-anchor:end} .xlabel,.axis{text-anchor:middle} .empty{font-size:13px;fill:#9ca3af;text-anchor:middle}
.grid{stroke:#e5e7eb;stroke-width:1} .grid.minor{stroke:#f3f4f6} .curve{fill:none;stroke-width:2} .maxline{stroke-width:1;stroke-dasharray:5 4}
.failure{fill:rgba(220,38,38,.10);stroke:#dc2626;stroke-width:1.2;stroke-dasharray:4 3} .failtext{fill:#b91c1c;font-weight:600}
.swatch{display:inline-block;width:12px;height:12px;border:1px solid #9ca3af;vertical-align:-2px;margin:0 4px 0 12px}
.note{color:#6b7280;font-size:12px} .better{color:#15803d;font-weight:600} .worse{color:#b91c1c;font-weight:600} .same{color:#4b5563}
.cols{display:flex;flex-wrap:wrap;gap:24px} .cols>div{flex:1 1 420px}
)";

const std::map<std::string, std::string>& state_colors() {
  static const std::map<std::string, std::string> colors{
      {"INIT", "#e5e7eb"}, {"WARMUP", "#fde68a"}, {"READY", "#dcfce7"}, {"DEGRADED", "#fecaca"}};
  return colors;
}

std::string state_color(const std::string& state) {
  const auto it = state_colors().find(state);
  return it == state_colors().end() ? "#f3f4f6" : it->second;
}

const std::vector<std::string>& palette() {
  static const std::vector<std::string> p{"#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d"};
  return p;
}

std::string u64(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? fmt::format("{}", j[key].get<std::uint64_t>()) : "–";
}

std::string card(std::string_view key, std::string_view value, std::string_view cls = "") {
  return fmt::format("<div class=\"card {}\"><div class=\"k\">{}</div><div class=\"v\">{}</div></div>\n", cls,
                     html_escape(key), html_escape(value));
}

std::string scalar(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// Flattened key = value rows: "/ring/capacity" → "ring.capacity".
std::string kv_table(const json& object) {
  // An empty object (a summary whose `config` or a section of it is {}) has nothing to list;
  // flatten() of it is {"": null}, whose key has no leading '/' to cut (out_of_range before).
  if (!object.is_object() || object.empty()) return "<p class=\"note\">not recorded</p>\n";
  std::string out = "<table class=\"kv\">\n";
  const json flat = object.flatten();  // items() of a temporary would dangle
  for (const auto& [path, value] : flat.items()) {
    if (path.empty()) continue;  // flatten() of an empty object is {"": null}: no key to show
    std::string key = path.substr(1);
    std::replace(key.begin(), key.end(), '/', '.');
    out += fmt::format("<tr><th class=\"mono\">{}</th><td class=\"mono\">{}</td></tr>\n", html_escape(key), html_escape(scalar(value)));
  }
  return out + "</table>\n";
}

std::string latency_table(const std::vector<std::pair<std::string, HdrHistogram>>& stages) {
  std::string out =
      "<table><tr><th>stage</th><th class=\"num\">count</th><th class=\"num\">min</th><th class=\"num\">p50</th>"
      "<th class=\"num\">p90</th><th class=\"num\">p99</th><th class=\"num\">p99.9</th><th class=\"num\">p99.99</th>"
      "<th class=\"num\">max</th><th class=\"num\">mean</th></tr>\n";
  for (const auto& [name, h] : stages) {
    out += fmt::format("<tr><th class=\"mono\">{}</th><td class=\"num\">{}</td>", html_escape(name), h.total_count());
    out += fmt::format("<td class=\"num\">{}</td>", format_ns(static_cast<double>(h.min()), UnitStyle::page));
    for (double p : {50.0, 90.0, 99.0, 99.9, 99.99}) {
      out += fmt::format("<td class=\"num\">{}</td>", format_ns(static_cast<double>(h.value_at_percentile(p)), UnitStyle::page));
    }
    out += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       format_ns(static_cast<double>(h.max()), UnitStyle::page), format_ns(h.mean(), UnitStyle::page));
  }
  return out + "</table>\n";
}

// Lifecycle states as bands, from the exact transition times in summary.json.
std::vector<Band> state_bands(const json& summary) {
  std::vector<Band> bands;
  const double end = summary.value("duration_s", 0.0);
  double from = 0;
  std::string state = "INIT";
  if (summary.contains("lifecycle")) {
    for (const json& t : summary["lifecycle"].value("transitions", json::array())) {
      const double at = t.value("t_s", 0.0);
      if (at > from) bands.push_back({from, at, state_color(state), state});
      from = std::max(from, at);
      state = t.value("to", state);
    }
  }
  if (end > from) bands.push_back({from, end, state_color(state), state});
  return bands;
}

// The time at which the run had published `events`, by linear interpolation over the timeline.
double time_of_event(const CsvTable& tl, double events) {
  double t0 = 0;
  double cumulative = 0;
  for (std::size_t i = 0; i < tl.rows.size(); ++i) {
    const double n = tl.number(i, "events");
    const double t1 = tl.number(i, "t_s");
    if (cumulative + n >= events && n > 0) return t0 + (t1 - t0) * (events - cumulative) / n;
    cumulative += n;
    t0 = t1;
  }
  return t0;
}

// Failure windows: scheduled ones at the interpolated time of their events, others (operator,
// runbook) from the intervals whose end found them active.
std::vector<Band> failure_bands(const json& summary, const CsvTable& tl) {
  std::vector<Band> bands;
  std::map<std::string, double> open;
  const json schedule = summary.contains("failure") ? summary["failure"].value("schedule", json::array()) : json::array();
  for (const json& e : schedule) {
    if (!e.value("applied", false)) continue;
    const std::string name = e.value("scenario", std::string());
    const double t = time_of_event(tl, static_cast<double>(e.value("applied_at_event", std::uint64_t{0})));
    if (e.value("action", std::string()) == "activate") {
      open.emplace(name, t);
    } else if (auto it = open.find(name); it != open.end()) {
      bands.push_back({it->second, t, "", name, true});
      open.erase(it);
    }
  }
  const double end = summary.value("duration_s", tl.rows.empty() ? 0.0 : tl.number(tl.rows.size() - 1, "t_s"));
  for (const auto& [name, t] : open) bands.push_back({t, end, "", name, true});
  const auto covered = [&](const std::string& name, double a, double b) {
    return std::any_of(bands.begin(), bands.end(), [&](const Band& x) { return x.label == name && x.from < b && a < x.to; });
  };
  for (std::size_t i = 0; i < tl.rows.size(); ++i) {
    std::string list = tl.text(i, "failures");
    const double t1 = tl.number(i, "t_s");
    const double t0 = t1 - tl.number(i, "interval_s");
    std::size_t start = 0;
    while (start < list.size()) {
      const std::size_t plus = std::min(list.find('+', start), list.size());
      const std::string name = list.substr(start, plus - start);
      if (!name.empty() && !covered(name, t0, t1)) {
        if (!bands.empty() && bands.back().label == name && std::fabs(bands.back().to - t0) < 1e-6) {
          bands.back().to = t1;
        } else {
          bands.push_back({t0, t1, "", name, true});
        }
      }
      start = plus + 1;
    }
  }
  return bands;
}

std::vector<std::string> timeline_stages(const CsvTable& tl) {
  std::vector<std::string> stages;
  for (const std::string& h : tl.header) {
    const std::string suffix = "_p99_ns";
    if (h.size() > suffix.size() && h.ends_with(suffix) && !h.ends_with("_p99_9_ns")) {
      stages.push_back(h.substr(0, h.size() - suffix.size()));
    }
  }
  return stages;
}

// Rows worth a point: the drained tail after the last tick can be a few milliseconds long, and
// its rate and tail latency (the drain itself) would dominate the charts. It stays in
// timeline.csv; the charts leave out rows shorter than half the median interval and say so.
std::vector<std::size_t> plotted_rows(const CsvTable& tl, std::string& note) {
  std::vector<double> lengths;
  for (std::size_t i = 0; i < tl.rows.size(); ++i) lengths.push_back(tl.number(i, "interval_s"));
  std::vector<double> sorted = lengths;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted.empty() ? 0.0 : sorted[sorted.size() / 2];
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < tl.rows.size(); ++i) {
    if (lengths[i] >= 0.5 * median) {
      rows.push_back(i);
    } else {
      note += fmt::format(" The {:.0f} ms interval ending at {:.3f} s (the drain after the last tick) is left out of the rate and latency charts (it is in timeline.csv and in the count charts).",
                          lengths[i] * 1000, tl.number(i, "t_s"));
    }
  }
  return rows;
}

std::string timeline_section(const json& summary, const CsvTable& tl) {
  std::string skipped;
  const std::vector<std::size_t> rows = plotted_rows(tl, skipped);
  std::vector<Band> bands = state_bands(summary);
  const std::vector<Band> failures = failure_bands(summary, tl);
  bands.insert(bands.end(), failures.begin(), failures.end());

  std::string out = "<h2>Timeline</h2>\n<p class=\"note\">Lifecycle state behind each chart:";
  for (const char* s : {"INIT", "WARMUP", "READY", "DEGRADED"}) {
    out += fmt::format("<span class=\"swatch\" style=\"background:{}\"></span>{}", state_color(s), s);
  }
  out += "<span class=\"swatch\" style=\"background:rgba(220,38,38,.10);border:1px dashed #dc2626\"></span>failure window. "
         "One point per control-plane interval (timeline.csv)." + skipped + "</p>\n<div class=\"grid2\">\n";

  Series throughput{"events/s", palette()[0], {}};
  for (std::size_t i : rows) throughput.points.push_back({tl.number(i, "t_s"), tl.number(i, "events_per_s")});
  out += std::string("<figure>") + time_plot("Throughput", "events / s", {throughput}, bands) + "</figure>\n";

  const std::vector<std::string> stages = timeline_stages(tl);
  const std::string main_stage = std::find(stages.begin(), stages.end(), "ingest_to_ack") != stages.end()
                                     ? "ingest_to_ack"
                                     : (stages.empty() ? "" : stages.front());
  if (!main_stage.empty()) {
    Series p99{"p99", palette()[1], {}};
    Series p999{"p99.9", palette()[4], {}};
    Series p50{"p50", palette()[2], {}};
    for (std::size_t i : rows) {
      if (tl.number(i, main_stage + "_count") <= 0) continue;
      const double t = tl.number(i, "t_s");
      p50.points.push_back({t, tl.number(i, main_stage + "_p50_ns") / 1000.0});
      p99.points.push_back({t, tl.number(i, main_stage + "_p99_ns") / 1000.0});
      p999.points.push_back({t, tl.number(i, main_stage + "_p99_9_ns") / 1000.0});
    }
    out += std::string("<figure>") + time_plot(main_stage + " latency per interval", "µs", {p50, p99, p999}, bands) + "</figure>\n";
  }

  std::vector<Series> drops;
  std::size_t color = 0;
  for (const std::string& h : tl.header) {
    if (!h.starts_with("overruns_")) continue;
    Series s{h.substr(9) + " overruns", palette()[color++ % palette().size()], {}};
    // Counts: every row, the tail included (nothing counted may vanish from the page).
    for (std::size_t i = 0; i < tl.rows.size(); ++i) s.points.push_back({tl.number(i, "t_s"), tl.number(i, h)});
    drops.push_back(std::move(s));
  }
  out += std::string("<figure>") + time_plot("Consumer overruns per interval", "overruns", drops, bands, true) + "</figure>\n";
  Series missed{"NIC missed", palette()[3], {}};
  Series malformed{"malformed", palette()[4], {}};
  for (std::size_t i = 0; i < tl.rows.size(); ++i) {
    missed.points.push_back({tl.number(i, "t_s"), tl.number(i, "nic_missed")});
    malformed.points.push_back({tl.number(i, "t_s"), tl.number(i, "malformed")});
  }
  out += std::string("<figure>") + time_plot("NIC drops and malformed frames per interval", "frames", {missed, malformed}, bands, true) + "</figure>\n";
  out += "</div>\n";
  return out;
}

std::string lifecycle_section(const json& summary) {
  std::string out = "<div class=\"cols\"><div><h2>Lifecycle</h2>\n<table><tr><th class=\"num\">t (s)</th><th>from</th><th>to</th></tr>\n";
  if (summary.contains("lifecycle")) {
    for (const json& t : summary["lifecycle"].value("transitions", json::array())) {
      out += fmt::format("<tr><td class=\"num\">{:.3f}</td><td>{}</td><td>{}</td></tr>\n", t.value("t_s", 0.0),
                         html_escape(t.value("from", std::string())), html_escape(t.value("to", std::string())));
    }
  }
  out += "</table>\n";
  const json schedule = summary.contains("failure") ? summary["failure"].value("schedule", json::array()) : json::array();
  if (!schedule.empty()) {
    out += "<h2>Failure schedule</h2>\n<table><tr><th>scenario</th><th>action</th><th class=\"num\">at event</th>"
           "<th class=\"num\">applied at event</th><th>ok</th></tr>\n";
    for (const json& e : schedule) {
      out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                         html_escape(e.value("scenario", std::string())), html_escape(e.value("action", std::string())),
                         u64(e, "at_event"), e.value("applied", false) ? u64(e, "applied_at_event") : "not reached",
                         e.value("ok", false) ? "yes" : "no");
    }
    out += "</table>\n";
  }
  out += "</div><div><h2>Health at the end</h2>\n";
  const json health_section = summary.contains("control") ? summary["control"].value("health", json::object()) : json::object();
  const json health = health_section.is_object() ? health_section.value("probes", json::array()) : health_section;
  if (health.is_array() && !health.empty()) {
    out += "<table><tr><th>probe</th><th>status</th><th>reason</th></tr>\n";
    for (const json& p : health) {
      const std::string status = p.value("status", std::string());
      out += fmt::format("<tr><td class=\"mono\">{}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n",
                         html_escape(p.value("name", std::string())), status == "ok" ? "better" : "worse",
                         html_escape(status), html_escape(p.value("reason", std::string())));
    }
    out += "</table>\n";
  } else {
    out += "<p class=\"note\">no health probes recorded</p>\n";
  }
  const json actions = summary.contains("control") && summary["control"].contains("runbook")
                           ? summary["control"]["runbook"].value("actions", json::array())
                           : json::array();
  if (!actions.empty()) {
    out += "<h2>Runbook actions</h2><ul>\n";
    for (const json& a : actions) out += std::string("<li class=\"mono\">") + html_escape(scalar(a)) + "</li>\n";
    out += "</ul>\n";
  }
  return out + "</div></div>\n";
}

std::string consumers_table(const json& summary) {
  std::string out = "<table><tr><th>consumer</th><th class=\"num\">consumed</th><th class=\"num\">overruns</th>"
                    "<th class=\"num\">lost</th></tr>\n";
  for (const json& c : summary.value("consumers", json::array())) {
    out += fmt::format("<tr><td class=\"mono\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       html_escape(c.value("name", std::string())), u64(c, "consumed"), u64(c, "overruns"), u64(c, "lost"));
  }
  return out + "</table>\n";
}

// ingest.lines: who won, what each line missed and who filled it, true loss, the skew B - A
// (summary.json's signed figures, and the two magnitude histograms from latency.hlog plotted).
std::string lines_section(const json& summary, const std::vector<std::pair<std::string, HdrHistogram>>& skew) {
  if (!summary.contains("lines") || !summary["lines"].is_object()) return {};
  const json& l = summary["lines"];
  std::string out = "<h2>Lines A/B</h2>\n<table><tr><th>line</th><th class=\"num\">frames</th><th class=\"num\">won</th>"
                    "<th class=\"num\">duplicate</th><th class=\"num\">late</th><th class=\"num\">gaps</th>"
                    "<th class=\"num\">filled by other</th></tr>\n";
  for (const char* x : {"A", "B"}) {
    const json line = l.value(x, json::object());
    out += fmt::format("<tr><td class=\"mono\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       x, u64(line, "frames"), u64(line, "won"), u64(line, "duplicate"), u64(line, "late"), u64(line, "gaps"),
                       u64(line, "filled_by_other"));
  }
  out += "</table>\n";
  const json k = l.value("skew", json::object());
  const auto ns = [&](const char* key) { return k.contains(key) && k[key].is_number() ? fmt::format("{:+.0f}", k[key].get<double>()) : std::string("-"); };
  out += fmt::format("<p>Lost on both lines: <b>{}</b>. Skew B − A (ns) over {} numbers both lines delivered: p50 {}, p99 {}, "
                     "min {}, max {}.</p>\n<p class=\"note\">{}</p>\n",
                     u64(l, "lost"), u64(k, "count"), ns("p50_ns"), ns("p99_ns"), ns("min_ns"), ns("max_ns"),
                     html_escape(k.value("note", std::string())));
  std::vector<Series> series;
  std::vector<double> max_us;
  for (const auto& [tag, h] : skew) {
    if (h.total_count() == 0) continue;
    const bool b_after_a = tag == kSkewBAfterATag;
    series.push_back(percentile_series(h, b_after_a ? "B after A (B − A ≥ 0)" : "A after B (A − B > 0)",
                                       palette()[b_after_a ? 0 : 1]));
    max_us.push_back(static_cast<double>(h.max()) / 1000.0);
  }
  if (!series.empty()) {
    out += "<figure class=\"plot percentile\" data-stage=\"line_skew\">" +
           percentile_plot("A/B arrival skew — percentile distribution (line-skew-*.hgrm)", series, max_us) + "</figure>\n";
  }
  return out;
}

std::string platform_section(const json& summary, const RunSummary& figures) {
  const json p = summary.value("platform", json::object());
  std::string out = "<div class=\"cols\"><div><h2>Platform</h2>\n<table>\n";
  const auto row = [&](std::string_view k, const std::string& v) {
    out += fmt::format("<tr><th>{}</th><td class=\"mono\">{}</td></tr>\n", html_escape(k), html_escape(v));
  };
  if (p.contains("cores")) {
    std::string plan;
    for (const auto& [role, cpu] : p["cores"].items()) plan += fmt::format("{}{}→cpu{}", plan.empty() ? "" : "  ", role, scalar(cpu));
    row("core plan", plan);
  }
  if (p.contains("hot_shared")) row("hot threads share a core", p["hot_shared"].get<bool>() ? "yes" : "no");
  if (p.contains("isolated")) row("isolated cpus", p["isolated"].empty() ? "none" : scalar(p["isolated"]));
  if (p.contains("nohz_full")) row("nohz_full cpus", p["nohz_full"].empty() ? "none" : scalar(p["nohz_full"]));
  if (p.contains("hugepages")) row("hugepages", p["hugepages"].get<bool>() ? "yes" : "no (--no-huge)");
  if (p.contains("ring_pages")) row("ring memory", fmt::format("{} ({} bytes)", scalar(p["ring_pages"]), scalar(p.value("ring_bytes", json(0)))));
  if (p.contains("clock") && p["clock"].is_object()) {
    const json& c = p["clock"];
    const json drift = c.value("drift", json::object());
    row("TSC", fmt::format("{:.6f} GHz ± {:.2f} ppm against {}, invariant {}, drift over the run {:.2f} ppm",
                           c.value("tsc_hz", 0.0) / 1e9, c.value("error_ppm", 0.0), scalar(c.value("reference", json("?"))),
                           c.value("invariant_tsc", false) ? "yes" : "no", drift.value("drift_ppm", 0.0)));
  } else if (p.contains("tsc_hz")) {
    row("TSC", fmt::format("{:.4f} GHz ({})", p["tsc_hz"].get<double>() / 1e9, scalar(p.value("clock", json("?")))));
  }
  if (p.contains("numa_node")) row("NIC NUMA node", scalar(p["numa_node"]));
  if (p.contains("port")) {
    const json& port = p["port"];
    row("port", fmt::format("{} driver {} link {} hw timestamps {}", scalar(port.value("device", json(""))),
                            scalar(port.value("driver", json(""))), port.value("link_up", false) ? "up" : "down",
                            port.value("hw_timestamps", false) ? "yes" : "no"));
  }
  if (p.contains("readiness")) row("readiness at the end", scalar(p["readiness"].value("reason", json(""))));
  // The machine's floor measured before warmup (preflight): what the figures above are set against.
  if (p.contains("jitter") && p["jitter"].is_object()) {
    for (const json& c : p["jitter"].value("cores", json::array())) {
      if (c.contains("error")) continue;
      row(fmt::format("jitter cpu {}", scalar(c.value("cpu", json(-1)))),
          fmt::format("p99 {}  p99.99 {}  max {}  hiccups ≥1µs {}", format_ns(c.value("p99_ns", 0.0), UnitStyle::page),
                      format_ns(c.value("p99_99_ns", 0.0), UnitStyle::page), format_ns(c.value("max_ns", 0.0), UnitStyle::page),
                      scalar(c.value("hiccups", json(0)))));
    }
  }
  if (p.contains("c2c") && p["c2c"].is_object() && p["c2c"].value("same_cpu", false)) {
    row("core-to-core floor", scalar(p["c2c"].value("note", json("ingest and execution share one cpu"))));
  } else if (p.contains("c2c_ns") && p["c2c_ns"].is_number()) {
    const double floor_ns = p["c2c_ns"].get<double>();
    std::string text = fmt::format("one-way p50 {} (cpu {} → cpu {})", format_ns(floor_ns, UnitStyle::page),
                                   scalar(p.value("c2c", json::object()).value("a", json(-1))),
                                   scalar(p.value("c2c", json::object()).value("b", json(-1))));
    const StageLatency* main = figures.stage("ingest_to_ack");
    if (floor_ns > 0 && main != nullptr && main->p50) {
      text += fmt::format("; ingest→ack p50 = {:.1f}× the floor", *main->p50 / floor_ns);
    }
    row("core-to-core floor", text);
  }
  if (p.contains("eal_args")) {
    std::string args;
    for (const json& a : p["eal_args"]) {
      if (!args.empty()) args += ' ';
      args += scalar(a);
    }
    row("EAL arguments", args);
  }
  out += std::string("</table>\n</div><div><h2>Effective config</h2>\n") + kv_table(summary.value("config", json::object())) + "</div></div>\n";
  return out;
}

// A provisional summary (the run journal's, apps/tickpath/run_journal.hpp): the run never wrote
// its final one. Said first and plainly, with how far the report reaches.
std::string incomplete_banner(const json& s) {
  const auto it = s.find("provisional");
  if (it == s.end() || !it->is_object()) return {};
  const auto number = [&](const char* key) {
    const auto v = it->find(key);
    return v != it->end() && v->is_number() ? v->get<double>() : 0.0;
  };
  return fmt::format(
      "<div class=\"incomplete\"><b>Incomplete run.</b> The run never replaced its provisional summary with the "
      "final one (it was killed, crashed, or is still running). This report covers the run up to its last complete "
      "interval: {:.0f} intervals, {:.1f} s. Whatever happened after that is not in it; the lifecycle, health and "
      "counts are as of that interval.</div>\n",
      number("intervals"), number("t_s"));
}

}  // namespace

std::string html_page(std::string_view title, std::string_view body) {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}</style>\n"
                     "</head>\n<body><main>\n{}</main></body>\n</html>\n",
                     html_escape(title), kStyle, body);
}

std::string render_report_html(const ReportData& d) {
  const json& s = d.summary;
  // ingest.lines: the A/B skew's two hlog tags are not latency stages: shown with the lines.
  std::vector<std::pair<std::string, HdrHistogram>> stages = d.stages;
  const std::vector<std::pair<std::string, HdrHistogram>> skew = take_line_skew(stages);
  // The figures, typed; the records (lifecycle, platform, config, control) are shown from the
  // document. A summary of the wrong shape (load_run_folder refuses those) shows its figures as 0.
  auto parsed = parse_run_summary(s);
  const RunSummary figures = std::holds_alternative<RunSummary>(parsed) ? std::get<RunSummary>(std::move(parsed)) : RunSummary{};
  std::string body = fmt::format("<h1>tickpath run report — {}</h1>\n", html_escape(d.title));
  body += fmt::format(
      "<div class=\"sub\">tickpath {} · duration {:.2f} s · stopped by {} · final state <b>{}</b> · {} · generated from "
      "summary.json, latency.hlog and timeline.csv</div>\n",
      html_escape(s.value("version", std::string("?"))), figures.duration_s.value_or(0.0),
      html_escape(figures.shutdown_reason.empty() ? "?" : figures.shutdown_reason),
      html_escape(s.contains("lifecycle") ? s["lifecycle"].value("final", std::string("?")) : "?"),
      s.contains("platform") && s["platform"].value("hugepages", false) ? "hugepages" : "no hugepages");

  body += incomplete_banner(s);

  std::uint64_t overruns = 0, lost = 0;
  for (const ConsumerFigures& c : figures.consumers) {
    overruns += c.overruns.value_or(0);
    lost += c.lost.value_or(0);
  }
  body += "<div class=\"cards\">\n";
  body += card("events published", figures.published ? std::to_string(*figures.published) : "–");
  body += card("events / s", si(figures.events_per_s.value_or(0.0)));
  const auto main_it = std::find_if(stages.begin(), stages.end(), [](const auto& x) { return x.first == "ingest_to_ack"; });
  if (main_it != stages.end()) {
    const HdrHistogram& h = main_it->second;
    body += card("ingest→ack p50", format_ns(static_cast<double>(h.value_at_percentile(50)), UnitStyle::page));
    body += card("ingest→ack p99", format_ns(static_cast<double>(h.value_at_percentile(99)), UnitStyle::page));
    body += card("ingest→ack p99.9", format_ns(static_cast<double>(h.value_at_percentile(99.9)), UnitStyle::page));
    body += card("ingest→ack max", format_ns(static_cast<double>(h.max()), UnitStyle::page));
  }
  const std::uint64_t missed = figures.nic_missed.value_or(0);
  const std::uint64_t malformed = figures.malformed.value_or(0);
  body += card("NIC missed", std::to_string(missed), missed ? "bad" : "good");
  body += card("malformed", std::to_string(malformed), malformed ? "bad" : "good");
  body += card("consumer overruns", std::to_string(overruns), overruns ? "bad" : "good");
  body += card("events lost", std::to_string(lost), lost ? "bad" : "good");
  body += "</div>\n";

  body += "<h2>Latency by stage</h2>\n";
  if (stages.empty()) {
    body += "<p class=\"note\">No latency recorded (observability.sink = \"null\").</p>\n";
  } else {
    body += latency_table(stages);
    body += "<p class=\"note\">Whole run, from latency.hlog (HdrHistogram, 3 significant digits, ns). "
            "Percentile plots: HdrHistogram's percentile distribution on a log 1/(1−p) axis, as in the .hgrm files.</p>\n"
            "<div class=\"grid2\">\n";
    std::size_t i = 0;
    for (const auto& [name, h] : stages) {
      const std::string color = palette()[i++ % palette().size()];
      if (h.total_count() == 0) {
        // A stage with nothing to draw (no sender timestamp, no NIC timestamp): said, not plotted.
        body += fmt::format("<figure class=\"plot percentile empty\" data-stage=\"{0}\"><p class=\"note\">{0}: no "
                            "sample in this run (see summary.json for why).</p></figure>\n",
                            html_escape(name));
        continue;
      }
      body += fmt::format("<figure class=\"plot percentile\" data-stage=\"{}\">", html_escape(name)) +
              percentile_plot(name + " — percentile distribution", {percentile_series(h, name, color)},
                              {static_cast<double>(h.max()) / 1000.0}) +
              "</figure>\n";
    }
    body += "</div>\n";
  }
  body += timeline_section(s, d.timeline);
  body += std::string("<h2>Consumers</h2>\n") + consumers_table(s);
  body += lines_section(s, skew);
  body += lifecycle_section(s);
  body += platform_section(s, figures);
  return html_page(std::string("tickpath report ") + d.title, body);
}

}  // namespace tickpath::report

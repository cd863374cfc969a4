#include "report/compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "report/html_report.hpp"
#include "report/number_format.hpp"
#include "report/run_summary.hpp"
#include "report/svg_chart.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

// Keys of summary.platform that are measured at every start, not chosen: the preflight's jitter
// and core-to-core figures differ on every run and would bury the one real change. The figures
// that matter of them are in report.html's floor rows, not in a list of config differences.
bool is_measurement(const std::string& key) {
  // platform.clock: the calibration's brackets, window, error bound and the run's drift are
  // measurements too (the rate itself is compared under the 0.1% rule below).
  for (const char* prefix : {"platform.jitter.", "platform.c2c.", "platform.wall_clock.", "platform.clock.bracket_ticks",
                             "platform.clock.calibration_window_ns", "platform.clock.drift.", "platform.clock.error_ppm",
                             "platform.clock.nic."}) {
    if (key.starts_with(prefix)) return true;
  }
  return key == "platform.jitter" || key == "platform.c2c" || key == "platform.c2c_ns";
}

// A TSC frequency is measured at every start: differences below 0.1% are the measurement, not
// the machine (docs/reports.md).
bool same_tsc_rate(const std::string& key, const std::string& a, const std::string& b) {
  if (!key.ends_with("tsc_hz")) return false;
  const double x = std::strtod(a.c_str(), nullptr);
  const double y = std::strtod(b.c_str(), nullptr);
  return x > 0 && y > 0 && std::fabs(y / x - 1.0) < 1e-3;
}

// The comparable figures of one run, in display order. A folder load_run_folder read has a
// summary of the right shape; one built otherwise and of the wrong shape has no figures.
std::vector<Metric> figures(const json& summary) {
  const auto parsed = parse_run_summary(summary);
  return std::holds_alternative<RunSummary>(parsed) ? run_metrics(std::get<RunSummary>(parsed)) : std::vector<Metric>{};
}

struct Stats {
  double mean = 0, sd = 0;
  std::size_t n = 0;
};

Stats stats(const std::vector<double>& v) {
  Stats s;
  s.n = v.size();
  if (v.empty()) return s;
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  if (v.size() > 1) {
    double sq = 0;
    for (double x : v) sq += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(sq / static_cast<double>(v.size() - 1));
  }
  return s;
}

std::map<std::string, std::string> flat(const json& summary, const char* section) {
  std::map<std::string, std::string> out;
  if (!summary.contains(section) || !summary[section].is_object()) return out;
  const json flattened = summary[section].flatten();  // items() of a temporary would dangle
  for (const auto& [path, value] : flattened.items()) {
    if (path.empty()) continue;  // flatten() of an empty object is {"": null}
    std::string key = std::string(section) + std::string(".") + path.substr(1);
    std::replace(key.begin(), key.end(), '/', '.');
    out[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return out;
}

std::string value_text(double v, const std::string& metric) {
  if (std::isnan(v)) return "–";
  const MetricInfo* info = find_metric(metric);
  if (info != nullptr && info->unit == Unit::ns) return format_ns(v, UnitStyle::page);
  if (std::fabs(v) >= 1e4) return si(v);
  if (v == std::floor(v)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

std::string ratio_text(const CompareRow& r) {
  if (std::isnan(r.ratio)) return r.b == 0 ? "–" : "new";
  return fmt::format("{:.3f}", r.ratio);
}

std::string runs_label(std::size_t n) { return n == 1 ? "1 run" : fmt::format("{} runs", n); }

}  // namespace

Comparison compare_runs(const RunSet& a, const RunSet& b, double tolerance) {
  Comparison c;
  c.a_path = a.path;
  c.b_path = b.path;
  c.a_runs = a.runs.size();
  c.b_runs = b.runs.size();
  c.tolerance = tolerance;
  std::vector<std::string> order;
  std::map<std::string, Better> direction;
  std::map<std::string, std::vector<double>> va, vb;
  const auto collect = [&](const RunSet& set, std::map<std::string, std::vector<double>>& into) {
    for (const RunFolder& run : set.runs) {
      for (const Metric& f : figures(run.summary)) {
        if (!direction.contains(f.name)) {
          order.push_back(f.name);
          direction[f.name] = f.better;
        }
        into[f.name].push_back(f.value);
      }
    }
  };
  collect(a, va);
  collect(b, vb);
  // A stage without a sample on either side (wire_to_ack without a sender's stamp, nic_to_ingest
  // without NIC timestamps) is a row of zeros per percentile: left out, not judged "same".
  const auto empty_stage = [&](const std::string& metric) {
    if (!metric.starts_with("latency.")) return false;
    const std::string count = metric.substr(0, metric.rfind('.')) + ".count";
    const auto zero = [](const std::vector<double>& v) { return std::all_of(v.begin(), v.end(), [](double x) { return x == 0; }); };
    return direction.contains(count) && zero(va[count]) && zero(vb[count]);
  };
  for (const std::string& m : order) {
    if (empty_stage(m)) continue;
    CompareRow r;
    r.metric = m;
    r.better = direction[m];
    const Stats sa = stats(va[m]);
    const Stats sb = stats(vb[m]);
    r.a = sa.n ? sa.mean : NAN;
    r.b = sb.n ? sb.mean : NAN;
    r.a_sd = sa.sd;
    r.b_sd = sb.sd;
    r.a_n = sa.n;
    r.b_n = sb.n;
    r.ratio = (sa.n && sb.n && r.a != 0) ? r.b / r.a : NAN;
    if (sa.n == 0 || sb.n == 0) {
      r.verdict = "info";
      r.noise = sa.n == 0 ? "only in B" : "only in A";
    } else if (r.better == Better::neither) {
      r.verdict = "info";
    } else {
      bool same = false;
      if (sa.n >= 2 && sb.n >= 2) {
        // Two standard errors of the difference, but never below 1% of A: latency figures come
        // from buckets < 0.8% wide, so runs that agree to the bucket have sd 0 and no real band.
        const double band = std::max(2.0 * std::sqrt(sa.sd * sa.sd / static_cast<double>(sa.n) + sb.sd * sb.sd / static_cast<double>(sb.n)),
                                     0.01 * std::fabs(r.a));
        same = std::fabs(r.b - r.a) <= band;
        r.noise = fmt::format("±{} (2 s.e., min 1%)", value_text(band, m));
      } else if (r.a == 0 || r.b == 0) {
        same = r.a == r.b;
        r.noise = "exact (zero)";
      } else {
        same = std::fabs(r.ratio - 1.0) <= tolerance;
        r.noise = fmt::format("±{:.0f}%", tolerance * 100);
      }
      const bool b_lower = r.b < r.a;
      r.verdict = same ? "same" : ((b_lower == (r.better == Better::lower)) ? "better" : "worse");
    }
    c.rows.push_back(std::move(r));
  }
  // Config, then platform, as recorded by the first run of each side: config first because it is
  // what the operator changed on purpose.
  if (!a.runs.empty() && !b.runs.empty()) {
    for (const char* section : {"config", "platform"}) {
      const auto fa = flat(a.runs.front().summary, section);
      const auto fb = flat(b.runs.front().summary, section);
      std::map<std::string, std::pair<std::string, std::string>> both;
      for (const auto& [k, v] : fa) both[k].first = v;
      for (const auto& [k, v] : fb) both[k].second = v;
      for (const auto& [k, v] : both) {
        const std::string va_ = fa.contains(k) ? v.first : "(absent)";
        const std::string vb_ = fb.contains(k) ? v.second : "(absent)";
        if (va_ == vb_ || is_measurement(k) || same_tsc_rate(k, va_, vb_)) continue;
        c.differences.push_back({k, va_, vb_});
      }
    }
    // Where a run wrote its files or named its EAL runtime differs between any two runs kept
    // side by side; it changes nothing measured, so it goes last, after the platform.
    std::stable_partition(c.differences.begin(), c.differences.end(), [](const KeyDiff& d) {
      const bool prefix_arg = d.key.starts_with("platform.eal_args.") && d.a.starts_with("--file-prefix=");
      return d.key != "config.report.dir" && d.key != "config.eal.file_prefix" && !prefix_arg;
    });
  }
  return c;
}

std::string format_comparison(const Comparison& c) {
  std::string out = fmt::format("A: {} ({})\nB: {} ({})\n", c.a_path, runs_label(c.a_runs), c.b_path, runs_label(c.b_runs));
  if (c.a_runs < 2 || c.b_runs < 2) {
    out += fmt::format("noise: unknown (a side has one run): rows within ±{:.0f}% are \"same\"; repeat runs for a noise-aware verdict\n",
                       c.tolerance * 100);
  } else {
    out += "noise: rows whose difference is within 2 standard errors of the run-to-run spread (at least 1%) are \"same\"\n";
  }
  // What differs first (what the operator changed), then what it did.
  out += "\nconfig and platform keys that differ:\n";
  if (c.differences.empty()) out += "  (none)\n";
  for (const KeyDiff& d : c.differences) out += fmt::format("  {:<38} A: {}\n  {:<38} B: {}\n", d.key, d.a, "", d.b);
  out += fmt::format("\n{:<34} {:>20} {:>20} {:>8}  {:<8}  {}\n", "metric", "A", "B", "B/A", "verdict", "noise");
  for (const CompareRow& r : c.rows) {
    std::string a = value_text(r.a, r.metric);
    std::string b = value_text(r.b, r.metric);
    if (r.a_n > 1) a += fmt::format(" ±{}", value_text(r.a_sd, r.metric));
    if (r.b_n > 1) b += fmt::format(" ±{}", value_text(r.b_sd, r.metric));
    out += fmt::format("{:<34} {:>20} {:>20} {:>8}  {:<8}  {}\n", r.metric, a, b, ratio_text(r), r.verdict, r.noise);
  }
  return out;
}

std::string render_compare_html(const Comparison& c, const RunSet& a, const RunSet& b) {
  std::string body = "<h1>tickpath compare</h1>\n";
  body += fmt::format("<div class=\"sub\">A: <span class=\"mono\">{}</span> ({}) · B: <span class=\"mono\">{}</span> ({})</div>\n",
                      html_escape(c.a_path), runs_label(c.a_runs), html_escape(c.b_path), runs_label(c.b_runs));
  body += fmt::format("<p class=\"note\">{}</p>\n",
                      c.a_runs < 2 || c.b_runs < 2
                          ? fmt::format("A side has a single run, so run-to-run noise is unknown: rows within ±{:.0f}% are \"same\".", c.tolerance * 100)
                          : std::string("Rows whose difference is within 2 standard errors of the run-to-run spread (at least 1%) are \"same\"."));
  body += "<h2>Config and platform keys that differ</h2>\n";
  if (c.differences.empty()) {
    body += "<p class=\"note\">none</p>\n";
  } else {
    body += "<table><tr><th>key</th><th>A</th><th>B</th></tr>\n";
    for (const KeyDiff& d : c.differences) {
      body += fmt::format("<tr><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td></tr>\n",
                          html_escape(d.key), html_escape(d.a), html_escape(d.b));
    }
    body += "</table>\n";
  }
  // Overlaid percentile curves, stage by stage.
  const auto merged = [](const RunSet& set) {
    std::vector<std::pair<std::string, HdrHistogram>> out;
    for (const RunFolder& r : set.runs) {
      for (const auto& stage : r.stages) {  // not a structured binding: clang 14 cannot capture one
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& s) { return s.first == stage.first; });
        if (it == out.end()) {
          out.push_back(stage);
        } else {
          it->second.add(stage.second);  // same geometry: load_run_set checked it
        }
      }
    }
    return out;
  };
  const auto ma = merged(a);
  const auto mb = merged(b);
  std::vector<std::string> stages;
  for (const auto* m : {&ma, &mb}) {
    for (const auto& [name, h] : *m) {
      if (std::find(stages.begin(), stages.end(), name) == stages.end()) stages.push_back(name);
    }
  }
  if (!stages.empty()) {
    body += "<h2>Percentile distributions (A blue, B orange)</h2>\n<div class=\"grid2\">\n";
    for (const std::string& stage : stages) {
      std::vector<Series> series;
      std::vector<double> maxes;
      for (const auto& [label, m, color] : {std::tuple{"A", &ma, "#2563eb"}, std::tuple{"B", &mb, "#d97706"}}) {
        auto it = std::find_if(m->begin(), m->end(), [&](const auto& s) { return s.first == stage; });
        if (it == m->end()) continue;
        series.push_back(percentile_series(it->second, label, color));
        maxes.push_back(static_cast<double>(it->second.max()) / 1000.0);
      }
      body += fmt::format("<figure class=\"plot percentile\" data-stage=\"{}\">", html_escape(stage)) +
              percentile_plot(stage + " — A vs B", series, maxes) + "</figure>\n";
    }
    body += "</div>\n";
  }
  if (ma.empty() || mb.empty()) body += "<p class=\"note\">A side without latency.hlog has no curve.</p>\n";
  body += "<h2>Figures</h2>\n<table><tr><th>metric</th><th class=\"num\">A</th><th class=\"num\">B</th><th class=\"num\">B/A</th>"
          "<th>verdict</th><th>noise</th></tr>\n";
  for (const CompareRow& r : c.rows) {
    std::string av = value_text(r.a, r.metric);
    std::string bv = value_text(r.b, r.metric);
    if (r.a_n > 1) av += std::string(" ±") + value_text(r.a_sd, r.metric);
    if (r.b_n > 1) bv += std::string(" ±") + value_text(r.b_sd, r.metric);
    body += fmt::format("<tr><td class=\"mono\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                        "<td class=\"{}\">{}</td><td class=\"note\">{}</td></tr>\n",
                        html_escape(r.metric), html_escape(av), html_escape(bv), ratio_text(r),
                        r.verdict == "info" ? "same" : r.verdict, r.verdict, html_escape(r.noise));
  }
  body += "</table>\n";
  return html_page("tickpath compare", body);
}

}  // namespace tickpath::report

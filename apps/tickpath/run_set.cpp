#include "apps/tickpath/run_set.hpp"


#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "apps/tickpath/child_run.hpp"
#include "apps/tickpath/live_stats.hpp"
#include "apps/tickpath/report_dir.hpp"
#include "apps/tickpath/run_files.hpp"
#include "apps/tickpath/settings.hpp"

namespace tickpath::app {
namespace {

using nlohmann::json;

double number_at(const json& j, const json::json_pointer& p) {
  return j.contains(p) && j.at(p).is_number() ? j.at(p).get<double>() : NAN;
}

// The parent's files go through the run folder's writer (io_uring) like a run's own; a file that
// cannot be written is said on stderr (the child runs' own reports are already on disk).
void write_file(const std::string& dir, const std::string& name, std::string content) {
  print_report_errors(write_run_files(dir, {RunFile{name, std::move(content)}}).errors);
}

}  // namespace

std::string signal_name(int sig) {
  if (sig == SIGINT) return "SIGINT";
  if (sig == SIGTERM) return "SIGTERM";
  return sig == 0 ? "" : fmt::format("signal {}", sig);
}

json run_metrics(const json& s) {
  json m = json::object();
  const auto put = [&](const std::string& name, double v) {
    if (!std::isnan(v)) m[name] = v;
  };
  put("throughput.events_per_s", number_at(s, "/throughput/events_per_s"_json_pointer));
  put("events.published", number_at(s, "/events/published"_json_pointer));
  put("duration_s", number_at(s, "/duration_s"_json_pointer));
  double nic = 0;
  for (const char* k : {"nic_missed", "nic_errors", "nic_rx_nombuf"}) nic += number_at(s, json::json_pointer("/events/" + std::string(k)));
  const double decoder = number_at(s, "/events/malformed"_json_pointer) + number_at(s, "/events/foreign"_json_pointer);
  double lost_exec = 0;
  if (s.contains("consumers")) {
    for (const json& c : s["consumers"]) {
      const std::string name = c.value("name", "");
      put("lost." + name, c.value("lost", 0.0));
      if (name == "execution") lost_exec = c.value("lost", 0.0);
    }
  }
  put("drops.nic", nic);
  put("drops.decoder", decoder);
  put("drops.total", nic + decoder + lost_exec);
  if (s.contains("latency_ns") && s["latency_ns"].is_object()) {
    for (const auto& [stage, l] : s["latency_ns"].items()) {
      if (!l.is_object()) continue;
      for (const char* k : {"p50", "p99", "p99_9", "p99_99", "max", "mean"}) {
        if (l.contains(k)) put(fmt::format("latency_ns.{}.{}", stage, k), l[k].get<double>());
      }
    }
  }
  if (s.contains("platform")) {
    const json& p = s["platform"];
    if (p.contains("c2c_ns") && p["c2c_ns"].is_number()) put("floor.c2c_ns", p["c2c_ns"].get<double>());
    if (p.contains("jitter") && p["jitter"].is_object()) {
      double worst = NAN;
      for (const json& c : p["jitter"]["cores"]) {
        if (c.contains("max_ns")) worst = std::isnan(worst) ? c["max_ns"].get<double>() : std::max(worst, c["max_ns"].get<double>());
      }
      put("floor.jitter_max_ns", worst);
    }
  }
  return m;
}

json aggregate_metrics(const std::vector<RunRecord>& runs) {
  std::map<std::string, std::vector<double>> values;
  for (const RunRecord& r : runs) {
    if (!r.completed) continue;
    for (const auto& [name, v] : r.metrics.items()) values[name].push_back(v.get<double>());
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

namespace {

json aggregate_file(const RunSetPlan& plan, const RunSetOutcome& o) {
  json runs = json::array();
  int completed = 0;
  for (const RunRecord& r : o.runs) {
    runs.push_back({{"name", r.name}, {"folder", r.folder}, {"exit_code", r.exit_code}, {"completed", r.completed}});
    completed += r.completed ? 1 : 0;
  }
  return {{"runs_planned", plan.repeat},
          {"runs_completed", completed},
          {"interrupted_by", signal_name(o.signal)},
          {"runs", runs},
          {"metrics", aggregate_metrics(o.runs)}};
}

std::string progress_line(const RunSetPlan& plan, const RunRecord& r) {
  const std::string where =
      plan.progress_done != nullptr ? fmt::format("[{}/{}] ", *plan.progress_done, plan.progress_total) : "";
  const std::string label = plan.label.empty() ? r.name : plan.label + " " + r.name;
  if (!r.completed && r.exit_code == 0) {
    return fmt::format("{}{}: stopped by a signal (folder kept, not aggregated)", where, label);
  }
  if (!r.completed) return fmt::format("{}{}: failed (exit code {}), output in {}/output.log", where, label, r.exit_code, r.folder);
  const json& m = r.metrics;
  std::string line = fmt::format("{}{}: events/s {}", where, label, format_rate(m.value("throughput.events_per_s", 0.0)));
  if (m.contains("latency_ns.ingest_to_ack.p50")) {
    line += fmt::format("  ingest_to_ack p50 {} p99 {}", format_ns(m["latency_ns.ingest_to_ack.p50"].get<double>()),
                        format_ns(m["latency_ns.ingest_to_ack.p99"].get<double>()));
  }
  return line;
}

}  // namespace

RunSetOutcome run_set(const RunSetPlan& plan) {
  RunSetOutcome out;
  for (int i = 1; i <= plan.repeat; ++i) {
    if (const int sig = ChildSignals::received(); sig != 0) {
      out.signal = sig;
      break;
    }
    RunRecord r;
    r.name = fmt::format("run-{}", i);
    r.folder = plan.folder + "/" + r.name;
    std::vector<std::string> args = plan.child_args;
    args.insert(args.end(), {"--run-folder", r.folder});
    if (!plan.eal_extra.empty()) {
      args.push_back("--");
      args.insert(args.end(), plan.eal_extra.begin(), plan.eal_extra.end());
    }
    const std::string prefix = fmt::format("[{}] ", r.name);
    const ChildRun child = run_child(args, [&](std::string_view line) {
      if (plan.echo) {
        fmt::print("{}{}\n", prefix, line);
        std::fflush(stdout);
      }
    });
    r.exit_code = child.exit_code;
    if (!child.report_dir.empty()) r.folder = child.report_dir;
    std::ifstream in(r.folder + "/summary.json");
    if (in) {
      const json summary = json::parse(in, nullptr, false);
      if (!summary.is_discarded()) {
        r.metrics = run_metrics(summary);
        r.completed = child.exit_code == 0 && summary.value("/shutdown/reason"_json_pointer, std::string()) != "signal";
      }
    }
    // The child's own output, next to its summary (or next to where it would have been).
    std::error_code ec;
    std::filesystem::create_directories(r.folder, ec);
    write_file(r.folder, "output.log", child.output);
    if (plan.progress_done != nullptr) ++*plan.progress_done;
    if (child.exit_code == 2) out.bad_input = true;
    if (!r.completed && child.exit_code != 0) out.any_failed = true;
    if (!plan.echo || !r.completed) {
      fmt::print("{}\n", progress_line(plan, r));
      if (child.exit_code != 0 && !plan.echo) fmt::print("{}", child.output.substr(child.output.size() > 2000 ? child.output.size() - 2000 : 0));
      std::fflush(stdout);
    }
    out.runs.push_back(std::move(r));
    if (const int sig = ChildSignals::received(); sig != 0) out.signal = sig;
    write_file(plan.folder, "aggregate.json", aggregate_file(plan, out).dump(2) + "\n");
    if (out.bad_input || out.signal != 0) break;
  }
  if (out.runs.empty()) write_file(plan.folder, "aggregate.json", aggregate_file(plan, out).dump(2) + "\n");
  return out;
}

std::vector<std::string> child_run_args(const RunOptions& o) {
  std::vector<std::string> args = {"run"};
  if (!o.config_path.empty()) args.insert(args.end(), {"--config", o.config_path});
  if (o.duration_s) args.insert(args.end(), {"--duration", fmt::format("{}", *o.duration_s)});
  if (o.events) args.insert(args.end(), {"--events", fmt::format("{}", *o.events)});
  if (o.rate_pps) args.insert(args.end(), {"--rate", fmt::format("{}", *o.rate_pps)});
  for (const std::string& s : o.overrides) args.insert(args.end(), {"--set", s});
  return args;
}

int repeat_command(const RunOptions& options, int repeat) {
  if (repeat < 1) {
    fmt::print(stderr, "tickpath: --repeat {}: must be at least 1\n", repeat);
    return 2;
  }
  // Validated once here, so a bad key fails before any child starts; the parent folder goes
  // where the run's own folder would have (report.dir, or --report-dir).
  auto resolved = resolve_settings(options.config_path, options.overrides, &options);
  if (auto* error = std::get_if<std::string>(&resolved)) {
    fmt::print(stderr, "tickpath: {}\n", *error);
    return 2;
  }
  const std::string parent = std::get<AppSettings>(resolved).report_dir;
  const ReportDir folder = make_report_dir(parent);
  if (!folder.error.empty()) {
    fmt::print(stderr, "tickpath: {}\n", folder.error);
    return 2;  // a folder the operator named: bad input, like a bad key
  }
  RunSetPlan plan;
  plan.child_args = child_run_args(options);
  plan.eal_extra = options.eal_extra;
  plan.repeat = repeat;
  plan.folder = folder.path;
  plan.echo = true;
  ChildSignals::install();
  const RunSetOutcome out = run_set(plan);
  ChildSignals::uninstall();

  const json agg = aggregate_metrics(out.runs);
  int completed = 0;
  for (const RunRecord& r : out.runs) completed += r.completed ? 1 : 0;
  fmt::print("\n{:=^78}\n", fmt::format(" tickpath run --repeat {} ", repeat));
  fmt::print("{} of {} runs completed\n", completed, repeat);
  fmt::print("{:<34}{:>12}{:>12}{:>10}{:>12}{:>12}\n", "metric", "mean", "stddev", "sd/mean", "min", "max");
  for (const char* name : {"throughput.events_per_s", "drops.total", "lost.analytics", "latency_ns.ingest_to_ack.p50",
                           "latency_ns.ingest_to_ack.p99", "latency_ns.ingest_to_ack.p99_9",
                           "latency_ns.ingest_to_ack.max", "floor.jitter_max_ns", "floor.c2c_ns"}) {
    if (!agg.contains(name)) continue;
    const json& a = agg[name];
    const bool ns = std::string_view(name).starts_with("latency") || std::string_view(name).starts_with("floor");
    const auto show = [&](double v) { return ns ? format_ns(v) : format_rate(v); };
    const double mean = a["mean"].get<double>();
    fmt::print("{:<34}{:>12}{:>12}{:>9.1f}%{:>12}{:>12}\n", name, show(mean), show(a["stddev"].get<double>()),
               mean != 0 ? 100.0 * a["stddev"].get<double>() / mean : 0.0, show(a["min"].get<double>()),
               show(a["max"].get<double>()));
  }
  if (out.signal != 0) {
    fmt::print("interrupted by {}: kept the {} run(s) that finished; aggregate.json covers them\n",
               signal_name(out.signal), completed);
  }
  fmt::print("report: {}\n", folder.path);
  if (out.signal != 0) return 128 + out.signal;
  if (out.bad_input) return 2;
  return out.any_failed ? 1 : 0;
}

}  // namespace tickpath::app

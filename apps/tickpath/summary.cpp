#include "apps/tickpath/summary.hpp"

#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include "apps/tickpath/live_stats.hpp"
#include "apps/tickpath/run_files.hpp"
#include "apps/tickpath/build_info.hpp"
#include "control/metrics/latency_summary.hpp"
#include "control/metrics/line_figures.hpp"
#include "core/ingest/drop_reason.hpp"

namespace tickpath::app {
namespace {

using nlohmann::json;

json latency_json(const control::Histogram& h, std::uint64_t negative, const core::TscCalibration& cal) {
  json j = latency_figures(h.snapshot(), cal);
  j["negative"] = negative;
  return j;
}

json consumer_json(const char* name, const core::ConsumerCounters& c) {
  return json{{"name", name},
              {"consumed", c.consumed.load()},
              {"overruns", c.overruns.load()},
              {"lost", c.lost.load()}};
}

std::string signal_name(int sig) {
  if (sig == SIGTERM) return "SIGTERM";
  if (sig == SIGINT) return "SIGINT";
  return sig == 0 ? "" : fmt::format("signal {}", sig);
}

}  // namespace

json latency_figures(const control::HistogramSnapshot& snap, const core::TscCalibration& cal) {
  const control::LatencySummary s = control::summarize(snap, cal);
  return json{{"count", s.count}, {"min", s.min},       {"p50", s.p50},
              {"p90", s.p90},     {"p99", s.p99},       {"p99_9", s.p99_9},
              {"p99_99", s.p99_99}, {"max", s.max},     {"mean", s.mean},
              {"saturated", snap.saturated()}};
}

json build_summary(const Observables& o, const RunFacts& f) {
  const auto& in = o.counters->ingest;
  const NicCounters nic = o.nic();

  json drops = json::object();
  for (std::size_t i = 1; i < core::kDropReasonCount; ++i) {
    drops[std::string(core::to_string(static_cast<core::DropReason>(i)))] = in.drops[i].load();
  }
  json events{{"received", in.frames.load()},
              {"frames", in.frames.load()},
              {"bursts", in.bursts.load()},
              {"published", in.events.load()},
              {"heartbeats", in.heartbeats.load()},
              {"end_of_session", in.end_of_session.load()},
              {"feed",
               {{"gaps", in.feed_gaps.load()},
                {"recovered", in.feed_recovered.load()},
                {"missing", in.feed_missing()},
                {"duplicates", in.feed_duplicates.load()},
                {"out_of_order", in.feed_out_of_order.load()},
                {"untracked_frames", in.untracked_frames.load()}}},
              {"malformed", in.malformed()},
              {"foreign", in.foreign()},
              {"drops", drops},
              {"nic_missed", nic.imissed},
              {"nic_errors", nic.ierrors},
              {"nic_rx_nombuf", nic.rx_nombuf},
              {"nic_ipackets", nic.ipackets},
              {"executed", o.counters->decisions.executed.load()},
              {"provisional", o.counters->decisions.provisional.load()}};

  json consumers = json::array({consumer_json("execution", o.counters->execution)});
  if (o.analytics_enabled) {
    json a = consumer_json("analytics", o.counters->analytics);
    a["bytes"] = o.analytics->bytes();
    a["max_behind_ns"] = o.calibration.to_ns(o.analytics->max_behind_ticks());
    consumers.push_back(a);
  }

  json transitions = json::array();
  o.lifecycle->history().snapshot([&](const core::TransitionRecord& r) {
    const double t = r.tsc >= f.start_tsc ? o.calibration.to_ns(r.tsc - f.start_tsc) / 1e9 : 0.0;
    transitions.push_back({{"t_s", t},
                           {"from", std::string(core::to_string(r.from))},
                           {"to", std::string(core::to_string(r.to))}});
  });

  json latency = nullptr;  // observability.sink = "null": nothing was recorded
  if (o.sink != nullptr) {
    latency = json::object();
    const auto stages = o.sink->stages();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      latency[stages[i].name] = latency_json(*stages[i].histogram, o.sink->negative(i).load(), o.calibration);
    }
    latency["clock_skew_clamped"] = o.sink->clock_skew();
    latency["wall_clock_negative"] = o.sink->wall_clock_negative().load();
  }

  json lines = nullptr;  // one line: no arbitration
  if (o.lines != nullptr) {
    lines = control::lines_json(*o.lines, *o.line_skew, o.calibration);
    if (o.nic_b) {
      const NicCounters nb = o.nic_b();
      lines["B"]["nic_missed"] = nb.imissed;
      lines["B"]["nic_ipackets"] = nb.ipackets;
    }
    lines["A"]["nic_missed"] = nic.imissed;
    lines["A"]["nic_ipackets"] = nic.ipackets;
  }


  // The sink's own time, measured around each sink.observe() call (ExecutionHandler) and kept out
  // of every latency stage.
  const auto& d = o.counters->decisions;
  const std::uint64_t acked_total = d.executed.load() + d.provisional.load();
  const json sink_cost{{"total_ns", o.calibration.to_ns(d.sink_ticks.load())},
                       {"ns_per_event", acked_total > 0 ? o.calibration.to_ns(d.sink_ticks.load()) / static_cast<double>(acked_total) : 0.0},
                       {"max_batch_ns", o.calibration.to_ns(d.sink_max_batch_ticks.load())},
                       {"batches", d.batches.load()},
                       {"note", "time inside sink.observe(), from the ack's complete_tsc to the next stamp; in no latency stage"}};

  // The measured window: from the first READY decision to the end of the last batch (both stamped
  // by the execution thread, execution_handler.hpp). Throughput and the stage histograms cover it
  // alone; warmup is reported apart. Every event published in the window is acked (in the
  // histograms) or lost (overwritten before the execution consumer read it): nothing else.
  const bool window_open = d.window_open.load() != 0;
  const std::uint64_t published = in.events.load();
  const std::uint64_t first_seq = window_open ? d.window_first_seq.load() : published;
  const std::uint64_t window_published = published >= first_seq ? published - first_seq : 0;
  const std::uint64_t window_acked = d.window_acked.load();
  const std::uint64_t window_lost = window_published >= window_acked ? window_published - window_acked : 0;
  const core::Ticks start_tsc = d.window_start_tsc.load();
  const core::Ticks end_tsc = d.last_tsc.load();
  const double window_s = window_open && end_tsc > start_tsc ? o.calibration.to_ns(end_tsc - start_tsc) / 1e9 : 0.0;
  const auto since_run_start = [&](core::Ticks t) { return t >= f.start_tsc ? o.calibration.to_ns(t - f.start_tsc) / 1e9 : 0.0; };
  const json window{
      {"open", window_open},
      {"starts_at", "the first READY decision (executor)"},
      {"start_s", window_open ? since_run_start(start_tsc) : 0.0},
      {"end_s", window_open ? since_run_start(end_tsc) : 0.0},
      {"duration_s", window_s},
      {"first_seq", first_seq},
      {"published", window_published},
      {"acked", window_acked},
      {"lost", window_lost},
      {"degraded", d.window_provisional.load()},
      {"coverage", window_published > 0 ? static_cast<double>(window_acked) / static_cast<double>(window_published) : 0.0}};
  const auto per_s = [&](std::uint64_t n) { return window_s > 0 ? static_cast<double>(n) / window_s : 0.0; };

  // Whether the latency figures start at an intended time (docs/measurement.md).
  const bool paced = f.config.contains("run") && f.config["run"].value("rate_pps", 0.0) > 0;
  const json latency_origin{
      {"paced", paced},
      {"ingest_to_ack_starts_at",
       paced ? "each event's due time on the --rate schedule: free of coordinated omission"
             : "the rx burst's return: an unpaced source has no intended time, so a stall of the ingest loop shows "
               "only in events that waited in the ring, not in frames held before it"}};

  json warmup{{"count", acked_total - window_acked}, {"p50", nullptr}, {"max", nullptr}};
  if (o.sink != nullptr) {
    const control::HistogramSnapshot w = o.sink->warmup().snapshot();
    warmup["p50"] = o.calibration.to_ns(w.value_at_percentile(50.0));
    warmup["max"] = o.calibration.to_ns(w.max());
  }
  warmup["note"] = "acks before the first READY decision: in no stage histogram and no throughput figure";

  return json{{"version", build_version()},
              {"commit", build_commit()},
              {"config", f.config},
              {"duration_s", window_s},
              {"wall_s", f.duration_s},
              {"window", window},
              {"latency_origin", latency_origin},
              {"warmup", warmup},
              {"platform", f.platform},
              {"events", events},
              {"consumers", consumers},
              {"lifecycle",
               {{"final", std::string(core::to_string(o.lifecycle->current()))},
                {"transitions", transitions},
                {"history_dropped", o.lifecycle->history().dropped()}}},
              {"latency_ns", latency},
              {"lines", lines},
              {"histogram", {{"sub_bucket_bits", control::HistogramConfig{}.sub_bucket_bits},
                             {"relative_resolution", 1.0 / static_cast<double>(1u << control::HistogramConfig{}.sub_bucket_bits)},
                             {"note", "percentiles are HdrHistogram's (ceil rank, highest equivalent value, capped at the exact max); "
                                      "a percentile is at most this fraction above the true value"}}},
              {"sink_cost", sink_cost},
              {"throughput",
               {{"published_per_s", per_s(window_published)},
                {"acked_per_s", per_s(window_acked)},
                {"events_per_s", per_s(window_published)},
                {"over", "the window (window.duration_s)"}}},
              {"shutdown", {{"reason", f.stop_reason}, {"signal", signal_name(f.signal)}, {"drained", true}}}};
}

std::string format_final_table(const json& s) {
  const json& ev = s["events"];
  std::string out = fmt::format("\n{:=^78}\n", " tickpath run ");
  out += fmt::format("duration {:.2f}s  stopped by {}  lifecycle {}  hugepages {}\n",
                     s["duration_s"].get<double>(), s["shutdown"]["reason"].get<std::string>(),
                     s["lifecycle"]["final"].get<std::string>(), s["platform"]["hugepages"].get<bool>() ? "yes" : "no");
  out += fmt::format("frames {}  published {}  malformed {}  foreign {}  nic_missed {}\n",
                     ev["received"].get<std::uint64_t>(), ev["published"].get<std::uint64_t>(),
                     ev["malformed"].get<std::uint64_t>(), ev["foreign"].get<std::uint64_t>(),
                     ev["nic_missed"].get<std::uint64_t>());
  if (s.contains("window")) {
    const json& w = s["window"];
    const json& wu = s["warmup"];
    out += fmt::format("window {:.3f}s from the first READY (wall {:.2f}s)  published/s {}  acked/s {}  degraded acks {}\n",
                       w["duration_s"].get<double>(), s["wall_s"].get<double>(),
                       format_rate(s["throughput"]["published_per_s"].get<double>()),
                       format_rate(s["throughput"]["acked_per_s"].get<double>()), w["degraded"].get<std::uint64_t>());
    out += fmt::format("warmup {} acks, outside every figure below", wu["count"].get<std::uint64_t>());
    if (!wu["p50"].is_null()) {
      out += fmt::format(": ingest_to_ack p50 {} max {}", format_ns(wu["p50"].get<double>()), format_ns(wu["max"].get<double>()));
    }
    out += "\n";
  }
  if (s.contains("lines") && !s["lines"].is_null()) {
    const json& l = s["lines"];
    for (const char* x : {"A", "B"}) {
      out += fmt::format("line {}: won {}  duplicate {}  late {}  gaps {}  filled by other {}\n", x,
                         l[x]["won"].get<std::uint64_t>(), l[x]["duplicate"].get<std::uint64_t>(),
                         l[x]["late"].get<std::uint64_t>(), l[x]["gaps"].get<std::uint64_t>(),
                         l[x]["filled_by_other"].get<std::uint64_t>());
    }
    const json& k = l["skew_ns"];
    out += fmt::format("lines: lost on both {}  skew B-A (ns) n {}  p50 {:+.0f}  p99 {:+.0f}  min {:+.0f}  max {:+.0f}\n",
                       l["lost"].get<std::uint64_t>(), k["count"].get<std::uint64_t>(), k["p50"].get<double>(),
                       k["p99"].get<double>(), k["min"].get<double>(), k["max"].get<double>());
  }
  if (ev.contains("feed")) {
    const json& fd = ev["feed"];
    out += fmt::format("feed gaps {}  missing {}  duplicates {}  out_of_order {}  heartbeats {}  end_of_session {}\n",
                       fd["gaps"].get<std::uint64_t>(), fd["missing"].get<std::uint64_t>(),
                       fd["duplicates"].get<std::uint64_t>(), fd["out_of_order"].get<std::uint64_t>(),
                       ev["heartbeats"].get<std::uint64_t>(), ev["end_of_session"].get<std::uint64_t>());
  }
  if (s["platform"].contains("nic_timestamps")) {
    out += fmt::format("nic timestamps: {}\n", s["platform"]["nic_timestamps"]["note"].get<std::string>());
  }
  out += fmt::format("executed {}  provisional {}\n", ev["executed"].get<std::uint64_t>(),
                     ev["provisional"].get<std::uint64_t>());
  out += fmt::format("{:<12}{:>16}{:>12}{:>16}\n", "consumer", "consumed", "overruns", "lost");
  for (const json& c : s["consumers"]) {
    out += fmt::format("{:<12}{:>16}{:>12}{:>16}\n", c["name"].get<std::string>(),
                       c["consumed"].get<std::uint64_t>(), c["overruns"].get<std::uint64_t>(),
                       c["lost"].get<std::uint64_t>());
  }
  if (s["latency_ns"].is_null()) {
    out += "latency       not recorded (observability.sink = \"null\")\n";
    return out;
  }
  if (s.contains("window")) {
    const json& w = s["window"];
    out += fmt::format("latency covers {:.1f}% of the {} events published in the window: {} acked, {} lost "
                       "(overwritten before the execution consumer read them)\n",
                       100.0 * w["coverage"].get<double>(), w["published"].get<std::uint64_t>(),
                       w["acked"].get<std::uint64_t>(), w["lost"].get<std::uint64_t>());
  }
  if (s.contains("latency_origin")) {
    out += fmt::format("ingest_to_ack starts at {}\n", s["latency_origin"]["ingest_to_ack_starts_at"].get<std::string>());
  }
  out += fmt::format("{:<14}{:>12}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>8}{:>8}\n", "latency", "count", "min",
                     "p50", "p99", "p99.9", "p99.99", "max", "satur.", "neg.");
  // Report order (MetricsSink::stages()); the JSON object itself is sorted by name.
  for (const std::string stage : {"ingest_to_ack", "wire_to_ack", "wall_to_ack", "nic_to_ingest", "queue", "decision", "ack"}) {
    if (!s["latency_ns"].contains(stage)) continue;
    const json& l = s["latency_ns"][stage];
    if (l["count"].get<std::uint64_t>() == 0) {
      out += fmt::format("{:<14}{:>12}   (no sample: {})\n", stage, 0,
                         stage == "wire_to_ack" ? "no message carried a sender timestamp"
                         : stage == "wall_to_ack" ? "ingest.wall_clock_latency off, or no sender wall time"
                         : stage == "nic_to_ingest" ? "no NIC hardware timestamp" : "no event");
      continue;
    }
    out += fmt::format("{:<14}{:>12}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>8}{:>8}\n", stage,
                       l["count"].get<std::uint64_t>(), format_ns(l["min"].get<double>()),
                       format_ns(l["p50"].get<double>()), format_ns(l["p99"].get<double>()),
                       format_ns(l["p99_9"].get<double>()), format_ns(l["p99_99"].get<double>()),
                       format_ns(l["max"].get<double>()), l.value("saturated", std::uint64_t{0}),
                       l.value("negative", std::uint64_t{0}));
  }
  if (s.contains("sink_cost")) {
    out += fmt::format("sink          {} per ack (in no stage above; max {} per batch)\n",
                       format_ns(s["sink_cost"]["ns_per_event"].get<double>()),
                       format_ns(s["sink_cost"]["max_batch_ns"].get<double>()));
  }
  return out;
}

std::string write_summary(const std::string& dir, const json& summary) {
  const RunFilesResult r = write_run_files(dir, {RunFile{"summary.json", summary.dump(2) + "\n"}});
  return r.errors.empty() ? std::string() : r.errors.front();
}

}  // namespace tickpath::app

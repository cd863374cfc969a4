#include "control/plane/summary_document.hpp"

#include <cstring>

#include <fmt/format.h>

#include "control/metrics/latency_summary.hpp"
#include "control/metrics/line_figures.hpp"
#include "core/ingest/drop_reason.hpp"
#include "report/final_table.hpp"
#include "runtime/shutdown.hpp"

namespace tickpath::control {
namespace {

using nlohmann::json;

report::ConsumerFigures consumer_figures(const char* name, const core::ConsumerCounters& c) {
  return {name, c.consumed.load(), c.overruns.load(), c.lost.load()};
}

}  // namespace

json build_summary(const Observables& o, const RunFacts& f, const BuildIdentity& build) {
  const auto& in = o.counters->ingest;
  const NicCounters nic = o.nic();

  json drops = json::object();
  for (std::size_t i = 1; i < core::kDropReasonCount; ++i) {
    drops[std::string(core::to_string(static_cast<core::DropReason>(i)))] = in.drops[i].load();
  }
  // The figures go into `summary` (report::RunSummary names them, units in the keys); the records
  // around them (notes, config, platform, lifecycle, ...) into its document.
  report::RunSummary summary;
  summary.published = in.events.load();
  summary.malformed = in.malformed();
  summary.foreign = in.foreign();
  summary.nic_missed = nic.imissed;
  summary.nic_errors = nic.ierrors;
  summary.nic_rx_nombuf = nic.rx_nombuf;
  json events{{"received", in.frames.load()},
              {"frames", in.frames.load()},
              {"bursts", in.bursts.load()},
              {"heartbeats", in.heartbeats.load()},
              {"end_of_session", in.end_of_session.load()},
              {"feed",
               {{"gaps", in.feed_gaps.load()},
                {"recovered", in.feed_recovered.load()},
                {"missing", in.feed_missing()},
                {"duplicates", in.feed_duplicates.load()},
                {"out_of_order", in.feed_out_of_order.load()},
                {"untracked_frames", in.untracked_frames.load()}}},
              {"drops", drops},
              {"nic_ipackets", nic.ipackets},
              {"executed", o.counters->decisions.executed.load()},
              {"provisional", o.counters->decisions.provisional.load()}};

  summary.consumers.push_back(consumer_figures("execution", o.counters->execution));
  json consumers = json::array({{{"name", "execution"}}});
  if (o.analytics_enabled) {
    summary.consumers.push_back(consumer_figures("analytics", o.counters->analytics));
    consumers.push_back({{"name", "analytics"},
                         {"bytes", o.analytics->bytes()},
                         {"max_behind_ns", o.calibration.to_ns(o.analytics->max_behind_ticks())}});
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
      report::StageLatency l = report::stage_latency(std::string(stages[i].name), stages[i].histogram->snapshot(), o.calibration);
      l.negative = o.sink->negative(i).load();
      summary.latency.push_back(std::move(l));
    }
    latency["clock_skew_clamped"] = o.sink->clock_skew();
    latency["wall_clock_negative"] = o.sink->wall_clock_negative().load();
  }

  json lines = nullptr;  // one line: no arbitration
  if (o.lines != nullptr) {
    lines = lines_json(*o.lines, *o.line_skew, o.calibration);
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
      {"degraded", d.window_provisional.load()}};
  const auto per_s = [&](std::uint64_t n) { return window_s > 0 ? static_cast<double>(n) / window_s : 0.0; };

  // Whether the latency figures start at an intended time (docs/measurement.md).
  const bool paced = f.config.contains("run") && f.config["run"].value("rate_pps", 0.0) > 0;
  const json latency_origin{
      {"paced", paced},
      {"ingest_to_ack_starts_at",
       paced ? "each event's due time on the --rate schedule: free of coordinated omission"
             : "the rx burst's return: an unpaced source has no intended time, so a stall of the ingest loop shows "
               "only in events that waited in the ring, not in frames held before it"}};

  summary.warmup_count = acked_total - window_acked;
  if (o.sink != nullptr) {
    const HistogramSnapshot w = o.sink->warmup().snapshot();
    summary.warmup_p50_ns = o.calibration.to_ns(w.value_at_percentile(50.0));
    summary.warmup_max_ns = o.calibration.to_ns(w.max());
  }
  const json warmup{{"p50_ns", nullptr},  // null unless the sink recorded them (RunSummary fills them)
                    {"max_ns", nullptr},
                    {"note", "acks before the first READY decision: in no stage histogram and no throughput figure"}};
  summary.duration_s = window_s;
  summary.published_per_s = per_s(window_published);
  summary.acked_per_s = per_s(window_acked);
  summary.events_per_s = per_s(window_published);
  summary.window_lost = window_lost;
  summary.window_coverage = window_published > 0 ? static_cast<double>(window_acked) / static_cast<double>(window_published) : 0.0;
  summary.shutdown_reason = f.stop_reason;

  summary.document = json{{"version", build.version},
                          {"commit", build.commit},
                          {"config", f.config},
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
                          {report::kLatencyKey, latency},
                          {"lines", lines},
                          {"histogram", {{"sub_bucket_bits", HistogramConfig{}.sub_bucket_bits},
                                         {"relative_resolution", 1.0 / static_cast<double>(1u << HistogramConfig{}.sub_bucket_bits)},
                                         {"note", "percentiles are HdrHistogram's (ceil rank, highest equivalent value, capped at the exact max); "
                                                  "a percentile is at most this fraction above the true value"}}},
                          {"sink_cost", sink_cost},
                          {"throughput", {{"over", "the window (window.duration_s)"}}},
                          {"shutdown", {{"signal", runtime::signal_name(f.signal)}, {"drained", true}}}};
  return report::to_json(summary);
}

json summary_of_snapshot(json base, const ControlSnapshot& s) {
  json& ev = base["events"];
  ev["received"] = s.frames;
  ev["frames"] = s.frames;
  ev["published"] = s.published;
  ev["heartbeats"] = s.heartbeats;
  ev["end_of_session"] = s.end_of_session;
  ev["feed"]["gaps"] = s.feed_gaps;
  ev["feed"]["recovered"] = s.feed_recovered;
  ev["feed"]["missing"] = s.feed_gaps > s.feed_recovered ? s.feed_gaps - s.feed_recovered : 0;
  ev["feed"]["duplicates"] = s.feed_duplicates;
  ev["feed"]["out_of_order"] = s.feed_out_of_order;
  ev["feed"]["untracked_frames"] = s.untracked_frames;
  ev["malformed"] = s.malformed;
  ev["foreign"] = s.foreign;
  for (const auto& [reason, n] : s.drops) ev["drops"][reason] = n;
  ev["nic_missed"] = s.nic_missed;
  ev["nic_errors"] = s.nic_errors;
  ev["nic_rx_nombuf"] = s.nic_rx_nombuf;
  ev["nic_ipackets"] = s.nic_ipackets;
  ev["executed"] = s.executed;
  ev["provisional"] = s.provisional;
  for (json& c : base["consumers"]) {
    for (const ConsumerSnapshot& cs : s.consumers) {
      if (c.value("name", std::string()) != cs.name) continue;
      c["consumed"] = cs.consumed;
      c["overruns"] = cs.overruns;
      c["lost"] = cs.lost;
    }
  }
  if (base[report::kLatencyKey].is_object()) {
    // The figures of the interval's histograms; `negative` (the sink's counter) stays the base's.
    for (const auto& [stage, histogram] : s.latency) {
      base[report::kLatencyKey][stage].update(report::stage_json(report::stage_latency(stage, histogram, s.calibration)));
    }
  }
  base["duration_s"] = s.uptime_s;
  base["throughput"]["events_per_s"] = s.uptime_s > 0 ? static_cast<double>(s.published) / s.uptime_s : 0.0;
  return base;
}

json provisional_summary(json base, const ControlPlane& control) {
  const ControlPlane::LastInterval last = control.last_interval();
  if (last.snapshot == nullptr) return base;
  const ControlSnapshot& s = *last.snapshot;
  base = summary_of_snapshot(std::move(base), s);
  base["shutdown"] = {{"reason", "unfinished"}, {"signal", ""}, {"drained", false}};
  base["control"] = control.summary();
  base["report"] = {{"complete", false}, {"errors", json::array()}};
  base["provisional"] = {
      {"intervals", last.intervals},
      {"t_s", s.uptime_s},
      {"note", "written at every interval while the run goes on; the run never replaced it with its final "
               "summary (killed, crashed, or still running): counts are those of the last complete interval, "
               "timeline.csv and latency.hlog are read up to it"}};
  return base;
}

}  // namespace tickpath::control

#include "report/final_table.hpp"

#include <fmt/format.h>

#include "control/metrics/latency_summary.hpp"
#include "report/number_format.hpp"
#include "report/run_summary.hpp"

namespace tickpath::report {

using nlohmann::json;

StageLatency stage_latency(std::string stage, const control::HistogramSnapshot& snap, const core::TscCalibration& cal) {
  const control::LatencySummary s = control::summarize(snap, cal);
  return StageLatency{.stage = std::move(stage), .count = s.count, .negative = std::nullopt, .saturated = snap.saturated(),
                      .min = s.min, .p50 = s.p50, .p90 = s.p90, .p99 = s.p99, .p99_9 = s.p99_9, .p99_99 = s.p99_99,
                      .max = s.max, .mean = s.mean};
}

namespace {
// A figure the summary may hold as null (observability.sink = "null"): shown only when a number.
bool has_number(const json& j, const char* key) { return j.is_object() && j.contains(key) && j[key].is_number(); }
}  // namespace

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
    if (has_number(wu, "p50_ns") && has_number(wu, "max_ns")) {
      out += fmt::format(": ingest_to_ack p50 {} max {}", format_ns(wu["p50_ns"].get<double>()), format_ns(wu["max_ns"].get<double>()));
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
    const json& k = l["skew"];
    out += fmt::format("lines: lost on both {}  skew B-A (ns) n {}  p50 {:+.0f}  p99 {:+.0f}  min {:+.0f}  max {:+.0f}\n",
                       l["lost"].get<std::uint64_t>(), k["count"].get<std::uint64_t>(), k["p50_ns"].get<double>(),
                       k["p99_ns"].get<double>(), k["min_ns"].get<double>(), k["max_ns"].get<double>());
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
  if (s[kLatencyKey].is_null()) {
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
  // Report order (stage_order); the JSON object itself is sorted by name.
  for (const std::string& stage : stage_order(s[kLatencyKey])) {
    const json& l = s[kLatencyKey][stage];
    if (l["count"].get<std::uint64_t>() == 0) {
      out += fmt::format("{:<14}{:>12}   (no sample: {})\n", stage, 0,
                         stage == "wire_to_ack" ? "no message carried a sender timestamp"
                         : stage == "wall_to_ack" ? "ingest.wall_clock_latency off, or no sender wall time"
                         : stage == "nic_to_ingest" ? "no NIC hardware timestamp" : "no event");
      continue;
    }
    out += fmt::format("{:<14}{:>12}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>8}{:>8}\n", stage,
                       l["count"].get<std::uint64_t>(), format_ns(l["min_ns"].get<double>()),
                       format_ns(l["p50_ns"].get<double>()), format_ns(l["p99_ns"].get<double>()),
                       format_ns(l["p99_9_ns"].get<double>()), format_ns(l["p99_99_ns"].get<double>()),
                       format_ns(l["max_ns"].get<double>()), l.value("saturated", std::uint64_t{0}),
                       l.value("negative", std::uint64_t{0}));
  }
  if (s.contains("sink_cost")) {
    out += fmt::format("sink          {} per ack (in no stage above; max {} per batch)\n",
                       format_ns(s["sink_cost"]["ns_per_event"].get<double>()),
                       format_ns(s["sink_cost"]["max_batch_ns"].get<double>()));
  }
  return out;
}

}  // namespace tickpath::report

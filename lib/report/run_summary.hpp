#pragma once
// The figures of summary.json, typed: what `run --repeat`, `sweep`, `compare` and report.html read
// from a run, in one place. A figure is optional because a summary read back may lack it (an
// older version, `observability.sink = "null"`, a stage without a sample): absent is not zero.
//
// The sections that are records rather than figures (config, platform, lifecycle, control,
// failure, lines, report, ...) stay JSON in `document`: they are shown or diffed key by key,
// never computed on. to_json writes the typed figures back over the document, so a summary read
// and written again keeps every key it had.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace tickpath::report {

// summary.json latency.<stage>: nanoseconds (the keys say so: p50_ns, ...), from the stage's
// HdrHistogram; count, negative and saturated are counts of samples.
struct StageLatency {
  std::string stage;
  std::optional<std::uint64_t> count, negative, saturated;
  std::optional<double> min, p50, p90, p99, p99_9, p99_99, max, mean;
};

// The keys of one stage's figures, each once: the summary writer, the reader and the metric
// catalogue all walk these tables, so a name cannot differ between them.
struct StageFigure {
  std::string_view key;  // "p50_ns"
  std::optional<double> StageLatency::*field;
};
struct StageCount {
  std::string_view key;  // "count"
  std::optional<std::uint64_t> StageLatency::*field;
};
[[nodiscard]] std::span<const StageFigure> stage_figures();  // min_ns, p50_ns, ..., max_ns, mean_ns
[[nodiscard]] std::span<const StageCount> stage_counts();    // count, negative, saturated

// The summary schema: "latency" (was "latency_ns" before units moved into every key name,
// docs/operations.md "Renamed keys"). A summary that still has "latency_ns" is from before.
inline constexpr char kLatencyKey[] = "latency";

// summary.json consumers[]: one broadcast-ring consumer.
struct ConsumerFigures {
  std::string name;
  std::optional<std::uint64_t> consumed, overruns, lost;
};

struct RunSummary {
  std::optional<double> duration_s;  // the measured window (from the first READY decision)
  // throughput over the window
  std::optional<double> published_per_s, acked_per_s, events_per_s;
  // window: events published in it and not acked, and acked / published
  std::optional<std::uint64_t> window_lost;
  std::optional<double> window_coverage;
  // events: counts over the whole run
  std::optional<std::uint64_t> published, malformed, foreign, nic_missed, nic_errors, nic_rx_nombuf;
  std::vector<ConsumerFigures> consumers;
  std::vector<StageLatency> latency;  // display order: ingest_to_ack first (stage_order)
  // Acks before the first READY decision (warmup.count, warmup.p50_ns, warmup.max_ns): in no stage.
  std::optional<std::uint64_t> warmup_count;
  std::optional<double> warmup_p50_ns, warmup_max_ns;
  // The machine's floor measured at start-up (platform.c2c_ns, the worst platform.jitter core).
  std::optional<double> floor_c2c_ns, floor_jitter_max_ns;
  std::string shutdown_reason;  // "duration", "events", "signal"; empty when absent

  nlohmann::json document = nlohmann::json::object();  // the whole summary as read or built

  [[nodiscard]] const StageLatency* stage(std::string_view name) const;
  [[nodiscard]] const ConsumerFigures* consumer(std::string_view name) const;
};

// The summary's figures, or one message naming the first field of the wrong shape
// (`field "latency.queue.p50_ns": expected a finite number >= 0, found a string`), or naming the
// old key of a summary written before the rename. Never throws.
[[nodiscard]] std::variant<RunSummary, std::string> parse_run_summary(const nlohmann::json& summary);

// The document with every typed figure written over it (absent figures are left as they are).
[[nodiscard]] nlohmann::json to_json(const RunSummary& summary);

// One stage's object as summary.json holds it: every figure the stage has, under its key.
[[nodiscard]] nlohmann::json stage_json(const StageLatency& stage);

// Stages in display order: ingest_to_ack, then from the wire inwards, then unknown ones by name.
[[nodiscard]] std::vector<std::string> stage_order(const nlohmann::json& latency);

}  // namespace tickpath::report

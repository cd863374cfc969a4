#pragma once
// The catalogue of a run's comparable figures: each one's name, unit and which direction is
// better. `run --repeat` and `sweep` aggregate these (aggregate.json, sweep.csv/json), `compare`
// judges them: one extraction (run_metrics), one name per figure everywhere.
//
//   name                                    unit    better   what
//   throughput.acked_per_s                  per_s   higher   acks per second over the window
//   throughput.published_per_s              per_s   (info)   events published per second
//   throughput.events_per_s                 per_s   (info)   old name of published_per_s
//   window.lost                             count   lower    published in the window, never acked
//   window.coverage                         ratio   higher   acked / published in the window
//   drops.total                             count   lower    drops.nic + drops.decoder + consumers.execution.lost
//   drops.nic                               count   lower    nic_missed + nic_errors + nic_rx_nombuf
//   drops.decoder                           count   lower    malformed + foreign frames
//   duration_s                              s       (info)   the window's length
//   events.published                        count   (info)
//   events.<nic_missed|nic_errors|nic_rx_nombuf|malformed>   count lower
//   consumers.<consumer>.<overruns|lost>    count   lower
//   latency.<stage>.count                   count   (info)
//   latency.<stage>.<min|p50|p90|p99|p99_9|p99_99|max|mean>_ns   ns   lower
//   floor.c2c_ns                            ns      (info)   core-to-core round trip at start-up
//   floor.jitter_max_ns                     ns      (info)   the worst hot core's jitter max
//
// The floor figures are measurements of the machine, not of tickpath: shown, never judged.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/run_summary.hpp"

namespace tickpath::report {

enum class Better { lower, higher, neither };
enum class Unit { ns, per_s, count, ratio, seconds };

struct MetricInfo {
  std::string_view name;  // a pattern where it holds <stage> or <consumer>
  Unit unit;
  Better better;
};

// Every entry of the table above, in display order.
[[nodiscard]] std::span<const MetricInfo> metric_catalogue();

// The catalogue entry a concrete name falls under ("latency.queue.p99_ns" -> "latency.<stage>.p99_ns");
// nullptr for a name outside the catalogue.
[[nodiscard]] const MetricInfo* find_metric(std::string_view name);

struct Metric {
  std::string name;
  double value = 0;
  Unit unit = Unit::count;
  Better better = Better::neither;
};

// The summary's figures that it has, in display order (the catalogue's, stages in stage_order,
// consumers as listed).
[[nodiscard]] std::vector<Metric> run_metrics(const RunSummary& summary);

// {"name": value, ...}: the per-run form in aggregate.json, sweep.csv and sweep.json.
[[nodiscard]] nlohmann::json metrics_json(const std::vector<Metric>& metrics);

[[nodiscard]] std::string_view unit_name(Unit unit);

}  // namespace tickpath::report

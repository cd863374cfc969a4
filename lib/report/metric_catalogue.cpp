#include "report/metric_catalogue.hpp"

#include <array>
#include <optional>

namespace tickpath::report {
namespace {

constexpr std::array kCatalogue{
    // Judged on acked/s: a run that loses more publishes as fast but acks less, and must not look
    // better. published/s (and its old name events_per_s) is shown, not judged.
    MetricInfo{"throughput.acked_per_s", Unit::per_s, Better::higher},
    MetricInfo{"throughput.published_per_s", Unit::per_s, Better::neither},
    MetricInfo{"throughput.events_per_s", Unit::per_s, Better::neither},
    MetricInfo{"window.lost", Unit::count, Better::lower},
    MetricInfo{"window.coverage", Unit::ratio, Better::higher},
    MetricInfo{"drops.total", Unit::count, Better::lower},
    MetricInfo{"drops.nic", Unit::count, Better::lower},
    MetricInfo{"drops.decoder", Unit::count, Better::lower},
    MetricInfo{"duration_s", Unit::seconds, Better::neither},
    MetricInfo{"events.published", Unit::count, Better::neither},
    MetricInfo{"events.nic_missed", Unit::count, Better::lower},
    MetricInfo{"events.nic_errors", Unit::count, Better::lower},
    MetricInfo{"events.nic_rx_nombuf", Unit::count, Better::lower},
    MetricInfo{"events.malformed", Unit::count, Better::lower},
    MetricInfo{"consumers.<consumer>.overruns", Unit::count, Better::lower},
    MetricInfo{"consumers.<consumer>.lost", Unit::count, Better::lower},
    MetricInfo{"latency.<stage>.count", Unit::count, Better::neither},
    MetricInfo{"latency.<stage>.min_ns", Unit::ns, Better::lower},
    MetricInfo{"latency.<stage>.p50_ns", Unit::ns, Better::lower},
    MetricInfo{"latency.<stage>.p90_ns", Unit::ns, Better::lower},
    MetricInfo{"latency.<stage>.p99_ns", Unit::ns, Better::lower},
    MetricInfo{"latency.<stage>.p99_9_ns", Unit::ns, Better::lower},
    MetricInfo{"latency.<stage>.p99_99_ns", Unit::ns, Better::lower},
    MetricInfo{"latency.<stage>.max_ns", Unit::ns, Better::lower},
    MetricInfo{"latency.<stage>.mean_ns", Unit::ns, Better::lower},
    MetricInfo{"floor.c2c_ns", Unit::ns, Better::neither},
    MetricInfo{"floor.jitter_max_ns", Unit::ns, Better::neither},
};

// "consumers.<consumer>.lost" matches "consumers.analytics.lost": a <...> segment matches one
// dotted segment of the name (a stage or consumer name holds no dot).
bool matches(std::string_view pattern, std::string_view name) {
  while (!pattern.empty() && !name.empty()) {
    const std::size_t pe = pattern.find('.');
    const std::size_t ne = name.find('.');
    const std::string_view p = pattern.substr(0, pe);
    const std::string_view n = name.substr(0, ne);
    if (!(p.starts_with('<') && p.ends_with('>')) && p != n) return false;
    if ((pe == std::string_view::npos) != (ne == std::string_view::npos)) return false;
    if (pe == std::string_view::npos) return true;
    pattern.remove_prefix(pe + 1);
    name.remove_prefix(ne + 1);
  }
  return pattern.empty() && name.empty();
}

const MetricInfo& info(std::string_view pattern) {
  for (const MetricInfo& m : kCatalogue) {
    if (m.name == pattern) return m;
  }
  return kCatalogue.front();  // unreachable for the literals below; the unit test walks them all
}

}  // namespace

std::span<const MetricInfo> metric_catalogue() { return kCatalogue; }

const MetricInfo* find_metric(std::string_view name) {
  for (const MetricInfo& m : kCatalogue) {
    if (matches(m.name, name)) return &m;
  }
  return nullptr;
}

std::vector<Metric> run_metrics(const RunSummary& s) {
  std::vector<Metric> out;
  const auto add = [&](std::string name, std::string_view pattern, auto value) {
    if (!value) return;
    const MetricInfo& m = info(pattern);
    out.push_back({std::move(name), static_cast<double>(*value), m.unit, m.better});
  };
  const auto fixed = [&](std::string_view name, auto value) { add(std::string(name), name, value); };
  fixed("throughput.acked_per_s", s.acked_per_s);
  fixed("throughput.published_per_s", s.published_per_s);
  fixed("throughput.events_per_s", s.events_per_s);
  fixed("window.lost", s.window_lost);
  fixed("window.coverage", s.window_coverage);
  // Every frame that did not become an ack: the NIC's, the decoder's and the execution
  // consumer's losses. Absent unless all the NIC counters are there (an older summary).
  std::optional<double> nic, decoder;
  if (s.nic_missed && s.nic_errors && s.nic_rx_nombuf) nic = double(*s.nic_missed) + double(*s.nic_errors) + double(*s.nic_rx_nombuf);
  if (s.malformed && s.foreign) decoder = double(*s.malformed) + double(*s.foreign);
  const ConsumerFigures* exec = s.consumer("execution");
  const double lost_exec = exec != nullptr && exec->lost ? double(*exec->lost) : 0.0;
  if (nic && decoder) fixed("drops.total", std::optional<double>(*nic + *decoder + lost_exec));
  fixed("drops.nic", nic);
  fixed("drops.decoder", decoder);
  fixed("duration_s", s.duration_s);
  fixed("events.published", s.published);
  fixed("events.nic_missed", s.nic_missed);
  fixed("events.nic_errors", s.nic_errors);
  fixed("events.nic_rx_nombuf", s.nic_rx_nombuf);
  fixed("events.malformed", s.malformed);
  for (const ConsumerFigures& c : s.consumers) {
    add("consumers." + c.name + ".overruns", "consumers.<consumer>.overruns", c.overruns);
    add("consumers." + c.name + ".lost", "consumers.<consumer>.lost", c.lost);
  }
  // The stage figures under summary.json's own keys (run_summary.hpp's tables): one name each.
  for (const StageLatency& l : s.latency) {
    const std::string at = std::string(kLatencyKey) + "." + l.stage + ".";
    const std::string pattern = std::string(kLatencyKey) + ".<stage>.";
    add(at + "count", pattern + "count", l.count);
    for (const StageFigure& f : stage_figures()) add(at + std::string(f.key), pattern + std::string(f.key), l.*f.field);
  }
  fixed("floor.c2c_ns", s.floor_c2c_ns);
  fixed("floor.jitter_max_ns", s.floor_jitter_max_ns);
  return out;
}

nlohmann::json metrics_json(const std::vector<Metric>& metrics) {
  nlohmann::json out = nlohmann::json::object();
  for (const Metric& m : metrics) out[m.name] = m.value;
  return out;
}

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::ns: return "ns";
    case Unit::per_s: return "per_s";
    case Unit::count: return "count";
    case Unit::ratio: return "ratio";
    case Unit::seconds: return "s";
  }
  return "?";
}

}  // namespace tickpath::report

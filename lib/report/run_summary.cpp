#include "report/run_summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "report/summary_check.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

// The stage every reader looks for first, then the others from the wire inwards.
constexpr std::array kStageOrder{"ingest_to_ack", "wire_to_ack", "wall_to_ack", "nic_to_ingest", "queue", "decision", "ack"};

// Readers over a document summary_shape_error accepted: a field is absent or of its type, so a
// type check here only keeps the functions total (they never throw on their own either).
std::optional<double> number(const json& j, std::string_view key) {
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<std::uint64_t> count(const json& j, std::string_view key) {
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find(key);
  if (it == j.end() || !(it->is_number_unsigned() || (it->is_number_integer() && it->get<std::int64_t>() >= 0))) return std::nullopt;
  return it->get<std::uint64_t>();
}

const json& section(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

template <typename T>
void put(json& j, std::string_view key, const std::optional<T>& v) {
  if (v) j[std::string(key)] = *v;
}

// The summary's typed figures by section, each key written once: parse and to_json walk the same
// tables.
template <typename T>
struct Field {
  const char* key;
  std::optional<T> RunSummary::*field;
};
constexpr Field<double> kThroughput[] = {{"published_per_s", &RunSummary::published_per_s},
                                         {"acked_per_s", &RunSummary::acked_per_s},
                                         {"events_per_s", &RunSummary::events_per_s}};
constexpr Field<std::uint64_t> kEventCounts[] = {
    {"published", &RunSummary::published},   {"malformed", &RunSummary::malformed},
    {"foreign", &RunSummary::foreign},       {"nic_missed", &RunSummary::nic_missed},
    {"nic_errors", &RunSummary::nic_errors}, {"nic_rx_nombuf", &RunSummary::nic_rx_nombuf}};

constexpr StageFigure kStageFigures[] = {
    {"min_ns", &StageLatency::min},       {"p50_ns", &StageLatency::p50},       {"p90_ns", &StageLatency::p90},
    {"p99_ns", &StageLatency::p99},       {"p99_9_ns", &StageLatency::p99_9},   {"p99_99_ns", &StageLatency::p99_99},
    {"max_ns", &StageLatency::max},       {"mean_ns", &StageLatency::mean}};
constexpr StageCount kStageCounts[] = {
    {"count", &StageLatency::count}, {"negative", &StageLatency::negative}, {"saturated", &StageLatency::saturated}};

// A section of `j` as an object to write into (created, or replaced when it was not an object).
json& object_at(json& j, const char* key) {
  json& o = j[key];
  if (!o.is_object()) o = json::object();
  return o;
}

// The worst hot core's jitter max (platform.jitter.cores[].max_ns).
std::optional<double> worst_jitter(const json& platform) {
  const json& cores = section(section(platform, "jitter"), "cores");
  if (!cores.is_array()) return std::nullopt;
  std::optional<double> worst;
  for (const json& c : cores) {
    if (const auto v = number(c, "max_ns")) worst = worst ? std::max(*worst, *v) : *v;
  }
  return worst;
}

}  // namespace

std::span<const StageFigure> stage_figures() { return kStageFigures; }
std::span<const StageCount> stage_counts() { return kStageCounts; }

json stage_json(const StageLatency& l) {
  json o = json::object();
  for (const StageCount& c : kStageCounts) put(o, c.key, l.*c.field);
  for (const StageFigure& f : kStageFigures) put(o, f.key, l.*f.field);
  return o;
}

const StageLatency* RunSummary::stage(std::string_view name) const {
  const auto it = std::find_if(latency.begin(), latency.end(), [&](const StageLatency& s) { return s.stage == name; });
  return it == latency.end() ? nullptr : &*it;
}

const ConsumerFigures* RunSummary::consumer(std::string_view name) const {
  const auto it = std::find_if(consumers.begin(), consumers.end(), [&](const ConsumerFigures& c) { return c.name == name; });
  return it == consumers.end() ? nullptr : &*it;
}

std::vector<std::string> stage_order(const json& latency) {
  std::vector<std::string> out;
  if (!latency.is_object()) return out;
  for (const char* known : kStageOrder) {
    if (latency.contains(known) && latency[known].is_object()) out.emplace_back(known);
  }
  for (const auto& [stage, l] : latency.items()) {  // items() of an object iterate sorted
    if (l.is_object() && std::find(out.begin(), out.end(), stage) == out.end()) out.push_back(stage);
  }
  return out;
}

std::variant<RunSummary, std::string> parse_run_summary(const json& j) {
  if (auto error = summary_shape_error(j)) return *error;
  RunSummary s;
  s.document = j;
  s.duration_s = number(j, "duration_s");
  const json& tp = section(j, "throughput");
  for (const auto& f : kThroughput) s.*f.field = number(tp, f.key);
  const json& window = section(j, "window");
  s.window_lost = count(window, "lost");
  s.window_coverage = number(window, "coverage");
  const json& ev = section(j, "events");
  for (const auto& f : kEventCounts) s.*f.field = count(ev, f.key);
  const json& consumers = section(j, "consumers");
  if (consumers.is_array()) {
    for (const json& c : consumers) {
      const json& name = section(c, "name");
      s.consumers.push_back({name.is_string() ? name.get<std::string>() : std::string("?"), count(c, "consumed"),
                             count(c, "overruns"), count(c, "lost")});
    }
  }
  const json& latency = section(j, kLatencyKey);
  for (const std::string& stage : stage_order(latency)) {
    StageLatency l;
    l.stage = stage;
    for (const StageCount& c : kStageCounts) l.*c.field = count(latency[stage], c.key);
    for (const StageFigure& f : kStageFigures) l.*f.field = number(latency[stage], f.key);
    s.latency.push_back(std::move(l));
  }
  const json& warmup = section(j, "warmup");
  s.warmup_count = count(warmup, "count");
  s.warmup_p50_ns = number(warmup, "p50_ns");
  s.warmup_max_ns = number(warmup, "max_ns");
  const json& platform = section(j, "platform");
  s.floor_c2c_ns = number(platform, "c2c_ns");
  s.floor_jitter_max_ns = worst_jitter(platform);
  const json& reason = section(section(j, "shutdown"), "reason");
  if (reason.is_string()) s.shutdown_reason = reason.get<std::string>();
  return s;
}

json to_json(const RunSummary& s) {
  json j = s.document.is_object() ? s.document : json::object();
  put(j, "duration_s", s.duration_s);
  json& tp = object_at(j, "throughput");
  for (const auto& f : kThroughput) put(tp, f.key, s.*f.field);
  if (tp.empty()) j.erase("throughput");
  if (s.window_lost || s.window_coverage) {
    json& w = object_at(j, "window");
    put(w, "lost", s.window_lost);
    put(w, "coverage", s.window_coverage);
  }
  json& ev = object_at(j, "events");
  for (const auto& f : kEventCounts) put(ev, f.key, s.*f.field);
  if (!s.consumers.empty()) {
    json& cs = j["consumers"];
    if (!cs.is_array()) cs = json::array();
    for (const ConsumerFigures& c : s.consumers) {
      auto it = std::find_if(cs.begin(), cs.end(), [&](const json& x) { return x.is_object() && x.value("name", std::string()) == c.name; });
      if (it == cs.end()) it = cs.insert(cs.end(), json{{"name", c.name}});
      put(*it, "consumed", c.consumed);
      put(*it, "overruns", c.overruns);
      put(*it, "lost", c.lost);
    }
  }
  if (!s.latency.empty()) {
    json& lat = object_at(j, kLatencyKey);
    for (const StageLatency& l : s.latency) object_at(lat, l.stage.c_str()).update(stage_json(l));
  }
  if (s.warmup_count || s.warmup_p50_ns || s.warmup_max_ns) {
    json& w = object_at(j, "warmup");
    put(w, "count", s.warmup_count);
    put(w, "p50_ns", s.warmup_p50_ns);
    put(w, "max_ns", s.warmup_max_ns);
  }
  if (s.floor_c2c_ns) object_at(j, "platform")["c2c_ns"] = *s.floor_c2c_ns;
  if (!s.shutdown_reason.empty()) object_at(j, "shutdown")["reason"] = s.shutdown_reason;
  return j;
}

}  // namespace tickpath::report

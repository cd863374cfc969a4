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
std::optional<double> number(const json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<std::uint64_t> count(const json& j, const char* key) {
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
void put(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
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
  s.published_per_s = number(tp, "published_per_s");
  s.acked_per_s = number(tp, "acked_per_s");
  s.events_per_s = number(tp, "events_per_s");
  const json& window = section(j, "window");
  s.window_lost = count(window, "lost");
  s.window_coverage = number(window, "coverage");
  const json& ev = section(j, "events");
  s.published = count(ev, "published");
  s.malformed = count(ev, "malformed");
  s.foreign = count(ev, "foreign");
  s.nic_missed = count(ev, "nic_missed");
  s.nic_errors = count(ev, "nic_errors");
  s.nic_rx_nombuf = count(ev, "nic_rx_nombuf");
  const json& consumers = section(j, "consumers");
  if (consumers.is_array()) {
    for (const json& c : consumers) {
      const json& name = section(c, "name");
      s.consumers.push_back({name.is_string() ? name.get<std::string>() : std::string("?"), count(c, "consumed"),
                             count(c, "overruns"), count(c, "lost")});
    }
  }
  const json& latency = section(j, "latency_ns");
  for (const std::string& stage : stage_order(latency)) {
    const json& l = latency[stage];
    s.latency.push_back({stage, count(l, "count"), number(l, "min"), number(l, "p50"), number(l, "p90"), number(l, "p99"),
                         number(l, "p99_9"), number(l, "p99_99"), number(l, "max"), number(l, "mean")});
  }
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
  json& tp = j["throughput"];
  if (!tp.is_object()) tp = json::object();
  put(tp, "published_per_s", s.published_per_s);
  put(tp, "acked_per_s", s.acked_per_s);
  put(tp, "events_per_s", s.events_per_s);
  if (tp.empty()) j.erase("throughput");
  if (s.window_lost || s.window_coverage) {
    json& w = j["window"];
    if (!w.is_object()) w = json::object();
    put(w, "lost", s.window_lost);
    put(w, "coverage", s.window_coverage);
  }
  json& ev = j["events"];
  if (!ev.is_object()) ev = json::object();
  put(ev, "published", s.published);
  put(ev, "malformed", s.malformed);
  put(ev, "foreign", s.foreign);
  put(ev, "nic_missed", s.nic_missed);
  put(ev, "nic_errors", s.nic_errors);
  put(ev, "nic_rx_nombuf", s.nic_rx_nombuf);
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
    json& lat = j["latency_ns"];
    if (!lat.is_object()) lat = json::object();
    for (const StageLatency& l : s.latency) {
      json& o = lat[l.stage];
      if (!o.is_object()) o = json::object();
      put(o, "count", l.count);
      put(o, "min", l.min);
      put(o, "p50", l.p50);
      put(o, "p90", l.p90);
      put(o, "p99", l.p99);
      put(o, "p99_9", l.p99_9);
      put(o, "p99_99", l.p99_99);
      put(o, "max", l.max);
      put(o, "mean", l.mean);
    }
  }
  if (s.floor_c2c_ns) {
    if (!j["platform"].is_object()) j["platform"] = json::object();
    j["platform"]["c2c_ns"] = *s.floor_c2c_ns;
  }
  if (!s.shutdown_reason.empty()) {
    if (!j["shutdown"].is_object()) j["shutdown"] = json::object();
    j["shutdown"]["reason"] = s.shutdown_reason;
  }
  return j;
}

}  // namespace tickpath::report

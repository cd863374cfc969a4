#include "report/summary_check.hpp"

#include <cmath>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace tickpath::report {
namespace {

using nlohmann::json;

enum class Kind { object, array, string, boolean, number, count, object_or_array, object_or_null, number_or_null };

struct Rule {
  // Dotted path; "*" matches every member of an object, "[]" every element of an array.
  std::string_view path;
  Kind kind;
};

// Every field a renderer reads (html_report.cpp, run_summary.cpp). Parents come before children, so a
// child rule only ever meets a parent of the right type.
constexpr Rule kRules[] = {
    {"events", Kind::object},
    {"events.drops", Kind::object},
    {"events.drops.*", Kind::count},
    {"events.feed", Kind::object},
    {"events.feed.*", Kind::count},
    {"events.received", Kind::count},
    {"events.frames", Kind::count},
    {"events.published", Kind::count},
    {"events.malformed", Kind::count},
    {"events.foreign", Kind::count},
    {"events.nic_missed", Kind::count},
    {"events.nic_errors", Kind::count},
    {"events.nic_rx_nombuf", Kind::count},
    {"events.executed", Kind::count},
    {"events.provisional", Kind::count},
    {"version", Kind::string},
    {"duration_s", Kind::number},
    {"config", Kind::object},
    {"consumers", Kind::array},
    {"consumers.[]", Kind::object},
    {"consumers.[].name", Kind::string},
    {"consumers.[].consumed", Kind::count},
    {"consumers.[].overruns", Kind::count},
    {"consumers.[].lost", Kind::count},
    {"lifecycle", Kind::object},
    {"lifecycle.final", Kind::string},
    {"lifecycle.transitions", Kind::array},
    {"lifecycle.transitions.[]", Kind::object},
    {"lifecycle.transitions.[].t_s", Kind::number},
    {"lifecycle.transitions.[].from", Kind::string},
    {"lifecycle.transitions.[].to", Kind::string},
    {"latency", Kind::object_or_null},  // null: observability.sink = "null" recorded nothing
    {"latency.*.count", Kind::count},
    {"latency.ingest_to_ack", Kind::object},
    {"latency.*.min_ns", Kind::number},
    {"latency.*.p50_ns", Kind::number},
    {"latency.*.p90_ns", Kind::number},
    {"latency.*.p99_ns", Kind::number},
    {"latency.*.p99_9_ns", Kind::number},
    {"latency.*.p99_99_ns", Kind::number},
    {"latency.*.max_ns", Kind::number},
    {"latency.*.mean_ns", Kind::number},
    {"warmup", Kind::object},
    {"warmup.count", Kind::count},
    {"warmup.p50_ns", Kind::number_or_null},  // null: observability.sink = "null"
    {"warmup.max_ns", Kind::number_or_null},
    {"throughput", Kind::object},
    {"throughput.events_per_s", Kind::number},
    {"throughput.published_per_s", Kind::number},
    {"throughput.acked_per_s", Kind::number},
    {"window", Kind::object},
    {"window.lost", Kind::count},
    {"window.coverage", Kind::number},
    {"shutdown", Kind::object},
    {"shutdown.reason", Kind::string},
    {"failure", Kind::object},
    {"failure.schedule", Kind::array},
    {"failure.schedule.[]", Kind::object},
    {"failure.schedule.[].scenario", Kind::string},
    {"failure.schedule.[].action", Kind::string},
    {"failure.schedule.[].applied", Kind::boolean},
    {"failure.schedule.[].ok", Kind::boolean},
    {"failure.schedule.[].at_event", Kind::count},
    {"failure.schedule.[].applied_at_event", Kind::count},
    {"control", Kind::object},
    {"control.health", Kind::object_or_array},
    {"control.health.probes", Kind::array},
    {"control.health.probes.[]", Kind::object},
    {"control.health.probes.[].name", Kind::string},
    {"control.health.probes.[].status", Kind::string},
    {"control.health.probes.[].reason", Kind::string},
    {"control.health.[]", Kind::object},
    {"control.health.[].name", Kind::string},
    {"control.health.[].status", Kind::string},
    {"control.health.[].reason", Kind::string},
    {"control.runbook", Kind::object},
    {"control.runbook.actions", Kind::array},
    {"platform", Kind::object},
    {"platform.cores", Kind::object},
    {"platform.hot_shared", Kind::boolean},
    {"platform.hugepages", Kind::boolean},
    {"platform.tsc_hz", Kind::number},
    {"platform.port", Kind::object},
    {"platform.port.link_up", Kind::boolean},
    {"platform.port.hw_timestamps", Kind::boolean},
    {"platform.readiness", Kind::object},
    {"platform.jitter.cores", Kind::array},
    {"platform.jitter.cores.[]", Kind::object},
    {"platform.jitter.cores.[].p99_ns", Kind::number},
    {"platform.jitter.cores.[].p99_99_ns", Kind::number},
    {"platform.jitter.cores.[].max_ns", Kind::number},
    {"platform.c2c", Kind::object},
    {"platform.c2c_ns", Kind::number_or_null},  // null: ingest and execution share a cpu
    {"platform.c2c.same_cpu", Kind::boolean},
    {"platform.eal_args", Kind::array},
};

const char* expected(Kind k) {
  switch (k) {
    case Kind::object: return "an object";
    case Kind::array: return "an array";
    case Kind::string: return "a string";
    case Kind::boolean: return "a boolean";
    case Kind::number: return "a finite number >= 0";
    case Kind::count: return "a count (an integer >= 0)";
    case Kind::object_or_array: return "an object or an array";
    case Kind::object_or_null: return "an object or null";
    case Kind::number_or_null: return "a finite number >= 0 or null";
  }
  return "?";
}

const char* found(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_float: return "a number";
    case json::value_t::number_integer: return "a number";
    case json::value_t::number_unsigned: return "a number";
    default: return "a binary value";
  }
}

bool fits(const json& v, Kind k) {
  switch (k) {
    case Kind::object: return v.is_object();
    case Kind::array: return v.is_array();
    case Kind::string: return v.is_string();
    case Kind::boolean: return v.is_boolean();
    // Times, rates and percentiles: never negative in a summary tickpath wrote.
    case Kind::number: return v.is_number() && std::isfinite(v.get<double>()) && v.get<double>() >= 0;
    case Kind::count: return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
    case Kind::object_or_array: return v.is_object() || v.is_array();
    case Kind::object_or_null: return v.is_object() || v.is_null();
    case Kind::number_or_null: return v.is_null() || fits(v, Kind::number);
  }
  return false;
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// Walks `segments` from `v`; `where` is the path so far as a reader would write it.
std::optional<std::string> check(const json& v, const std::vector<std::string_view>& segments, std::size_t at,
                                 const std::string& where, Kind kind) {
  if (at == segments.size()) {
    if (fits(v, kind)) return std::nullopt;
    return fmt::format("field \"{}\": expected {}, found {}", where, expected(kind), found(v));
  }
  const std::string_view s = segments[at];
  if (s == "[]") {
    if (!v.is_array()) return std::nullopt;  // the parent's own rule says what it must be
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (auto e = check(v[i], segments, at + 1, fmt::format("{}[{}]", where, i), kind)) return e;
    }
    return std::nullopt;
  }
  if (!v.is_object()) return std::nullopt;
  const auto child = [&](const std::string& key) { return where.empty() ? key : where + "." + key; };
  if (s == "*") {
    for (const auto& [key, value] : v.items()) {
      if (auto e = check(value, segments, at + 1, child(key), kind)) return e;
    }
    return std::nullopt;
  }
  const auto it = v.find(std::string(s));
  if (it == v.end()) return std::nullopt;  // absent: the renderers show "–"
  return check(*it, segments, at + 1, child(std::string(s)), kind);
}

}  // namespace

std::optional<std::string> summary_shape_error(const json& summary) {
  if (!summary.is_object()) return fmt::format("expected a JSON object at the top, found {}", found(summary));
  if (!summary.contains("events")) return std::string("field \"events\": missing (not a tickpath summary)");
  // Written before units moved into every key name: its figures are under other keys, and read
  // with today's names they would all be absent. Said, not guessed at.
  if (summary.contains("latency_ns")) {
    return std::string("field \"latency_ns\": a summary.json from before the key rename (now \"latency.<stage>.p50_ns\" "
                       "and so on): read it with the tickpath that wrote it, or rename its keys as docs/operations.md "
                       "\"Renamed keys\" lists");
  }
  for (const Rule& r : kRules) {
    if (auto e = check(summary, split(r.path), 0, "", r.kind)) return e;
  }
  return std::nullopt;
}

}  // namespace tickpath::report

#include "control/views/telemetry_view.hpp"

#include <climits>
#include <cmath>

#include "control/metrics/latency_summary.hpp"
#include "control/metrics/line_figures.hpp"

namespace tickpath::control {
namespace {

std::uint64_t rounded_ns(double ns) { return ns <= 0 ? 0 : static_cast<std::uint64_t>(std::llround(ns)); }

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// A JSON value as one telemetry scalar: booleans as 0/1, integers that fit an int as ints, and
// anything else (a double, an array, a nested object) as its JSON text.
TelemetryScalar scalar(const nlohmann::json& v) {
  if (v.is_boolean()) return std::uint64_t{v.get<bool>() ? 1u : 0u};
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= INT_MIN && v.get<std::int64_t>() <= INT_MAX) {
    return static_cast<int>(v.get<std::int64_t>());
  }
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TelemetryEntry entry(std::string key, const TelemetryScalar& v) {
  TelemetryEntry e{std::move(key), {}};
  std::visit([&](const auto& x) { e.value = x; }, v);
  return e;
}

// An object of scalars becomes a dict (DPDK nests containers one level deep).
TelemetryEntry json_entry(const std::string& key, const nlohmann::json& v) {
  if (!v.is_object()) return entry(key, scalar(v));
  TelemetryDict d;
  for (const auto& [k, item] : v.items()) d.push_back({k, scalar(item)});
  return {key, std::move(d)};
}

}  // namespace

TelemetryReply telemetry_state(const ControlSnapshot& s) {
  return {{"state", s.state},
          {"ready", std::uint64_t{s.ready ? 1u : 0u}},
          {"ready_reason", s.ready_reason},
          {"link_up", std::uint64_t{s.link_up ? 1u : 0u}},
          {"uptime_ms", static_cast<std::uint64_t>(s.uptime_s * 1000.0)},
          {"active_failures", join(s.active_failures)}};
}

TelemetryReply telemetry_stats(const ControlSnapshot& s) {
  TelemetryReply r{{"frames", s.frames},
                   {"published", s.published},
                   {"heartbeats", s.heartbeats},
                   {"malformed", s.malformed},
                   {"foreign", s.foreign},
                   {"feed_gaps", s.feed_gaps},
                   {"feed_recovered", s.feed_recovered},
                   {"feed_duplicates", s.feed_duplicates},
                   {"feed_out_of_order", s.feed_out_of_order},
                   {"end_of_session", s.end_of_session},
                   {"executed", s.executed},
                   {"provisional", s.provisional},
                   {"nic_ipackets", s.nic_ipackets},
                   {"nic_missed", s.nic_missed},
                   {"nic_errors", s.nic_errors},
                   {"nic_rx_nombuf", s.nic_rx_nombuf}};
  // Past the 256-entry dict limit DPDK refuses further entries; a dozen reasons fit easily.
  for (const auto& [reason, n] : s.drops) r.push_back({"drop_" + reason, n});
  return r;
}

TelemetryReply telemetry_latency(const ControlSnapshot& s) {
  TelemetryReply r;
  for (const auto& [stage, ticks] : s.latency) {
    const LatencySummary l = summarize(ticks, s.calibration);
    r.push_back({stage, TelemetryDict{{"count", l.count},
                                      {"p50_ns", rounded_ns(l.p50)},
                                      {"p99_ns", rounded_ns(l.p99)},
                                      {"p99_9_ns", rounded_ns(l.p99_9)},
                                      {"max_ns", rounded_ns(l.max)}}});
  }
  return r;
}

TelemetryReply telemetry_consumers(const ControlSnapshot& s) {
  TelemetryReply r;
  for (const ConsumerSnapshot& c : s.consumers) {
    r.push_back({c.name, TelemetryDict{{"consumed", c.consumed}, {"overruns", c.overruns}, {"lost", c.lost}, {"lag", c.lag}}});
  }
  return r;
}

TelemetryReply telemetry_lines(const ControlSnapshot& s) {
  TelemetryReply r{{"lines", std::uint64_t{s.lines.size()}}};
  if (s.lines.size() != 2) return r;
  for (const LineSnapshot& l : s.lines) {
    r.push_back({std::string(1, l.letter), TelemetryDict{{"frames", l.frames},
                                                         {"won", l.won},
                                                         {"duplicate", l.duplicate},
                                                         {"late", l.late},
                                                         {"gaps", l.gaps},
                                                         {"filled_by_other", l.filled_by_other}}});
  }
  r.push_back({"lost", s.lines_lost});
  const SignedSkew k = signed_skew(s.line_skew_b_later, s.line_skew_a_later, s.calibration);
  // DPDK 22.11's dict int is an int: a skew beyond +-2.1 s does not fit and is not a skew anyway.
  r.push_back({"skew_b_minus_a", TelemetryDict{{"count", k.count},
                                               {"p50_ns", static_cast<int>(k.p50_ns)},
                                               {"p99_ns", static_cast<int>(k.p99_ns)},
                                               {"min_ns", static_cast<int>(k.min_ns)},
                                               {"max_ns", static_cast<int>(k.max_ns)}}});
  return r;
}

TelemetryReply telemetry_health(const nlohmann::json& h) {
  if (!h.is_object()) return {entry("health", scalar(h))};
  TelemetryReply r;
  for (const auto& [k, item] : h.items()) {
    if (k != "probes" || !item.is_array()) {
      r.push_back(json_entry(k, item));
      continue;
    }
    TelemetryStrings names;
    for (const nlohmann::json& probe : item) {
      if (probe.is_object()) names.push_back(probe.value("name", std::string("?")));
    }
    r.push_back({"probes", std::move(names)});
    for (const nlohmann::json& probe : item) {
      if (!probe.is_object()) continue;
      TelemetryDict fields;
      for (const auto& [field, value] : probe.items()) {
        if (field != "name") fields.push_back({field, scalar(value)});
      }
      r.push_back({probe.value("name", std::string("?")), std::move(fields)});
    }
  }
  return r;
}

namespace {

template <TelemetryReply (*view)(const ControlSnapshot&)>
TelemetryReply of_snapshot(const ControlApi& api) {
  return view(api.snapshot());
}

TelemetryReply of_health(const ControlApi& api) { return telemetry_health(api.health()); }

constexpr TelemetryCommand kCommands[] = {
    {"/tickpath/state", "Lifecycle state, readiness and reason, link, uptime, active failures.", of_snapshot<telemetry_state>},
    {"/tickpath/stats", "Ingest, drop, NIC and execution counters.", of_snapshot<telemetry_stats>},
    {"/tickpath/latency", "Per-stage latency: count, p50/p99/p99_9/max in ns.", of_snapshot<telemetry_latency>},
    {"/tickpath/health", "Health probe results.", of_health},
    {"/tickpath/consumers", "Per consumer: consumed, overruns, lost, lag.", of_snapshot<telemetry_consumers>},
    {"/tickpath/lines", "A/B lines: per line won/duplicate/late/gaps/filled_by_other, lost, skew B-A.",
     of_snapshot<telemetry_lines>},
};

}  // namespace

std::span<const TelemetryCommand> telemetry_commands() noexcept { return kCommands; }

}  // namespace tickpath::control

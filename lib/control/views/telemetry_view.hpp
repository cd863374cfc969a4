#pragma once
// The DPDK telemetry replies (`dpdk-telemetry.py -f <file-prefix>`), computed here as neutral
// (key, value) lists so that platform/dpdk/telemetry.cpp only copies them into rte_tel_data:
//
//   /tickpath/state      lifecycle, readiness and why, link, uptime, active failures
//   /tickpath/stats      ingest, drop (one drop_<reason> per reason), NIC and execution counters
//   /tickpath/latency    per stage: count and p50/p99/p99_9/max in ns
//   /tickpath/health     the health probes
//   /tickpath/consumers  per consumer: consumed, overruns, lost, lag
//   /tickpath/lines      A/B lines: per line counts, lost, skew B-A
//
// The shapes follow what DPDK 22.11 can carry: a reply is a dict; a value is an unsigned, an int,
// a string, a dict of those (containers nest one level), or an array of strings. Key spelling
// (DPDK allows only alphanumerics, '_' and '/') and the 63/127-byte limits are the transport's.
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/api/control_api.hpp"
#include "control/snapshot.hpp"

namespace tickpath::control {

using TelemetryScalar = std::variant<std::uint64_t, int, std::string>;

struct TelemetryField {
  std::string key;
  TelemetryScalar value;
  bool operator==(const TelemetryField&) const = default;
};

using TelemetryDict = std::vector<TelemetryField>;
using TelemetryStrings = std::vector<std::string>;  // DPDK: an array of RTE_TEL_STRING_VAL

struct TelemetryEntry {
  std::string key;
  std::variant<std::uint64_t, int, std::string, TelemetryDict, TelemetryStrings> value;
  bool operator==(const TelemetryEntry&) const = default;
};

using TelemetryReply = std::vector<TelemetryEntry>;

[[nodiscard]] TelemetryReply telemetry_state(const ControlSnapshot& snapshot);
[[nodiscard]] TelemetryReply telemetry_stats(const ControlSnapshot& snapshot);
[[nodiscard]] TelemetryReply telemetry_latency(const ControlSnapshot& snapshot);
[[nodiscard]] TelemetryReply telemetry_consumers(const ControlSnapshot& snapshot);
// {"lines": 0} with one line; with two: "A" and "B" dicts, "lost", and "skew_b_minus_a".
[[nodiscard]] TelemetryReply telemetry_lines(const ControlSnapshot& snapshot);
// {"status": worst, "probes": [names], "<probe>": {"status", "reason"}, ...}: the probe list (an
// array of objects in /health) becomes a string array of names plus one dict per probe, each field
// its own value. Top-level scalars keep their type; an object of scalars becomes a dict; anything
// deeper is its JSON text.
[[nodiscard]] TelemetryReply telemetry_health(const nlohmann::json& health);

// The command table the transport registers: name, help, and the reply built from the api.
struct TelemetryCommand {
  const char* name;
  const char* help;
  TelemetryReply (*answer)(const ControlApi& api);
};
[[nodiscard]] std::span<const TelemetryCommand> telemetry_commands() noexcept;

}  // namespace tickpath::control

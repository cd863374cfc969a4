#pragma once
// GET /state (and the failure switches' reply): the snapshot as one JSON document, for an operator's curl or a dashboard. A pure
// function of the snapshot; platform/http only routes the path to it.
//   {"state", "ready", "ready_reason", "link_up", "uptime_s",
//    "counters": {"frames", "published", "heartbeats", "malformed", "foreign", "feed_gaps",
//                 "drops": {<reason>: n, ...}, "executed", "provisional",
//                 "nic": {"ipackets", "missed", "errors", "rx_nombuf"}},
//    "consumers": [{"name", "consumed", "overruns", "lost", "lag"}, ...], "active_failures": [...]}
#include <nlohmann/json.hpp>

#include "control/failure/scenario.hpp"
#include "control/snapshot.hpp"

namespace tickpath::control {

[[nodiscard]] nlohmann::json state_json(const ControlSnapshot& snapshot);

// POST /failure/<scenario>/<action>: {"ok", "changed", "from", "to", "message"}.
[[nodiscard]] nlohmann::json failure_json(const FailureResult& result);

}  // namespace tickpath::control

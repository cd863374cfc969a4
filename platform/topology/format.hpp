#pragma once
// Human (tickpath topology, the start of tickpath run) and JSON (summary.json) views.
#include <string>

#include <nlohmann/json.hpp>

#include "platform/topology/core_plan.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::platform {

[[nodiscard]] std::string format_machine(const Machine& machine);
// Starts with "core plan:".
[[nodiscard]] std::string format_plan(const CorePlan& plan);
[[nodiscard]] nlohmann::json to_json(const Machine& machine);
[[nodiscard]] nlohmann::json to_json(const CorePlan& plan);

}  // namespace tickpath::platform

#pragma once
// The core plan's request from the config: cores.*, and the NIC's NUMA node from line A's PCI
// address (-1 with a virtual device). `run`, `topology` and `audit` plan from this one request.
#include "config/config.hpp"
#include "platform/topology/core_plan.hpp"

namespace tickpath::platform {

[[nodiscard]] CoreRequest core_request(const config::Config& config);

}  // namespace tickpath::platform

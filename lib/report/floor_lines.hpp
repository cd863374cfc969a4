#pragma once
// The lines under the final table that put the run next to the floor its preflight measured
// (summary.json `platform`: jitter, c2c, c2c_ns): each hot cpu's jitter, and ingest_to_ack p50 as
// a multiple of the one-way core-to-core floor. A pure function of the summary.
#include <string>

#include <nlohmann/json.hpp>

namespace tickpath::report {

// Empty when the summary has no preflight figures.
[[nodiscard]] std::string format_floor(const nlohmann::json& summary);

}  // namespace tickpath::report

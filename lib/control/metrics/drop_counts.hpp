#pragma once
// Every drop reason with its count, in DropReason order ("none" left out): the one loop over the
// reasons. The aggregator puts it in the snapshot, which every view (/state, telemetry, /metrics)
// reads; the run summary can call it on the drained counters. Here, in lib/control proper, so
// lib/report can use it too.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/ingest/drop_reason.hpp"
#include "core/ingest/ingest_counters.hpp"

namespace tickpath::control {

[[nodiscard]] std::vector<std::pair<std::string, std::uint64_t>> drops_by_reason(const core::IngestCounters& in);

}  // namespace tickpath::control

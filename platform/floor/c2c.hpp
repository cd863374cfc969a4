#pragma once
// `tickpath c2c`: core-to-core latency, the physical floor of any cross-core handoff (our ring's
// publish -> poll included). Two pinned threads bounce one cache line; half the round trip is the
// one-way time. Pairs are measured one at a time so no pair disturbs another.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/metrics/latency_summary.hpp"
#include "core/time/calibration.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::platform {

struct C2cPair {
  int a = -1;  // the pinging cpu (starts each round trip and times it)
  int b = -1;  // the ponging cpu
  std::string error;  // non-empty: a thread could not be pinned; nothing measured
  control::LatencySummary one_way;  // ns: half of each round trip
  bool smt_siblings = false;        // a and b are hyperthreads of one core
  bool cross_numa = false;          // a and b are on different NUMA nodes
};

struct C2cReport {
  std::vector<int> cpus;
  std::uint64_t samples = 0;
  std::vector<C2cPair> pairs;  // every a < b of cpus
};

// One pair (a != b). Blocks until `samples` round trips are done.
[[nodiscard]] C2cPair measure_c2c_pair(int a, int b, std::uint64_t samples, const core::TscCalibration& calibration);

// Every pair of `cpus`; SMT and NUMA marks from `machine`. Error: fewer than two cpus, a
// duplicate, or samples == 0.
[[nodiscard]] std::variant<C2cReport, std::string> measure_c2c(const std::vector<int>& cpus, std::uint64_t samples,
                                                               const core::TscCalibration& calibration,
                                                               const Machine& machine);

[[nodiscard]] nlohmann::json to_json(const C2cPair& pair);
[[nodiscard]] nlohmann::json to_json(const C2cReport& report);

// Matrices of min, p50 and p99 (lower triangle, like nviennot/core-to-core-latency).
[[nodiscard]] std::string format_c2c(const C2cReport& report);

}  // namespace tickpath::platform

#pragma once
// summary.json: the machine-readable record of a run, a pure function of the run's observables
// (the counters, histograms and lifecycle the control plane reads) and the facts the wiring knows
// (config, platform, how the run stopped). Written once after the drain; while the run goes on,
// provisional_summary() lays the last interval's snapshot over it for the run journal
// (platform/uring/run_journal.hpp). The final table printed from it is lib/report/final_table.hpp's.
#include <string>

#include <nlohmann/json.hpp>

#include "control/plane/control_plane.hpp"
#include "control/plane/observables.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::control {

struct RunFacts {
  nlohmann::json config;    // the effective config
  nlohmann::json platform;  // hugepages, tsc_hz, numa_node, cores, isolated, ...
  double duration_s = 0;
  core::Ticks start_tsc = 0;  // lifecycle transition times are relative to this
  std::string stop_reason;    // "duration", "events", "signal"
  int signal = 0;             // the signal that stopped the run, 0 when none
};

// What built the binary: summary.json's "version" and "commit".
struct BuildIdentity {
  std::string version;
  std::string commit;
};

[[nodiscard]] nlohmann::json build_summary(const Observables& observed, const RunFacts& facts, const BuildIdentity& build);

// summary.json as the run stands at the last interval: `base` (build_summary's, for the facts
// and the parts a snapshot does not hold) with every count the snapshot has replaced by the
// snapshot's, the latency figures from its histograms, and a `provisional` object saying what
// the summary covers. `tickpath report` renders it with a banner.
[[nodiscard]] nlohmann::json provisional_summary(nlohmann::json base, const ControlPlane& control);

// `base` with one tick's counts, consumers, latency figures, duration and throughput laid over it:
// a pure function of the snapshot, the part of provisional_summary() that every view shares.
[[nodiscard]] nlohmann::json summary_of_snapshot(nlohmann::json base, const ControlSnapshot& snapshot);

}  // namespace tickpath::control

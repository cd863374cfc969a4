#pragma once
// The control plane of one run, on the housekeeping cpu: once per interval it aggregates a
// snapshot, evaluates the health probes, lets the runbook act, and serves the snapshot to the
// operator interfaces through ControlApi. The interfaces themselves (HTTP on loopback, DPDK
// telemetry) are Transports the wiring hands to start(): nothing here includes platform/. It
// never touches a hot thread's data except through single-writer counters and histogram snapshots.
//
// One tick, one snapshot: the aggregator's ControlSnapshot is the single source of every figure
// an operator sees (the live line, /state, /metrics, the telemetry replies, the timeline), each a
// pure function of it (control/views, control/metrics/prometheus.hpp, live_line.hpp).
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/api/control_api.hpp"
#include "control/api/transport.hpp"
#include "control/automation/runbook.hpp"
#include "control/failure/scenario.hpp"
#include "control/health/invariants.hpp"
#include "control/health/probes.hpp"
#include "control/plane/aggregator.hpp"
#include "report/hdr_histogram.hpp"

namespace tickpath::control {

struct ControlPlaneSettings {
  std::string http_listen;  // "" = no HTTP; shown in the summary (the transport is the wiring's)
  bool automation = true;
  HealthThresholds thresholds;
};

class ControlPlane {
 public:
  // Runbook actions kept verbatim for the summary; later ones are counted (actions_total).
  static constexpr std::size_t kKeptRunbookActions = 32;

  ControlPlane(const Observables& observed, FailureInjector& failures, std::function<bool()> link_up,
               ControlPlaneSettings settings);
  ~ControlPlane();

  // Takes the first snapshot (interfaces never see an empty one), then starts each transport, in
  // order, with this control plane's api; they are stopped in reverse by stop(). Error: exit 1.
  [[nodiscard]] std::string start(std::vector<std::unique_ptr<Transport>> transports = {});

  // One interval: snapshot, health, runbook, and a timeline entry (the interval's events and
  // latency: cumulative histogram minus the previous one). Returns the lines worth printing
  // (runbook actions, probes that changed status).
  std::vector<std::string> tick(double uptime_s);

  // After the pipeline has drained: the last (partial) interval, when anything moved in it, and
  // the whole-run histograms; no health probe or runbook step.
  void finish(double uptime_s);
  // Whole-run histograms in nanoseconds, by stage, as of finish() (empty before, or with the null sink).
  [[nodiscard]] const std::vector<std::pair<std::string, report::HdrHistogram>>& final_latency() const noexcept {
    return final_latency_;
  }

  // Stops the transports, last started first (before the objects they read are destroyed).
  void stop();

  // summary.json's `control`. The timeline is not in it: the control plane keeps only the last
  // interval (memory O(1) in the run's length), and timeline.csv / latency.hlog, appended every
  // interval by the run journal, are the record (`timeline_file`, `intervals`).
  [[nodiscard]] nlohmann::json summary() const;

  // The interval tick() or finish() just recorded: its snapshot, the one before it (null for the
  // first interval), its timeline entry, its latency.hlog lines, and how many intervals the run
  // has so far (all null/0 before the first). Only the last interval is kept: whoever keeps the
  // record (the run journal) takes each one before the next tick.
  struct LastInterval {
    const ControlSnapshot* snapshot = nullptr;
    const ControlSnapshot* before = nullptr;
    const nlohmann::json* timeline_entry = nullptr;
    const std::string* hlog_lines = nullptr;
    std::size_t intervals = 0;
  };
  [[nodiscard]] LastInterval last_interval() const;
  // The live line of the interval tick() just recorded (live_line.hpp); "" before the first tick.
  [[nodiscard]] std::string live_line() const;
  // What the transports serve; valid for the control plane's lifetime.
  [[nodiscard]] const ControlApi& api() const noexcept { return api_; }
  [[nodiscard]] double start_epoch_s() const noexcept { return start_epoch_s_; }
  [[nodiscard]] int http_port() const noexcept;

 private:
  ControlApi make_api();
  void record_interval(const ControlSnapshot& current);

  FailureInjector* failures_;
  ControlPlaneSettings settings_;
  Aggregator aggregator_;
  Runbook runbook_;
  std::optional<ControlSnapshot> previous_;
  std::optional<ControlSnapshot> before_previous_;  // the snapshot before previous_
  mutable std::mutex health_mutex_;
  std::vector<ProbeResult> health_;
  std::vector<std::string> runbook_log_;  // the first kKeptRunbookActions, verbatim
  std::uint64_t runbook_actions_ = 0;     // all of them
  InvariantLog invariants_;  // guarded by health_mutex_ like health_
  // The last interval only: nothing here grows with the run's length (a day at 1 s intervals
  // used to hold ~0.8 GiB of timeline entries and hlog lines until the end).
  nlohmann::json last_entry_;
  std::string last_hlog_lines_;
  std::size_t intervals_ = 0;
  double start_epoch_s_ = 0;
  std::vector<std::pair<std::string, report::HdrHistogram>> final_latency_;
  ControlApi api_;
  std::vector<std::unique_ptr<Transport>> transports_;  // started ones, in start order
};

}  // namespace tickpath::control

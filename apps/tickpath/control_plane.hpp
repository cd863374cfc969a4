#pragma once
// The control plane of one run, on the housekeeping cpu: once per interval it aggregates a
// snapshot, evaluates the health probes, lets the runbook act, and serves the snapshot to the
// operator interfaces (HTTP on loopback, DPDK telemetry). It never touches a hot thread's data
// except through single-writer counters and histogram snapshots.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/tickpath/aggregator.hpp"
#include "control/automation/runbook.hpp"
#include "control/failure/scenario.hpp"
#include "control/health/invariants.hpp"
#include "control/health/probes.hpp"
#include "platform/http/control_api.hpp"
#include "platform/http/server.hpp"
#include "report/hdr_histogram.hpp"

namespace tickpath::app {

struct ControlPlaneSettings {
  std::string http_listen;  // "" = no HTTP
  std::string http_token;   // "" = POST needs no token (the listen address is loopback)
  unsigned http_idle_timeout_s = 2;
  int housekeeping_cpu = -1;
  bool automation = true;
  control::HealthThresholds thresholds;
};

class ControlPlane {
 public:
  ControlPlane(const Observables& observed, control::FailureInjector& failures, std::function<bool()> link_up,
               ControlPlaneSettings settings);
  ~ControlPlane();

  // Starts HTTP (when configured) and registers the telemetry commands. Error: exit 1.
  [[nodiscard]] std::string start();

  // One interval: snapshot, health, runbook, and a timeline entry (the interval's events and
  // latency: cumulative histogram minus the previous one). Returns the lines worth printing
  // (runbook actions, probes that changed status).
  std::vector<std::string> tick(double uptime_s);

  // After the pipeline has drained: the last (partial) interval into the timeline and the
  // interval log, and the whole-run histograms; no health probe or runbook step.
  void finish(double uptime_s);
  // latency.hlog: every interval's histograms (nanoseconds), one line per stage per interval.
  [[nodiscard]] std::string hlog() const;
  // Whole-run histograms in nanoseconds, by stage, as of finish() (empty before, or with the null sink).
  [[nodiscard]] const std::vector<std::pair<std::string, report::HdrHistogram>>& final_latency() const noexcept {
    return final_latency_;
  }

  // Detaches telemetry and stops HTTP (before the objects they read are destroyed).
  void stop();

  // summary.json's `control`: with the whole timeline (the final summary), or without it (the
  // provisional summary written every interval, whose timeline is timeline.csv).
  enum class Timeline { included, in_file };
  [[nodiscard]] nlohmann::json summary(Timeline timeline = Timeline::included) const;

  // The interval tick() just recorded: its snapshot, its timeline entry, its latency.hlog lines,
  // and how many intervals the run has so far (all null/0 before the first tick).
  struct LastInterval {
    const control::ControlSnapshot* snapshot = nullptr;
    const nlohmann::json* timeline_entry = nullptr;
    const std::string* hlog_lines = nullptr;
    std::size_t intervals = 0;
  };
  [[nodiscard]] LastInterval last_interval() const;
  [[nodiscard]] double start_epoch_s() const noexcept { return start_epoch_s_; }
  [[nodiscard]] int http_port() const noexcept;

 private:
  platform::ControlApi api();
  void record_interval(const control::ControlSnapshot& current);

  const Observables* observed_;
  control::FailureInjector* failures_;
  ControlPlaneSettings settings_;
  Aggregator aggregator_;
  control::Runbook runbook_;
  std::optional<control::ControlSnapshot> previous_;
  mutable std::mutex health_mutex_;
  std::vector<control::ProbeResult> health_;
  std::vector<std::string> runbook_log_;
  control::InvariantLog invariants_;  // guarded by health_mutex_ like health_
  nlohmann::json timeline_ = nlohmann::json::array();  // one entry per interval
  double start_epoch_s_ = 0;
  std::string hlog_body_;
  std::string last_hlog_lines_;
  std::vector<std::pair<std::string, report::HdrHistogram>> final_latency_;
  std::unique_ptr<platform::HttpServer> http_;
  bool telemetry_ = false;
  platform::ControlApi api_;
};

}  // namespace tickpath::app

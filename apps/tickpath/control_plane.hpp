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
#include "control/health/probes.hpp"
#include "platform/http/control_api.hpp"
#include "platform/http/server.hpp"
#include "report/hdr_histogram.hpp"

namespace tickpath::app {

struct ControlPlaneSettings {
  std::string http_listen;  // "" = no HTTP
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

  [[nodiscard]] nlohmann::json summary() const;
  // The newest timeline entry (state, events_per_s, ...); null before the first tick.
  [[nodiscard]] nlohmann::json last_interval() const { return timeline_.empty() ? nlohmann::json() : timeline_.back(); }
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
  nlohmann::json timeline_ = nlohmann::json::array();  // one entry per interval
  double start_epoch_s_ = 0;
  std::string hlog_body_;
  std::vector<std::pair<std::string, report::HdrHistogram>> final_latency_;
  std::unique_ptr<platform::HttpServer> http_;
  bool telemetry_ = false;
  platform::ControlApi api_;
};

}  // namespace tickpath::app

#include "apps/tickpath/control_plane.hpp"

#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "control/health/invariants.hpp"
#include "control/health/health_metrics.hpp"
#include "control/metrics/latency_summary.hpp"
#include "control/metrics/line_figures.hpp"
#include "control/metrics/prometheus.hpp"
#include "platform/dpdk/telemetry.hpp"
#include "report/hdr_histogram.hpp"
#include "report/hlog.hpp"

namespace tickpath::app {

ControlPlane::ControlPlane(const Observables& observed, control::FailureInjector& failures,
                           std::function<bool()> link_up, ControlPlaneSettings settings)
    : observed_(&observed),
      failures_(&failures),
      settings_(std::move(settings)),
      aggregator_(observed, failures, std::move(link_up)),
      runbook_(failures) {
  api_ = api();
}

ControlPlane::~ControlPlane() { stop(); }

namespace {

// Each stage's histogram of the interval alone: the cumulative snapshot minus the previous one.
// Computed once per interval, for both the timeline entry and the hlog lines.
std::vector<control::HistogramSnapshot> interval_histograms(const control::ControlSnapshot& before,
                                                            const control::ControlSnapshot& now, bool has_before) {
  std::vector<control::HistogramSnapshot> out;
  out.reserve(now.latency.size());
  for (std::size_t i = 0; i < now.latency.size(); ++i) {
    out.push_back(now.latency[i].second);
    if (has_before && i < before.latency.size()) out.back().subtract(before.latency[i].second);
  }
  return out;
}

// The interval between two snapshots: what a plot of the run shows, one point per interval.
nlohmann::json interval_entry(const control::ControlSnapshot& before, const control::ControlSnapshot& now, bool has_before,
                              const std::vector<control::HistogramSnapshot>& intervals) {
  const auto delta = [&](std::uint64_t control::ControlSnapshot::*counter) {
    return now.*counter - (has_before ? before.*counter : 0);
  };
  const double dt = has_before ? now.uptime_s - before.uptime_s : now.uptime_s;
  const std::uint64_t events = delta(&control::ControlSnapshot::published);
  nlohmann::json e{{"t_s", now.uptime_s},
                   {"interval_s", dt},
                   {"state", now.state},
                   {"events", events},
                   {"events_per_s", dt > 0 ? static_cast<double>(events) / dt : 0.0},
                   {"nic_missed", delta(&control::ControlSnapshot::nic_missed)},
                   {"malformed", delta(&control::ControlSnapshot::malformed)},
                   {"active_failures", now.active_failures},
                   {"feed_gaps", delta(&control::ControlSnapshot::feed_gaps)},
                   {"feed_duplicates", delta(&control::ControlSnapshot::feed_duplicates)},
                   {"feed_out_of_order", delta(&control::ControlSnapshot::feed_out_of_order)}};
  nlohmann::json overruns = nlohmann::json::object();
  for (const auto& c : now.consumers) {
    std::uint64_t prior = 0;
    for (const auto& p : before.consumers) {
      if (has_before && p.name == c.name) prior = p.overruns;
    }
    overruns[c.name] = c.overruns - prior;
  }
  e["overruns"] = overruns;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const control::LatencySummary l = control::summarize(intervals[i], now.calibration);
    e["latency_ns"][now.latency[i].first] = {{"count", l.count}, {"p50", l.p50}, {"p99", l.p99},
                                             {"p99_9", l.p99_9}, {"max", l.max}};
  }
  return e;
}

// The interval's histograms, stage by stage, as latency.hlog lines (nanoseconds): encoded now,
// so the control plane keeps a few hundred bytes per interval instead of every histogram.
std::string hlog_lines(const control::ControlSnapshot& before, const control::ControlSnapshot& now, bool has_before,
                       const std::vector<control::HistogramSnapshot>& intervals) {
  std::string out;
  const double start = has_before ? before.uptime_s : 0.0;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    out += report::render_hlog_line({now.latency[i].first, start, now.uptime_s - start,
                                     report::from_ticks(intervals[i], now.calibration)});
  }
  return out;
}

}  // namespace

void ControlPlane::record_interval(const control::ControlSnapshot& current) {
  const control::ControlSnapshot& previous = previous_ ? *previous_ : current;
  const bool has_before = previous_.has_value();
  const std::vector<control::HistogramSnapshot> intervals = interval_histograms(previous, current, has_before);
  timeline_.push_back(interval_entry(previous, current, has_before, intervals));
  last_hlog_lines_ = hlog_lines(previous, current, has_before, intervals);
  hlog_body_ += last_hlog_lines_;
  previous_ = current;
}

void ControlPlane::finish(double uptime_s) {
  const control::ControlSnapshot current = aggregator_.take(uptime_s);
  // The tail between the last tick and the drain: recorded when anything was counted in it, so
  // the timeline and the log add up to the run's totals; an empty tail would only be noise.
  const auto moved = [&] {
    if (!previous_) return true;
    const control::ControlSnapshot& p = *previous_;
    if (current.published != p.published || current.nic_missed != p.nic_missed || current.malformed != p.malformed) return true;
    for (std::size_t i = 0; i < current.consumers.size() && i < p.consumers.size(); ++i) {
      if (current.consumers[i].overruns != p.consumers[i].overruns || current.consumers[i].consumed != p.consumers[i].consumed) return true;
    }
    for (std::size_t i = 0; i < current.latency.size() && i < p.latency.size(); ++i) {
      if (current.latency[i].second.count() != p.latency[i].second.count()) return true;
    }
    return false;
  };
  if (moved()) record_interval(current);
  // The threads are joined: the accounting must now balance exactly. The verdict replaces the
  // running one in the health the summary carries (the other probes keep their last interval).
  {
    std::lock_guard lock(health_mutex_);
    const control::ProbeResult drained = control::check_accounting(current, control::Phase::drained);
    bool replaced = false;
    for (control::ProbeResult& r : health_) {
      if (r.name == drained.name) {
        r = drained;
        replaced = true;
      }
    }
    if (!replaced) health_.push_back(drained);
    invariants_.record(drained, uptime_s);
  }
  for (const auto& [stage, ticks] : current.latency) final_latency_.emplace_back(stage, report::from_ticks(ticks, current.calibration));
}

std::string ControlPlane::hlog() const { return report::render_hlog_header(start_epoch_s_) + hlog_body_; }

platform::ControlApi ControlPlane::api() {
  platform::ControlApi a;
  a.snapshot = [this] { return aggregator_.latest(); };
  a.prometheus = [this] {
    std::string text = control::to_prometheus(aggregator_.latest());
    // ingest.lines: the arbiter's counters, read live (single-writer atomics), appended.
    if (observed_->lines != nullptr) text += control::lines_prometheus(*observed_->lines, *observed_->line_skew, observed_->calibration);
    std::lock_guard lock(health_mutex_);
    return text + control::to_prometheus(health_);
  };
  a.health = [this] {
    std::lock_guard lock(health_mutex_);
    return control::to_json(health_);
  };
  a.failure = [this](std::string_view name, bool activate) {
    const control::Scenario s = *control::parse_scenario(name);  // interfaces check the name
    return activate ? failures_->activate(s) : failures_->deactivate(s);
  };
  return a;
}

std::string ControlPlane::start() {
  start_epoch_s_ = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  (void)aggregator_.take(0.0);  // interfaces never see an empty snapshot
  if (std::string e = platform::register_telemetry(&api_); !e.empty()) return "telemetry: " + e;
  telemetry_ = true;
  if (!settings_.http_listen.empty()) {
    platform::HttpOptions options;
    options.cpu = settings_.housekeeping_cpu;
    options.bearer_token = settings_.http_token;
    options.limits.idle_timeout_s = settings_.http_idle_timeout_s;
    auto started = platform::HttpServer::start(settings_.http_listen, api_, std::move(options));
    if (auto* error = std::get_if<std::string>(&started)) return *error;
    http_ = std::move(std::get<std::unique_ptr<platform::HttpServer>>(started));
  }
  return {};
}

std::vector<std::string> ControlPlane::tick(double uptime_s) {
  std::vector<std::string> lines;
  const control::ControlSnapshot current = aggregator_.take(uptime_s);
  const control::ControlSnapshot& previous = previous_ ? *previous_ : current;
  std::vector<control::ProbeResult> results = control::evaluate_health(previous, current, settings_.thresholds);
  results.push_back(control::check_accounting(current, control::Phase::running));
  invariants_.record(results.back(), uptime_s);
  {
    std::lock_guard lock(health_mutex_);
    for (const control::ProbeResult& r : results) {
      const control::ProbeResult* before = control::find_probe(health_, r.name);
      if (r.status != control::HealthStatus::ok && (before == nullptr || before->status != r.status)) {
        lines.push_back(fmt::format("health: {} {}: {}", r.name, control::to_string(r.status), r.reason));
      }
    }
    health_ = results;
  }
  if (settings_.automation) {
    const control::ProbeResult* stale = control::find_probe(results, "feed_stale");
    if (auto action = runbook_.step(stale != nullptr && stale->status == control::HealthStatus::fail)) {
      runbook_log_.push_back(fmt::format("t={:.1f}s {}", uptime_s, *action));
      lines.push_back(*action);
    }
  }
  record_interval(current);
  return lines;
}

void ControlPlane::stop() {
  if (telemetry_) {
    (void)platform::register_telemetry(nullptr);
    telemetry_ = false;
  }
  http_.reset();
}

int ControlPlane::http_port() const noexcept { return http_ ? http_->port() : 0; }

nlohmann::json ControlPlane::summary(Timeline timeline) const {
  std::lock_guard lock(health_mutex_);
  nlohmann::json out{{"health", control::to_json(health_)},
                     {"runbook", {{"enabled", settings_.automation}, {"actions", runbook_log_}}},
                     {"http", {{"listen", settings_.http_listen}, {"port", http_port()}}},
                     {"invariants", invariants_.to_json()}};
  if (timeline == Timeline::included) {
    out["timeline"] = timeline_;
  } else {
    out["timeline_file"] = "timeline.csv";
  }
  return out;
}

ControlPlane::LastInterval ControlPlane::last_interval() const {
  if (!previous_ || timeline_.empty()) return {};
  return {&*previous_, &timeline_.back(), &last_hlog_lines_, timeline_.size()};
}

}  // namespace tickpath::app

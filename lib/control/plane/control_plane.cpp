#include "control/plane/control_plane.hpp"

#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "control/health/invariants.hpp"
#include "control/health/health_metrics.hpp"
#include "control/metrics/latency_summary.hpp"
#include "control/metrics/prometheus.hpp"
#include "control/plane/live_line.hpp"
#include "report/hdr_histogram.hpp"
#include "report/hlog.hpp"
#include "report/line_skew_files.hpp"

namespace tickpath::control {

ControlPlane::ControlPlane(const Observables& observed, FailureInjector& failures,
                           std::function<bool()> link_up, ControlPlaneSettings settings)
    : failures_(&failures),
      settings_(std::move(settings)),
      aggregator_(observed, failures, std::move(link_up)),
      runbook_(failures) {
  api_ = make_api();
}

ControlPlane::~ControlPlane() { stop(); }

namespace {

// Each stage's histogram of the interval alone: the cumulative snapshot minus the previous one.
// Computed once per interval, for both the timeline entry and the hlog lines.
std::vector<HistogramSnapshot> interval_histograms(const ControlSnapshot& before,
                                                            const ControlSnapshot& now, bool has_before) {
  std::vector<HistogramSnapshot> out;
  out.reserve(now.latency.size());
  for (std::size_t i = 0; i < now.latency.size(); ++i) {
    out.push_back(now.latency[i].second);
    if (has_before && i < before.latency.size()) out.back().subtract(before.latency[i].second);
  }
  return out;
}

// The interval between two snapshots: what a plot of the run shows, one point per interval.
nlohmann::json interval_entry(const ControlSnapshot& before, const ControlSnapshot& now, bool has_before,
                              const std::vector<HistogramSnapshot>& intervals) {
  const auto delta = [&](std::uint64_t ControlSnapshot::*counter) {
    return now.*counter - (has_before ? before.*counter : 0);
  };
  const double dt = has_before ? now.uptime_s - before.uptime_s : now.uptime_s;
  const std::uint64_t events = delta(&ControlSnapshot::published);
  nlohmann::json e{{"t_s", now.uptime_s},
                   {"interval_s", dt},
                   {"state", now.state},
                   {"events", events},
                   {"events_per_s", dt > 0 ? static_cast<double>(events) / dt : 0.0},
                   {"nic_missed", delta(&ControlSnapshot::nic_missed)},
                   {"malformed", delta(&ControlSnapshot::malformed)},
                   {"active_failures", now.active_failures},
                   {"feed_gaps", delta(&ControlSnapshot::feed_gaps)},
                   {"feed_duplicates", delta(&ControlSnapshot::feed_duplicates)},
                   {"feed_out_of_order", delta(&ControlSnapshot::feed_out_of_order)}};
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
    const LatencySummary l = summarize(intervals[i], now.calibration);
    e["latency"][now.latency[i].first] = {{"count", l.count}, {"p50_ns", l.p50}, {"p99_ns", l.p99},
                                          {"p99_9_ns", l.p99_9}, {"max_ns", l.max}};
  }
  return e;
}

// The interval's histograms, stage by stage, as latency.hlog lines (nanoseconds): encoded now,
// so the control plane keeps a few hundred bytes per interval instead of every histogram.
std::string hlog_lines(const ControlSnapshot& before, const ControlSnapshot& now, bool has_before,
                       const std::vector<HistogramSnapshot>& intervals) {
  std::string out;
  const double start = has_before ? before.uptime_s : 0.0;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    out += report::render_hlog_line({now.latency[i].first, start, now.uptime_s - start,
                                     report::from_ticks(intervals[i], now.calibration)});
  }
  if (!now.lines.empty()) {  // ingest.lines: the interval's A/B skew, two tags (line_skew_files.hpp)
    HistogramSnapshot b_after_a = now.line_skew_b_later, a_after_b = now.line_skew_a_later;
    if (has_before && !before.lines.empty()) {
      b_after_a.subtract(before.line_skew_b_later);
      a_after_b.subtract(before.line_skew_a_later);
    }
    out += report::render_line_skew_hlog_lines(b_after_a, a_after_b, start, now.uptime_s - start, now.calibration);
  }
  return out;
}

}  // namespace

void ControlPlane::record_interval(const ControlSnapshot& current) {
  const ControlSnapshot& previous = previous_ ? *previous_ : current;
  const bool has_before = previous_.has_value();
  const std::vector<HistogramSnapshot> intervals = interval_histograms(previous, current, has_before);
  last_entry_ = interval_entry(previous, current, has_before, intervals);
  last_hlog_lines_ = hlog_lines(previous, current, has_before, intervals);
  ++intervals_;
  before_previous_ = std::move(previous_);
  previous_ = current;
}

void ControlPlane::finish(double uptime_s) {
  const ControlSnapshot current = aggregator_.take(uptime_s);
  // The tail between the last tick and the drain: recorded when anything was counted in it, so
  // the timeline and the log add up to the run's totals; an empty tail would only be noise.
  const auto moved = [&] {
    if (!previous_) return true;
    const ControlSnapshot& p = *previous_;
    if (current.published != p.published || current.nic_missed != p.nic_missed || current.malformed != p.malformed) return true;
    for (std::size_t i = 0; i < current.consumers.size() && i < p.consumers.size(); ++i) {
      if (current.consumers[i].overruns != p.consumers[i].overruns || current.consumers[i].consumed != p.consumers[i].consumed) return true;
    }
    for (std::size_t i = 0; i < current.latency.size() && i < p.latency.size(); ++i) {
      if (current.latency[i].second.count() != p.latency[i].second.count()) return true;
    }
    // B's late copies publish nothing, but their skew samples belong in the log.
    if (current.line_skew_b_later.count() != p.line_skew_b_later.count() ||
        current.line_skew_a_later.count() != p.line_skew_a_later.count()) return true;
    return false;
  };
  if (moved()) record_interval(current);
  // The threads are joined: the accounting must now balance exactly. The verdict replaces the
  // running one in the health the summary carries (the other probes keep their last interval).
  {
    std::lock_guard lock(health_mutex_);
    const ProbeResult drained = check_accounting(current, Phase::drained);
    bool replaced = false;
    for (ProbeResult& r : health_) {
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

ControlApi ControlPlane::make_api() {
  ControlApi a;
  a.snapshot = [this] { return aggregator_.latest(); };
  a.prometheus = [this] {
    std::string text = to_prometheus(aggregator_.latest());
    std::lock_guard lock(health_mutex_);
    return text + to_prometheus(health_);
  };
  a.health = [this] {
    std::lock_guard lock(health_mutex_);
    return to_json(health_);
  };
  a.failure = [this](std::string_view name, bool activate) {
    const Scenario s = *parse_scenario(name);  // interfaces check the name
    return activate ? failures_->activate(s) : failures_->deactivate(s);
  };
  return a;
}

std::string ControlPlane::start(std::vector<std::unique_ptr<Transport>> transports) {
  start_epoch_s_ = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  (void)aggregator_.take(0.0);  // interfaces never see an empty snapshot
  for (std::unique_ptr<Transport>& t : transports) {
    if (std::string e = t->start(api_); !e.empty()) return e;
    transports_.push_back(std::move(t));
  }
  return {};
}

std::vector<std::string> ControlPlane::tick(double uptime_s) {
  std::vector<std::string> lines;
  const ControlSnapshot current = aggregator_.take(uptime_s);
  const ControlSnapshot& previous = previous_ ? *previous_ : current;
  std::vector<ProbeResult> results = evaluate_health(previous, current, settings_.thresholds);
  results.push_back(check_accounting(current, Phase::running));
  invariants_.record(results.back(), uptime_s);
  {
    std::lock_guard lock(health_mutex_);
    for (const ProbeResult& r : results) {
      const ProbeResult* before = find_probe(health_, r.name);
      if (r.status != HealthStatus::ok && (before == nullptr || before->status != r.status)) {
        lines.push_back(fmt::format("health: {} {}: {}", r.name, to_string(r.status), r.reason));
      }
    }
    health_ = results;
  }
  if (settings_.automation) {
    const ProbeResult* stale = find_probe(results, "feed_stale");
    if (auto action = runbook_.step(stale != nullptr && stale->status == HealthStatus::fail)) {
      if (runbook_log_.size() < kKeptRunbookActions) runbook_log_.push_back(fmt::format("t={:.1f}s {}", uptime_s, *action));
      ++runbook_actions_;
      lines.push_back(*action);
    }
  }
  record_interval(current);
  return lines;
}

void ControlPlane::stop() {
  while (!transports_.empty()) {
    transports_.back()->stop();
    transports_.pop_back();
  }
}

int ControlPlane::http_port() const noexcept {
  for (const std::unique_ptr<Transport>& t : transports_) {
    if (t->port() != 0) return t->port();
  }
  return 0;
}

nlohmann::json ControlPlane::summary() const {
  std::lock_guard lock(health_mutex_);
  return {{"health", to_json(health_)},
          {"runbook", {{"enabled", settings_.automation}, {"actions", runbook_log_}, {"actions_total", runbook_actions_}}},
          {"http", {{"listen", settings_.http_listen}, {"port", http_port()}}},
          {"invariants", invariants_.to_json()},
          {"timeline_file", "timeline.csv"},
          {"intervals", intervals_}};
}

ControlPlane::LastInterval ControlPlane::last_interval() const {
  if (!previous_ || intervals_ == 0) return {};
  return {&*previous_, before_previous_ ? &*before_previous_ : nullptr, &last_entry_, &last_hlog_lines_, intervals_};
}

std::string ControlPlane::live_line() const {
  const LastInterval last = last_interval();
  return last.snapshot != nullptr ? control::live_line(*last.snapshot, last.before) : std::string();
}

}  // namespace tickpath::control

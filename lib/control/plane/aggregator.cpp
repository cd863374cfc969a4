#include "control/plane/aggregator.hpp"

#include <atomic>

#include "control/metrics/drop_counts.hpp"
#include "runtime/readiness.hpp"

namespace tickpath::control {

Aggregator::Aggregator(const Observables& observed, const FailureInjector& failures,
                       std::function<bool()> link_up)
      : observed_(&observed), failures_(&failures), link_up_(std::move(link_up)) {}

const ControlSnapshot& Aggregator::take(double uptime_s) {
  const Observables& o = *observed_;
  const auto& in = o.counters->ingest;
  ControlSnapshot s;
  s.uptime_s = uptime_s;
  s.taken_tsc = core::tsc_now();
  const core::LifecycleState state = o.lifecycle->current();
  s.state = std::string(core::to_string(state));
  s.link_up = link_up_();
  const runtime::Readiness r = runtime::evaluate_readiness(state, s.link_up);
  s.ready = r.ready;
  s.ready_reason = r.reason;

  s.frames = in.frames.load();
  s.heartbeats = in.heartbeats.load();
  s.malformed = in.malformed();
  s.foreign = in.foreign();
  s.drops = drops_by_reason(in);
  s.feed_gaps = in.feed_gaps.load();
  s.feed_recovered = in.feed_recovered.load();
  s.feed_duplicates = in.feed_duplicates.load();
  s.feed_out_of_order = in.feed_out_of_order.load();
  s.end_of_session = in.end_of_session.load();
  s.untracked_frames = in.untracked_frames.load();
  s.last_event_tsc = in.last_rx_tsc.load();

  const NicCounters nic = o.nic();
  s.nic_ipackets = nic.ipackets;
  s.nic_missed = nic.imissed;
  s.nic_errors = nic.ierrors;
  s.nic_rx_nombuf = nic.rx_nombuf;

  // The accounting counters, in the order that makes the runtime invariants exact bounds
  // (control/health/invariants.hpp): each consumer's consumed/lost, then the decisions, then the
  // execution consumer's consumed again, then published. Each of these loads is an acquire that
  // pairs with the release stores of core::Counter: what a later load sees is at least what the
  // writer had stored before the value the earlier load saw.
  auto consumer = [&](const char* name, const core::ConsumerCounters& c) {
    const std::uint64_t consumed = c.consumed.load_acquire();
    const std::uint64_t lost = c.lost.load_acquire();
    s.consumers.push_back({name, consumed, c.overruns.load_acquire(), lost, 0});
  };
  consumer("execution", o.counters->execution);
  if (o.analytics_enabled) consumer("analytics", o.counters->analytics);
  s.executed = o.counters->decisions.executed.load_acquire();
  s.provisional = o.counters->decisions.provisional.load_acquire();
  s.execution_consumed_recheck = o.counters->execution.consumed.load_acquire();
  s.published = in.events.load();
  // Lag from counters only (a consumer's cursor is private to its thread): published minus what
  // the consumer has accounted for, read before it; may be a few events stale.
  for (ConsumerSnapshot& c : s.consumers) {
    const std::uint64_t accounted = c.consumed + c.lost;
    c.lag = s.published > accounted ? s.published - accounted : 0;
  }
  if (o.sink != nullptr) {
    const auto stages = o.sink->stages();
    for (std::size_t i = 0; i < stages.size(); ++i) s.latency_negative.push_back(o.sink->negative(i).load());
    for (const MetricsSink::Stage& stage : o.sink->stages()) {
      s.latency.emplace_back(stage.name, stage.histogram->snapshot());
    }
  }
  if (o.ack_log_queue != nullptr) {
    s.ack_log = true;
    s.ack_log_queued = o.ack_log_queue->pushed();
    s.ack_log_dropped = o.ack_log_dropped->load();
  }
  if (o.lines != nullptr) {
    for (core::Line l : {core::Line::a, core::Line::b}) {
      const core::LineCounters& c = o.lines->line(l);
      s.lines.push_back({core::line_letter(l), c.frames.load(), c.last_rx_tsc.load(), c.won.load(), c.duplicate.load(),
                         c.late.load(), c.gaps.load(), c.filled_by_other.load()});
    }
    s.lines_lost = o.lines->lost.load();
    s.line_skew_b_later = o.line_skew->b_later().snapshot();
    s.line_skew_a_later = o.line_skew->a_later().snapshot();
  }
  s.calibration = o.calibration;
  s.active_failures = failures_->active_names();

  current_ = s;
  std::lock_guard lock(latest_mutex_);
  latest_ = std::move(s);
  return current_;
}

ControlSnapshot Aggregator::latest() const {
  ControlSnapshot s;
  {
    std::lock_guard lock(latest_mutex_);
    s = latest_;
  }
  const core::LifecycleState state = observed_->lifecycle->current();
  s.state = std::string(core::to_string(state));
  s.link_up = link_up_();
  const runtime::Readiness r = runtime::evaluate_readiness(state, s.link_up);
  s.ready = r.ready;
  s.ready_reason = r.reason;
  s.active_failures = failures_->active_names();
  return s;
}

}  // namespace tickpath::control

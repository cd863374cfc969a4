#include "control/health/probes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "control/metrics/line_figures.hpp"

namespace tickpath::control {
namespace {

ProbeResult feed_stale(const ControlSnapshot& cur, const HealthThresholds& t) {
  ProbeResult r{"feed_stale", HealthStatus::ok, ""};
  if (!cur.link_up) {
    r.status = HealthStatus::warn;
    r.reason = "link down";
    return r;
  }
  double silent_s = 0;
  if (cur.last_event_tsc == 0) {
    silent_s = cur.uptime_s;  // nothing received yet
  } else if (cur.taken_tsc > cur.last_event_tsc) {
    silent_s = cur.calibration.to_ns(cur.taken_tsc - cur.last_event_tsc) / 1e9;
  }
  if (silent_s > t.stale_after_s) {
    r.status = HealthStatus::fail;
    r.reason = cur.last_event_tsc == 0 ? fmt::format("no frame received in {:.1f}s", silent_s)
                                       : fmt::format("no frame for {:.1f}s (limit {:.1f}s)", silent_s, t.stale_after_s);
  } else {
    r.reason = fmt::format("last frame {:.3f}s ago", silent_s);
  }
  return r;
}

ProbeResult rising(const char* name, std::uint64_t before, std::uint64_t now, const char* what) {
  if (now > before) return {name, HealthStatus::warn, fmt::format("{} +{} in the last interval", what, now - before)};
  return {name, HealthStatus::ok, fmt::format("{} {} in total", what, now)};
}

double silent_s(const ControlSnapshot& cur, core::Ticks last) {
  if (last == 0) return cur.uptime_s;
  return cur.taken_tsc > last ? cur.calibration.to_ns(cur.taken_tsc - last) / 1e9 : 0.0;
}

ProbeResult line_health(const ControlSnapshot& prev, const ControlSnapshot& cur, const HealthThresholds& t) {
  ProbeResult r{"line_health", HealthStatus::ok, ""};
  const LineSnapshot& a = cur.lines[0];
  const LineSnapshot& b = cur.lines[1];
  const double silent_a = silent_s(cur, a.last_rx_tsc);
  const double silent_b = silent_s(cur, b.last_rx_tsc);
  const bool dead_a = silent_a > t.stale_after_s;
  const bool dead_b = silent_b > t.stale_after_s;
  if (dead_a != dead_b) {
    const LineSnapshot& dead = dead_a ? a : b;
    const LineSnapshot& alive = dead_a ? b : a;
    r.status = HealthStatus::warn;
    r.reason = fmt::format("line {} silent for {:.1f}s while line {} flows: ready on line {} alone, no redundancy",
                           dead.letter, dead_a ? silent_a : silent_b, alive.letter, alive.letter);
    return r;
  }
  if (dead_a) {
    r.reason = "both lines silent (feed_stale reports it)";
    return r;
  }
  // The interval's skew: this snapshot's histograms minus the previous one's.
  HistogramSnapshot b_later = cur.line_skew_b_later;
  HistogramSnapshot a_later = cur.line_skew_a_later;
  if (prev.lines.size() == 2) {
    b_later.subtract(prev.line_skew_b_later);
    a_later.subtract(prev.line_skew_a_later);
  }
  const double p99 = cur.calibration.to_ns(static_cast<core::Ticks>(std::fabs(signed_skew_at(b_later, a_later, 99))));
  const double p1 = cur.calibration.to_ns(static_cast<core::Ticks>(std::fabs(signed_skew_at(b_later, a_later, 1))));
  const double worst_ns = std::max(p99, p1);
  if (worst_ns > t.max_line_skew_ns) {
    const bool b_lags = p99 >= p1;
    r.status = HealthStatus::warn;
    r.reason = fmt::format("line {} lagging: skew p{} {:.0f}ns in the last interval (limit {:.0f}ns); ready on line {}",
                           b_lags ? 'B' : 'A', b_lags ? 99 : 1, b_lags ? p99 : -p1, t.max_line_skew_ns, b_lags ? 'A' : 'B');
    return r;
  }
  r.reason = fmt::format("both lines flowing; skew |p99| {:.0f}ns in the last interval", worst_ns);
  return r;
}

}  // namespace

std::string_view to_string(HealthStatus s) noexcept {
  switch (s) {
    case HealthStatus::ok: return "ok";
    case HealthStatus::warn: return "warn";
    case HealthStatus::fail: return "fail";
  }
  return "?";
}

std::vector<ProbeResult> evaluate_health(const ControlSnapshot& prev, const ControlSnapshot& cur,
                                         const HealthThresholds& t) {
  std::vector<ProbeResult> out;
  out.push_back(feed_stale(cur, t));
  out.push_back(rising("feed_gap", prev.feed_gaps, cur.feed_gaps, "feed sequence numbers missing"));
  {
    // Both are drops the NIC made because we were too slow (rx ring full, no mbuf); the reason
    // names each so the operator knows whether to look at polling or at the mempool.
    const std::uint64_t before = prev.nic_missed + prev.nic_rx_nombuf;
    const std::uint64_t now = cur.nic_missed + cur.nic_rx_nombuf;
    ProbeResult r = rising("nic_drops", before, now, "NIC drops (imissed + rx_nombuf)");
    if (r.status != HealthStatus::ok) {
      const auto delta = [](std::uint64_t b, std::uint64_t n) { return n > b ? n - b : 0; };
      r.reason += fmt::format(": imissed +{}, rx_nombuf +{}", delta(prev.nic_missed, cur.nic_missed),
                              delta(prev.nic_rx_nombuf, cur.nic_rx_nombuf));
    }
    out.push_back(std::move(r));
  }
  {
    ProbeResult r{"consumer_overruns", HealthStatus::ok, "no consumer lapped in the last interval"};
    std::string who;
    for (const ConsumerSnapshot& c : cur.consumers) {
      std::uint64_t before = 0;
      for (const ConsumerSnapshot& p : prev.consumers) {
        if (p.name == c.name) before = p.overruns;
      }
      if (c.overruns <= before) continue;
      who += fmt::format("{}{} +{}", who.empty() ? "" : ", ", c.name, c.overruns - before);
      // The execution consumer must never be lapped: its events are the acks.
      r.status = c.name == "execution" ? HealthStatus::fail : std::max(r.status, HealthStatus::warn);
    }
    if (!who.empty()) r.reason = "overruns: " + who;
    out.push_back(r);
  }
  {
    ProbeResult r{"execution_lag", HealthStatus::ok, "no execution consumer"};
    for (const ConsumerSnapshot& c : cur.consumers) {
      if (c.name != "execution") continue;
      r.reason = fmt::format("{} events behind (limit {})", c.lag, t.max_lag_events);
      if (c.lag > t.max_lag_events) {
        r.status = HealthStatus::fail;
      } else if (c.lag > t.max_lag_events / 2) {
        r.status = HealthStatus::warn;
      }
    }
    out.push_back(r);
  }
  if (cur.lines.size() == 2) out.push_back(line_health(prev, cur, t));
  return out;
}

HealthStatus worst(const std::vector<ProbeResult>& results) noexcept {
  HealthStatus w = HealthStatus::ok;
  for (const ProbeResult& r : results) w = std::max(w, r.status);
  return w;
}

const ProbeResult* find_probe(const std::vector<ProbeResult>& results, std::string_view name) noexcept {
  for (const ProbeResult& r : results) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

nlohmann::json to_json(const std::vector<ProbeResult>& results) {
  nlohmann::json probes = nlohmann::json::array();
  for (const ProbeResult& r : results) {
    probes.push_back({{"name", r.name}, {"status", std::string(to_string(r.status))}, {"reason", r.reason}});
  }
  return {{"status", std::string(to_string(worst(results)))}, {"probes", probes}};
}

}  // namespace tickpath::control

#include "control/selftest/selftest.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "control/metrics/bucket_layout.hpp"
#include "control/metrics/histogram_snapshot.hpp"

namespace tickpath::control::selftest {
namespace {

constexpr double kPercentiles[] = {50.0, 99.0, 99.9, 99.99, 100.0};
constexpr const char* kNames[] = {"p50", "p99", "p99.9", "p99.99", "max"};

const Histogram& histogram_of(const MetricsSink& m, std::size_t stage) {
  switch (stage) {
    case 0: return m.ingest_to_ack();
    case 1: return m.queue();
    case 2: return m.decision();
    default: return m.ack();
  }
}

}  // namespace

core::Ticks exact_percentile(const std::vector<core::Ticks>& sorted, double p) {
  if (sorted.empty()) return 0;
  if (p >= 100.0) return sorted.back();
  const std::uint64_t rank = hdr_percentile_rank(p, sorted.size());
  return sorted[std::min<std::size_t>(rank, sorted.size()) - 1];
}

SelftestResult judge(const TruthSource& source, const TruthSink& sink, std::uint64_t window_acked,
                     const core::TscCalibration& cal) {
  SelftestResult r;
  const std::size_t n = sink.count();
  if (sink.overflow() != 0) r.failures.push_back(fmt::format("the truth record overflowed by {} acks", sink.overflow()));
  if (n == 0) r.failures.push_back("no ack inside the measured window");
  if (n != window_acked) {
    r.failures.push_back(fmt::format("the executor counted {} in-window acks, the truth sink saw {}", window_acked, n));
  }
  const BucketLayout layout{};
  for (std::size_t s = 0; s < kTruthStages; ++s) {
    std::vector<core::Ticks> exact(sink.values(s).begin(), sink.values(s).begin() + static_cast<std::ptrdiff_t>(n));
    std::sort(exact.begin(), exact.end());
    const HistogramSnapshot snap = histogram_of(sink.metrics(), s).snapshot();
    if (snap.count() != n) {
      r.failures.push_back(fmt::format("{}: the histogram holds {} values, the window had {} acks", kTruthStageNames[s], snap.count(), n));
    }
    for (std::size_t f = 0; f < std::size(kPercentiles); ++f) {
      const core::Ticks truth = exact_percentile(exact, kPercentiles[f]);
      const std::size_t bucket = layout.index_of(std::min(truth, layout.max_value()));
      const core::Ticks width = layout.highest(bucket) - layout.lowest(bucket) + 1;
      FigureCheck c;
      c.stage = kTruthStageNames[s];
      c.figure = kNames[f];
      c.measured_ns = cal.to_ns(snap.value_at_percentile(kPercentiles[f]));
      c.true_ns = cal.to_ns(truth);
      c.allowed_ns = 0.01 * c.true_ns + cal.to_ns(width);
      c.ok = std::fabs(c.measured_ns - c.true_ns) <= c.allowed_ns;
      if (!c.ok) {
        r.failures.push_back(fmt::format("{} {}: measured {:.1f} ns, true {:.1f} ns, error {:.1f} ns > allowed {:.1f} ns",
                                         c.stage, c.figure, c.measured_ns, c.true_ns, std::fabs(c.measured_ns - c.true_ns),
                                         c.allowed_ns));
      }
      r.figures.push_back(std::move(c));
    }
  }

  // The injected delays, ack by ack.
  InjectedCheck& in = r.injected;
  const double ticks_per_ns = cal.hz() / 1e9;
  const core::Ticks stall_begin = source.stall_begin_tsc();
  const core::Ticks stall_end = source.stall_end_tsc();
  in.stall_ns = stall_end > stall_begin ? cal.to_ns(stall_end - stall_begin) : 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = sink.feed_seq()[i] - 1;  // the raw decoder counts frames from 1
    const double injected = injected_delay_ns(source.plan(), k);
    in.largest_injected_ns = std::max(in.largest_injected_ns, injected);
    const core::Ticks exact = sink.values(0)[i];
    ++in.acks;
    // One tick of slack: the source rounds the delay to whole ticks.
    if (static_cast<double>(exact) + 1.0 < injected * ticks_per_ns) ++in.below_injected;
    const core::Ticks scheduled = source.scheduled_tsc(k);
    if (stall_end > stall_begin && scheduled >= stall_begin && scheduled < stall_end) {
      ++in.due_in_stall;
      const core::Ticks due = source.due_tsc(k);
      if (exact + 1 < stall_end - due) ++in.stall_not_shown;
    }
  }
  if (in.below_injected != 0) {
    r.failures.push_back(fmt::format("{} acks reported less ingest_to_ack than the delay injected into them", in.below_injected));
  }
  if (source.plan().stall_ticks != 0 && in.due_in_stall == 0) {
    r.failures.push_back("no frame was scheduled inside the stall: the stall was not exercised");
  }
  if (in.stall_not_shown != 0) {
    r.failures.push_back(fmt::format("{} of the {} frames due during the stall reported less than their wait until it ended "
                                     "(coordinated omission)", in.stall_not_shown, in.due_in_stall));
  }
  return r;
}

std::string format_selftest(const SelftestResult& r) {
  std::string out = fmt::format("{:<14}{:>8}{:>16}{:>16}{:>12}{:>12}  {}\n", "stage", "figure", "measured_ns", "true_ns",
                                "error_ns", "allowed_ns", "ok");
  for (const FigureCheck& c : r.figures) {
    out += fmt::format("{:<14}{:>8}{:>16.1f}{:>16.1f}{:>12.1f}{:>12.1f}  {}\n", c.stage, c.figure, c.measured_ns, c.true_ns,
                       std::fabs(c.measured_ns - c.true_ns), c.allowed_ns, c.ok ? "ok" : "FAIL");
  }
  const InjectedCheck& in = r.injected;
  out += fmt::format("injected: {} acks, {} below their injected delay (largest injected {:.3f} ms)\n", in.acks,
                     in.below_injected, in.largest_injected_ns / 1e6);
  out += fmt::format("stall: {:.3f} ms; {} frames due during it, {} reported less than their wait (coordinated omission)\n",
                     in.stall_ns / 1e6, in.due_in_stall, in.stall_not_shown);
  return out;
}

}  // namespace tickpath::control::selftest

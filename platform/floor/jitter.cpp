#include "platform/floor/jitter.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "control/metrics/latency_summary.hpp"
#include "platform/floor/spin_gaps.hpp"
#include "report/number_format.hpp"
#include "platform/topology/thread.hpp"

namespace tickpath::platform {
namespace {

HiccupEdges edges_for(double threshold_ns, const core::TscCalibration& cal) {
  HiccupEdges e;
  e.threshold = std::max<core::Ticks>(1, cal.to_ticks(threshold_ns));
  e.decade = {cal.to_ticks(1e3), cal.to_ticks(1e4), cal.to_ticks(1e5), cal.to_ticks(1e6)};
  e.slow = std::min(e.threshold, e.decade[0]);
  return e;
}

using report::format_ns;

}  // namespace

std::variant<JitterReport, std::string> measure_jitter(const JitterOptions& options,
                                                       const core::TscCalibration& calibration) {
  if (options.cpus.empty()) return std::string("jitter: no cpus to measure");
  if (!(options.duration_s > 0) || options.duration_s > 86400) {
    return fmt::format("jitter: duration {} s is out of range (0, 86400]", options.duration_s);
  }
  if (!(options.threshold_ns > 0)) return fmt::format("jitter: threshold {} ns must be positive", options.threshold_ns);

  const HiccupEdges edges = edges_for(options.threshold_ns, calibration);
  const core::Ticks duration = calibration.to_ticks(options.duration_s * 1e9);
  const std::size_t n = options.cpus.size();

  // Everything the threads touch is allocated here, before they start.
  std::vector<std::unique_ptr<control::Histogram>> histograms;
  for (std::size_t i = 0; i < n; ++i) histograms.push_back(std::make_unique<control::Histogram>());
  std::vector<GapTally> tallies(n);
  std::vector<std::string> errors(n);
  std::atomic<std::size_t> pinned{0};
  std::atomic<bool> go{false};

  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      // "pmd" in the name: tuned's cpu-partitioning profile leaves such threads where they are.
      name_current_thread(fmt::format("tp-pmd-jit{}", options.cpus[i]));
      if (auto error = pin_current_thread(options.cpus[i])) errors[i] = *error;
      // release/acquire on `pinned` and `go` only sequence the start: every thread pins first,
      // then all measure the same window (the errors[i] write is read after join()).
      pinned.fetch_add(1, std::memory_order_release);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      if (!errors[i].empty()) return;
      spin_gaps([] { return core::tsc_now(); }, duration, edges, *histograms[i], tallies[i]);
    });
  }
  while (pinned.load(std::memory_order_acquire) < n) std::this_thread::yield();
  go.store(true, std::memory_order_release);
  for (std::thread& t : threads) t.join();

  JitterReport report;
  report.calibration = calibration;
  report.duration_s = options.duration_s;
  report.threshold_ns = options.threshold_ns;
  for (std::size_t i = 0; i < n; ++i) {
    CoreJitter c;
    c.cpu = options.cpus[i];
    c.error = errors[i];
    c.samples = tallies[i].samples;
    c.gaps = histograms[i]->snapshot();
    c.hiccups = tallies[i].hiccups;
    c.hiccup_ns = calibration.to_ns(tallies[i].hiccup_ticks);
    c.decades = tallies[i].decades;
    report.cores.push_back(std::move(c));
  }
  return report;
}

nlohmann::json to_json(const JitterReport& r) {
  nlohmann::json cores = nlohmann::json::array();
  for (const CoreJitter& c : r.cores) {
    nlohmann::json j;
    j["cpu"] = c.cpu;
    if (!c.error.empty()) {
      j["error"] = c.error;
      cores.push_back(j);
      continue;
    }
    j["samples"] = c.samples;
    j.update(control::to_json(control::summarize(c.gaps, r.calibration)));
    j.erase("count");
    j["hiccups"] = c.hiccups;
    j["hiccup_ns"] = c.hiccup_ns;
    j["hiccup_share"] = r.duration_s > 0 ? c.hiccup_ns / (r.duration_s * 1e9) : 0.0;
    nlohmann::json by_size;
    for (std::size_t d = 0; d < kDecadeNames.size(); ++d) by_size[kDecadeNames[d]] = c.decades[d];
    j["hiccups_by_size"] = by_size;
    cores.push_back(j);
  }
  return {{"duration_s", r.duration_s}, {"threshold_ns", r.threshold_ns}, {"tsc_hz", r.calibration.hz()},
          {"cores", cores}};
}

std::string format_jitter(const JitterReport& r) {
  std::string out = fmt::format("jitter: {:.1f} s per cpu, hiccup >= {}, gaps between back-to-back TSC reads\n",
                                r.duration_s, format_ns(r.threshold_ns));
  out += fmt::format("{:>4} {:>11} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>7} {:>7} {:>7} {:>6} {:>7}\n", "cpu",
                     "samples", "min", "p50", "p99", "p99.9", "p99.99", "max", "hiccups", ">=1us", ">=10us",
                     ">=100us", ">=1ms", "lost");
  for (const CoreJitter& c : r.cores) {
    if (!c.error.empty()) {
      out += fmt::format("{:>4} not measured: {}\n", c.cpu, c.error);
      continue;
    }
    const control::LatencySummary s = control::summarize(c.gaps, r.calibration);
    const double lost = r.duration_s > 0 ? 100.0 * c.hiccup_ns / (r.duration_s * 1e9) : 0.0;
    out += fmt::format("{:>4} {:>11} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>7} {:>7} {:>7} {:>6} {:>6.3f}%\n",
                       c.cpu, c.samples, format_ns(s.min), format_ns(s.p50), format_ns(s.p99), format_ns(s.p99_9),
                       format_ns(s.p99_99), format_ns(s.max), c.hiccups, c.decades[0], c.decades[1], c.decades[2],
                       c.decades[3], lost);
  }
  out += "(>=1us .. >=1ms: gaps per decade, e.g. >=10us counts [10us, 100us); lost: share of the window in hiccups)\n";
  return out;
}

}  // namespace tickpath::platform

#pragma once
// The A/B line figures as an operator reads them: per-line counts, gaps filled by the other line,
// true loss, and the signed arrival skew (B - A) rebuilt from its two magnitude histograms
// (line_skew.hpp). One function per view; the operator views (/metrics, live line) read them from
// the snapshot, the summary from the counters once the run has drained.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "control/metrics/histogram_snapshot.hpp"
#include "control/metrics/line_skew.hpp"
#include "control/snapshot.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::control {

// B's arrival minus A's over every number both lines delivered, in ns: negative when B came first.
// Percentiles follow HdrHistogram's rank rule over the merged signed distribution; each carries
// the histogram's relative error. Resolution: one poll of both lines (same-poll copies are 0).
struct SignedSkew {
  std::uint64_t count = 0;
  std::uint64_t b_later = 0;  // samples with B - A >= 0
  std::uint64_t a_later = 0;  // samples with B - A < 0
  double min_ns = 0;
  double p50_ns = 0;
  double p99_ns = 0;
  double max_ns = 0;
};

// p in [0, 100] of the signed distribution, in ticks (negative: B first).
[[nodiscard]] double signed_skew_at(const HistogramSnapshot& b_later, const HistogramSnapshot& a_later, double p);
[[nodiscard]] SignedSkew signed_skew(const HistogramSnapshot& b_later, const HistogramSnapshot& a_later,
                                     const core::TscCalibration& calibration);

// summary.json "lines": {"A": {...}, "B": {...}, "lost", "both_delivered", "skew": {..., "p50_ns", ...}}.
[[nodiscard]] nlohmann::json lines_json(const core::ArbiterCounters& lines, const LineSkewHistograms& skew,
                                        const core::TscCalibration& calibration);

// Prometheus text of a snapshot with both lines (snapshot.lines A then B): tickpath_line_* per
// line (label line="A"|"B"), lost, skew quantiles.
[[nodiscard]] std::string lines_prometheus(const ControlSnapshot& snapshot);

// The live line's part: "A won 1200 gaps 3 | B won 40 gaps 0 | lost 0 | skew p50 +120ns p99 +300ns".
[[nodiscard]] std::string lines_live(const ControlSnapshot& snapshot);

}  // namespace tickpath::control

#pragma once
// `tickpath selftest`'s judgement: the pipeline's own histograms against the exact values of the
// same acks (TruthSink), and the exact values against the delays the truth source injected.
//   figures:  per stage, p50 p99 p99.9 p99.99 max as the summary computes them (histogram,
//             HdrHistogram rank, ns conversion) vs the same percentile of the exact values;
//             passes when |measured - true| <= 1% of true + one histogram bucket at true
//   injected: every ack's exact ingest_to_ack >= the delay injected into its frame, and every
//             frame due during the stall waited at least until the stall ended (no coordinated
//             omission): a stamp that lost the due time fails here
#include <cstdint>
#include <string>
#include <vector>

#include "control/selftest/truth_sink.hpp"
#include "control/selftest/truth_source.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::control::selftest {

struct FigureCheck {
  std::string stage;
  std::string figure;  // "p50", ..., "max"
  double measured_ns = 0;
  double true_ns = 0;
  double allowed_ns = 0;  // 1% of true + the bucket width at true
  bool ok = false;
};

struct InjectedCheck {
  std::uint64_t acks = 0;
  std::uint64_t below_injected = 0;     // acks whose ingest_to_ack was less than their injected delay
  std::uint64_t due_in_stall = 0;       // frames scheduled inside the stall
  std::uint64_t stall_not_shown = 0;    // of those, acks that waited less than until the stall's end
  double stall_ns = 0;
  double largest_injected_ns = 0;
};

struct SelftestResult {
  std::vector<FigureCheck> figures;
  InjectedCheck injected;
  std::vector<std::string> failures;  // one sentence per failed check
  [[nodiscard]] bool ok() const noexcept { return failures.empty(); }
};

// The true percentile of exact values, HdrHistogram's way: the value of rank
// hdr_percentile_rank(p, n) in sorted order (p = 100: the max). `sorted` must be ascending.
[[nodiscard]] core::Ticks exact_percentile(const std::vector<core::Ticks>& sorted, double p);

// Judges a finished run. `source` gives the due times and the stall, `sink` the exact values and
// the histograms, `window_acked` the executor's count of in-window acks.
[[nodiscard]] SelftestResult judge(const TruthSource& source, const TruthSink& sink, std::uint64_t window_acked,
                                   const core::TscCalibration& calibration);

// The table printed by `tickpath selftest`.
[[nodiscard]] std::string format_selftest(const SelftestResult& result);

}  // namespace tickpath::control::selftest

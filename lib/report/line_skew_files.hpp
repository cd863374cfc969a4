#pragma once
// ingest.lines: the arrival skew between the lines (B's arrival minus A's, per number both lines
// delivered) in the same HdrHistogram forms as the latency stages. A histogram holds magnitudes,
// so the signed skew is kept as two, named by which line came later:
//
//   latency.hlog tag          whole-run file                 holds
//   line_skew_b_after_a       line-skew-b-after-a.hgrm       B - A >= 0 (B later, or both in one poll)
//   line_skew_a_after_b       line-skew-a-after-b.hgrm       A - B > 0  (A later)
//
// Their counts add up to summary.json's lines.both_delivered; the signed percentiles
// (lines.skew) merge the two by HdrHistogram's rank rule (control/metrics/line_figures.hpp).
// In latency.hlog they are two more tags per interval; read back, they are kept apart from the
// latency stages (take_line_skew), so a stage table never lists a skew as a latency.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "control/metrics/histogram_snapshot.hpp"
#include "core/time/tsc.hpp"
#include "report/hdr_histogram.hpp"

namespace tickpath::report {

inline constexpr std::string_view kSkewBAfterATag = "line_skew_b_after_a";
inline constexpr std::string_view kSkewAAfterBTag = "line_skew_a_after_b";

using NamedHistograms = std::vector<std::pair<std::string, HdrHistogram>>;

[[nodiscard]] bool is_line_skew_tag(std::string_view tag) noexcept;

// The interval's two skew histograms (ticks, the interval alone) as latency.hlog lines (ns).
[[nodiscard]] std::string render_line_skew_hlog_lines(const control::HistogramSnapshot& b_after_a,
                                                      const control::HistogramSnapshot& a_after_b, double start_s,
                                                      double length_s, const core::TscCalibration& calibration);

// Moves the skew tags out of `stages` (as read from latency.hlog) and returns them, B after A first.
[[nodiscard]] NamedHistograms take_line_skew(NamedHistograms& stages);

// line-skew-b-after-a.hgrm and line-skew-a-after-b.hgrm: (file name, text) for each skew tag in
// `skew`, each with lines after HdrHistogram's footer saying what its values mean.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> render_line_skew_hgrms(const NamedHistograms& skew);

}  // namespace tickpath::report

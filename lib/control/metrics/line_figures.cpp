#include "control/metrics/line_figures.hpp"

#include <cmath>

#include <fmt/format.h>

#include "control/metrics/histogram.hpp"

namespace tickpath::control {

double signed_skew_at(const HistogramSnapshot& b_later, const HistogramSnapshot& a_later, double p) {
  const std::uint64_t na = a_later.count();
  const std::uint64_t nb = b_later.count();
  const std::uint64_t n = na + nb;
  if (n == 0) return 0;
  p = p < 0 ? 0 : (p > 100 ? 100 : p);
  // HdrHistogram's rank: the smallest value with at least p% of the samples at or below it.
  std::uint64_t rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  if (rank == 0) rank = 1;
  if (rank <= na) {
    // Among the negatives, ascending order is descending magnitude: rank r is the
    // (na - r + 1)-th smallest magnitude.
    const std::uint64_t k = na - rank + 1;
    return -static_cast<double>(a_later.value_at_percentile(100.0 * static_cast<double>(k) / static_cast<double>(na)));
  }
  const std::uint64_t k = rank - na;
  return static_cast<double>(b_later.value_at_percentile(100.0 * static_cast<double>(k) / static_cast<double>(nb)));
}

SignedSkew signed_skew(const HistogramSnapshot& b_later, const HistogramSnapshot& a_later,
                       const core::TscCalibration& calibration) {
  SignedSkew s;
  s.b_later = b_later.count();
  s.a_later = a_later.count();
  s.count = s.b_later + s.a_later;
  if (s.count == 0) return s;
  const auto ns = [&](double ticks) {
    const double mag = calibration.to_ns(static_cast<core::Ticks>(std::fabs(ticks)));
    return ticks < 0 ? -mag : mag;
  };
  s.p50_ns = ns(signed_skew_at(b_later, a_later, 50));
  s.p99_ns = ns(signed_skew_at(b_later, a_later, 99));
  s.min_ns = ns(s.a_later != 0 ? -static_cast<double>(a_later.max()) : static_cast<double>(b_later.min()));
  s.max_ns = ns(s.b_later != 0 ? static_cast<double>(b_later.max()) : -static_cast<double>(a_later.min()));
  return s;
}

namespace {
nlohmann::json line_json(const core::LineCounters& l) {
  return {{"frames", l.frames.load()},       {"won", l.won.load()},
          {"duplicate", l.duplicate.load()}, {"late", l.late.load()},
          {"gaps", l.gaps.load()},           {"filled_by_other", l.filled_by_other.load()},
          {"untracked", l.untracked.load()}};
}
}  // namespace

nlohmann::json lines_json(const core::ArbiterCounters& lines, const LineSkewHistograms& skew,
                          const core::TscCalibration& calibration) {
  const SignedSkew s = signed_skew(skew.b_later().snapshot(), skew.a_later().snapshot(), calibration);
  return {{"A", line_json(lines.line(core::Line::a))},
          {"B", line_json(lines.line(core::Line::b))},
          {"lost", lines.lost.load()},
          {"both_delivered", lines.both_delivered.load()},
          {"skew",
           {{"count", s.count}, {"b_later", s.b_later}, {"a_later", s.a_later}, {"min_ns", s.min_ns},
            {"p50_ns", s.p50_ns}, {"p99_ns", s.p99_ns}, {"max_ns", s.max_ns},
            {"note", "B arrival - A arrival per number both lines delivered; negative: B first; "
                     "resolution one poll of both lines"}}}};
}

std::string lines_prometheus(const ControlSnapshot& snapshot) {
  std::string out;
  const auto family = [&](const char* name, const char* help, auto value) {
    out += fmt::format("# HELP tickpath_line_{} {}\n# TYPE tickpath_line_{} counter\n", name, help, name);
    for (const LineSnapshot& l : snapshot.lines) {
      out += fmt::format("tickpath_line_{}_total{{line=\"{}\"}} {}\n", name, l.letter, value(l));
    }
  };
  family("won", "Messages this line delivered first (published).", [](const LineSnapshot& l) { return l.won; });
  family("duplicate", "Messages this line delivered after the other line.", [](const LineSnapshot& l) { return l.duplicate; });
  family("late", "Messages behind the arbitration window (not published).", [](const LineSnapshot& l) { return l.late; });
  family("gaps", "Sequence numbers this line had not delivered when they left the window.", [](const LineSnapshot& l) { return l.gaps; });
  family("filled_by_other", "Gaps of this line the other line filled.", [](const LineSnapshot& l) { return l.filled_by_other; });
  out += fmt::format("# HELP tickpath_lines_lost_total Sequence numbers neither line delivered within the window.\n"
                     "# TYPE tickpath_lines_lost_total counter\ntickpath_lines_lost_total {}\n", snapshot.lines_lost);
  const SignedSkew s = signed_skew(snapshot.line_skew_b_later, snapshot.line_skew_a_later, snapshot.calibration);
  out += "# HELP tickpath_lines_skew_ns B arrival minus A arrival (ns), per number both lines delivered.\n"
         "# TYPE tickpath_lines_skew_ns summary\n";
  out += fmt::format("tickpath_lines_skew_ns{{quantile=\"0.5\"}} {}\n", s.p50_ns);
  out += fmt::format("tickpath_lines_skew_ns{{quantile=\"0.99\"}} {}\n", s.p99_ns);
  out += fmt::format("tickpath_lines_skew_ns{{quantile=\"1\"}} {}\n", s.max_ns);
  out += fmt::format("tickpath_lines_skew_ns_count {}\n", s.count);
  return out;
}

std::string lines_live(const ControlSnapshot& snapshot) {
  const SignedSkew s = signed_skew(snapshot.line_skew_b_later, snapshot.line_skew_a_later, snapshot.calibration);
  const LineSnapshot& a = snapshot.lines.at(0);
  const LineSnapshot& b = snapshot.lines.at(1);
  return fmt::format("A won {} gaps {} | B won {} gaps {} | lost {} | skew p50 {:+.0f}ns p99 {:+.0f}ns", a.won, a.gaps,
                     b.won, b.gaps, snapshot.lines_lost, s.p50_ns, s.p99_ns);
}

}  // namespace tickpath::control

#include "report/line_skew_files.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report/hgrm.hpp"
#include "report/hlog.hpp"

namespace tickpath::report {

bool is_line_skew_tag(std::string_view tag) noexcept { return tag == kSkewBAfterATag || tag == kSkewAAfterBTag; }

std::string render_line_skew_hlog_lines(const control::HistogramSnapshot& b_after_a, const control::HistogramSnapshot& a_after_b,
                                        double start_s, double length_s, const core::TscCalibration& calibration) {
  return render_hlog_line({std::string(kSkewBAfterATag), start_s, length_s, from_ticks(b_after_a, calibration)}) +
         render_hlog_line({std::string(kSkewAAfterBTag), start_s, length_s, from_ticks(a_after_b, calibration)});
}

NamedHistograms take_line_skew(NamedHistograms& stages) {
  NamedHistograms skew;
  for (std::string_view tag : {kSkewBAfterATag, kSkewAAfterBTag}) {
    const auto it = std::find_if(stages.begin(), stages.end(), [&](const auto& s) { return s.first == tag; });
    if (it == stages.end()) continue;
    skew.push_back(std::move(*it));
    stages.erase(it);
  }
  return skew;
}

std::vector<std::pair<std::string, std::string>> render_line_skew_hgrms(const NamedHistograms& skew) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& [tag, h] : skew) {
    const bool b_after_a = tag == kSkewBAfterATag;
    std::string text = render_hgrm(h, tag);
    text += fmt::format(
        "#[tickpath: A/B arrival skew, {} for each number both lines delivered and {} — {}; the other sign is in "
        "{}. Both copies are stamped by the poll that received them: resolution one poll of both lines, and a "
        "descheduled receiver compresses the skew towards 0]\n",
        b_after_a ? "B's arrival minus A's (B - A >= 0)" : "A's arrival minus B's (A - B > 0)",
        b_after_a ? "B's copy came in the same poll or later" : "A's copy came later (B won the race)",
        b_after_a ? "a positive skew, B behind A" : "a negative skew, A behind B",
        b_after_a ? "line-skew-a-after-b.hgrm" : "line-skew-b-after-a.hgrm");
    files.emplace_back(b_after_a ? "line-skew-b-after-a.hgrm" : "line-skew-a-after-b.hgrm", std::move(text));
  }
  return files;
}

}  // namespace tickpath::report

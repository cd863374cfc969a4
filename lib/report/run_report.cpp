#include "report/run_report.hpp"

#include <fmt/format.h>

#include "report/hgrm.hpp"
#include "report/hlog.hpp"
#include "report/html_report.hpp"
#include "report/timeline_csv.hpp"

namespace tickpath::report {

std::variant<std::vector<NamedText>, std::string> render_run_report(const RunReportInput& in) {
  std::vector<NamedText> files;
  for (const auto& [stage, h] : in.totals) {
    if (stage == "ingest_to_ack") files.push_back({"latency.hgrm", render_hgrm(h, stage)});
    files.push_back({fmt::format("latency-{}.hgrm", stage), render_hgrm(h, stage)});
  }
  files.push_back({"latency.hlog", in.hlog});
  // Read in place: a long run's timeline is megabytes of JSON nodes, and the page needs one more
  // copy of the summary at most (ReportData's), not one per step.
  static const nlohmann::json kNoTimeline = nlohmann::json::array();
  const nlohmann::json* timeline = &kNoTimeline;
  if (const auto control = in.summary.find("control"); control != in.summary.end() && control->is_object()) {
    if (const auto t = control->find("timeline"); t != control->end()) timeline = &*t;
  }
  std::string csv = render_timeline_csv(*timeline);

  auto totals = stage_totals(in.hlog);
  if (auto* e = std::get_if<std::string>(&totals)) return "latency.hlog as rendered does not read back (a bug): " + *e;
  auto table = parse_csv(csv);
  if (auto* e = std::get_if<std::string>(&table)) return "timeline.csv as rendered does not read back (a bug): " + *e;
  files.push_back({"timeline.csv", std::move(csv)});
  // The same page as render_report_html(load_run_folder(dir)) draws, built without a RunFolder
  // so the stages and the timeline move in instead of being copied.
  files.push_back({"report.html", render_report_html(ReportData{in.title, in.summary, std::move(std::get<StageTotals>(totals)),
                                                                std::move(std::get<CsvTable>(table))})});
  return files;
}

std::string render_report_html(const RunFolder& folder, const std::string& title) {
  return render_report_html(ReportData{title, folder.summary, folder.stages, folder.timeline});
}

}  // namespace tickpath::report

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
    // A stage that recorded nothing (wire_to_ack without a sender's stamp, nic_to_ingest without
    // NIC timestamps) gets no file: an .hgrm of zeros reads like a measurement. summary.json has
    // its count 0 and report.html names it. ingest_to_ack's pair is always written.
    if (h.total_count() == 0 && stage != "ingest_to_ack") continue;
    files.push_back({fmt::format("latency-{}.hgrm", stage), render_hgrm(h, stage)});
  }
  files.push_back({"latency.hlog", in.hlog});
  const nlohmann::json timeline = in.summary.contains("control") ? in.summary["control"].value("timeline", nlohmann::json::array())
                                                                  : nlohmann::json::array();
  std::string csv = render_timeline_csv(timeline);

  RunFolder folder;
  folder.summary = in.summary;
  auto log = parse_hlog(in.hlog);
  if (auto* e = std::get_if<std::string>(&log)) return "latency.hlog as rendered does not read back (a bug): " + *e;
  folder.stages = stage_totals(std::get<Hlog>(log));
  folder.has_hlog = true;
  auto table = parse_csv(csv);
  if (auto* e = std::get_if<std::string>(&table)) return "timeline.csv as rendered does not read back (a bug): " + *e;
  folder.timeline = std::move(std::get<CsvTable>(table));
  folder.has_timeline = true;
  files.push_back({"timeline.csv", std::move(csv)});
  files.push_back({"report.html", render_report_html(folder, in.title)});
  return files;
}

std::string render_report_html(const RunFolder& folder, const std::string& title) {
  return render_report_html(ReportData{title, folder.summary, folder.stages, folder.timeline});
}

}  // namespace tickpath::report

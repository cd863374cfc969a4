#include "report/run_report.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "report/hgrm.hpp"
#include "report/hlog.hpp"
#include "report/html_report.hpp"
#include "report/line_skew_files.hpp"
#include "report/run_summary.hpp"
#include "report/timeline_csv.hpp"

namespace tickpath::report {
namespace {

// Lines after HdrHistogram's footer (tools stop reading at the #[Buckets line), saying what the
// file's own footer cannot: its Mean is HdrHistogram's estimate from bucket medians of values
// re-recorded at the upper edge of their tick bucket (biased up by up to one tick bucket), its
// SubBuckets is the ns file's precision, not the data's, and what was clamped.
std::string tickpath_notes(const nlohmann::json& summary, const std::string& stage) {
  const nlohmann::json lat = summary.value(kLatencyKey, nlohmann::json::object());
  if (!lat.is_object() || !lat.contains(stage) || !lat[stage].is_object()) return {};
  const nlohmann::json& l = lat[stage];
  const nlohmann::json hist = summary.value("histogram", nlohmann::json::object());
  std::string out;
  out += fmt::format("#[tickpath: exact Mean = {:.3f} us (sum of raw ticks / count); the Mean above is HdrHistogram's "
                     "bucket-median estimate of values re-recorded at their tick bucket's upper edge]\n",
                     l.value("mean_ns", 0.0) / 1000.0);
  if (hist.is_object() && hist.contains("relative_resolution")) {
    out += fmt::format("#[tickpath: resolution = 1/{:.0f} of a value (tick buckets, {} sub-bucket bits); the SubBuckets "
                       "above are this file's ns histogram, finer than the data]\n",
                       1.0 / hist["relative_resolution"].get<double>(), hist.value("sub_bucket_bits", 0));
  }
  out += fmt::format("#[tickpath: saturated = {} (clamped to the histogram's max), negative = {} (cross-core "
                     "differences below 0, recorded as 0)]\n",
                     l.value("saturated", std::uint64_t{0}), l.value("negative", std::uint64_t{0}));
  return out;
}

}  // namespace

std::variant<std::vector<NamedText>, std::string> render_run_report(const RunReportInput& in) {
  std::vector<NamedText> files;
  for (const auto& [stage, h] : in.totals) {
    const std::string text = render_hgrm(h, stage) + tickpath_notes(in.summary, stage);
    if (stage == "ingest_to_ack") files.push_back({"latency.hgrm", text});
    // A stage that recorded nothing (wire_to_ack without a sender's stamp, nic_to_ingest without
    // NIC timestamps) gets no file: an .hgrm of zeros reads like a measurement. summary.json has
    // its count 0 and report.html names it. ingest_to_ack's pair is always written.
    if (h.total_count() == 0 && stage != "ingest_to_ack") continue;
    files.push_back({fmt::format("latency-{}.hgrm", stage), text});
  }
  RunFolder folder;
  folder.summary = in.summary;
  auto totals = parse_hlog_totals(in.hlog);
  if (auto* e = std::get_if<std::string>(&totals)) return "latency.hlog: " + *e;
  folder.stages = std::move(std::get<0>(totals));
  folder.line_skew = take_line_skew(folder.stages);
  // ingest.lines: the skew's whole-run files, summed from the same log lines the report reads back.
  for (auto& [name, text] : render_line_skew_hgrms(folder.line_skew)) files.push_back({std::move(name), std::move(text)});
  folder.has_hlog = true;
  auto table = parse_csv(in.timeline_csv);
  if (auto* e = std::get_if<std::string>(&table)) return "timeline.csv: " + *e;
  folder.timeline = std::move(std::get<CsvTable>(table));
  folder.has_timeline = true;
  files.push_back({"report.html", render_report_html(folder, in.title)});
  return files;
}

std::variant<std::vector<NamedText>, std::string> render_run_report_from_folder(const std::string& dir,
                                                                                RunReportInput input) {
  for (auto [name, text] : {std::pair{"latency.hlog", &input.hlog}, std::pair{"timeline.csv", &input.timeline_csv}}) {
    const std::string path = (std::filesystem::path(dir) / name).string();
    if (!read_text_file(path, *text)) return fmt::format("{}: cannot read: {}", path, std::strerror(errno));
  }
  auto files = render_run_report(input);
  if (auto* e = std::get_if<std::string>(&files)) return (std::filesystem::path(dir) / *e).string();
  return files;
}

std::string render_report_html(const RunFolder& folder, const std::string& title) {
  // The skew rides with the stages as its two tags; the page sets them apart again.
  std::vector<std::pair<std::string, HdrHistogram>> histograms = folder.stages;
  histograms.insert(histograms.end(), folder.line_skew.begin(), folder.line_skew.end());
  return render_report_html(ReportData{title, folder.summary, std::move(histograms), folder.timeline});
}

}  // namespace tickpath::report

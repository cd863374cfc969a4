// libFuzzer: timeline.csv through the reader of `report` (parse_csv + timeline_number_error),
// then, when accepted, through report.html's charts and failure bands.
//
// Invariant: a timeline the reader accepts renders without an exception, crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "report/html_report.hpp"
#include "report/timeline_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickpath::report;
  auto table = parse_csv(std::string_view(reinterpret_cast<const char*>(data), size));
  if (std::holds_alternative<std::string>(table)) return 0;
  const CsvTable& t = std::get<CsvTable>(table);
  if (t.column("t_s") < 0 || t.column("events_per_s") < 0 || timeline_number_error(t)) return 0;
  static const nlohmann::json summary = nlohmann::json::parse(
      R"({"events":{},"duration_s":3,"failure":{"schedule":[{"scenario":"market_data_outage","action":"activate",)"
      R"("applied":true,"applied_at_event":5},{"scenario":"market_data_outage","action":"deactivate","applied":true,)"
      R"("applied_at_event":50}]},"lifecycle":{"transitions":[{"t_s":0.5,"from":"INIT","to":"WARMUP"}]}})");
  (void)render_report_html(ReportData{"fuzz", summary, {}, t});
  return 0;
}

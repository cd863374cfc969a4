// libFuzzer: latency.hlog through the reader of `report` / `compare` (parse_hlog_totals), then
// every total through the .hgrm renderer and the percentile answers.
//
// Invariants: memory stays bounded (libFuzzer's -rss_limit_mb; a 10 KB file used to take 2.3 GB),
// no hang (-timeout; counts near 2^63 used to loop forever), no exception (one tag with two
// geometries used to throw), and every total's percentile rows end at 100% with its count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "report/hgrm.hpp"
#include "report/hlog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickpath::report;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_hlog(text);
  auto totals = parse_hlog_totals(text);
  if (std::holds_alternative<std::string>(totals)) return 0;
  for (const auto& [tag, h] : std::get<0>(totals)) {
    if (h.total_count() > kMaxTotalCount) std::abort();
    const std::vector<PercentileRow> rows = percentile_rows(h);
    if (h.total_count() != 0 && (rows.empty() || rows.back().percentile != 100.0 || rows.back().total != h.total_count())) {
      std::abort();
    }
    (void)render_hgrm(h, tag);
    for (double p : {0.0, 50.0, 99.0, 99.99, 100.0}) (void)h.value_at_percentile(p);
    (void)h.mean();
    (void)h.stddev();
  }
  return 0;
}

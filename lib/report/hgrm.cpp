#include "report/hgrm.hpp"

#include <cmath>
#include <sstream>

#include <fmt/format.h>

namespace tickpath::report {

std::string render_hgrm(const HdrHistogram& h, std::string_view stage, double ratio, int ticks) {
  const int d = h.significant_digits();
  std::string out = fmt::format("{:>12} {:>14} {:>10} {:>14}\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
  const std::uint64_t total = h.total_count();
  for (const PercentileRow& r : percentile_rows(h, ticks)) {
    const double value = static_cast<double>(r.value) / ratio;
    const double p = r.percentile / 100.0;
    if (r.percentile < 100.0) {
      out += fmt::format("{:12.{}f} {:2.12f} {:10d} {:14.2f}\n", value, d, p, r.total, 1.0 / (1.0 - p));
    } else {
      out += fmt::format("{:12.{}f} {:2.12f} {:10d}\n", value, d, p, r.total);
    }
  }
  out += fmt::format("#[Mean    = {:12.{}f}, StdDeviation   = {:12.{}f}]\n", h.mean() / ratio, d, h.stddev() / ratio, d);
  out += fmt::format("#[Max     = {:12.{}f}, Total count    = {:12d}]\n", static_cast<double>(h.max()) / ratio, d, total);
  out += fmt::format("#[Buckets = {:12d}, SubBuckets     = {:12d}]\n", h.bucket_count(), h.sub_bucket_count());
  out += fmt::format("#[Unit = {}, Stage = {}]\n", ratio == 1000.0 ? "microseconds" : fmt::format("ns/{}", ratio), stage);
  return out;
}

std::variant<Hgrm, std::string> parse_hgrm(std::string_view text) {
  Hgrm h;
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  bool header = false;
  bool footer_mean = false, footer_max = false, footer_buckets = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (line.find("Value") != std::string::npos && line.find("Percentile") != std::string::npos) {
      header = true;
      continue;
    }
    if (line[0] == '#') {
      if (std::sscanf(line.c_str(), "#[Mean = %lf, StdDeviation = %lf]", &h.mean, &h.stddev) == 2) footer_mean = true;
      unsigned long long count = 0;
      if (std::sscanf(line.c_str(), "#[Max = %lf, Total count = %llu]", &h.max, &count) == 2) {
        h.total_count = count;
        footer_max = true;
      }
      if (std::sscanf(line.c_str(), "#[Buckets = %d, SubBuckets = %d]", &h.buckets, &h.sub_buckets) == 2) footer_buckets = true;
      continue;
    }
    if (!header) return fmt::format("line {}: data before the `Value Percentile TotalCount` header", number);
    HgrmRow row;
    unsigned long long count = 0;
    if (std::sscanf(line.c_str(), "%lf %lf %llu", &row.value, &row.percentile, &count) != 3) {
      return fmt::format("line {}: expected `value percentile total_count [1/(1-p)]`, got \"{}\"", number, line);
    }
    row.total_count = count;
    if (!h.rows.empty() && (row.percentile < h.rows.back().percentile || row.total_count < h.rows.back().total_count)) {
      return fmt::format("line {}: percentile or total count goes down", number);
    }
    h.rows.push_back(row);
  }
  if (!header) return std::string("no `Value Percentile TotalCount 1/(1-Percentile)` header");
  if (!footer_mean || !footer_max || !footer_buckets) {
    return std::string("footer incomplete: expected #[Mean = …], #[Max = …] and #[Buckets = …] lines");
  }
  return h;
}

}  // namespace tickpath::report

#include "report/hgrm.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

namespace tickpath::report {
namespace {

// Java's Formatter and hdr-histogram-js round the shortest decimal form of a double half-up
// (0.99978027343750 → 0.999780273438); printf rounds the exact binary value and can land one
// digit lower. The .hgrm text must match HdrHistogram's own output, so it rounds their way.
std::string fixed(double x, int decimals, int width) {
  char buf[512];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  std::string s(buf, r.ptr);
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.erase(0, 1);
  const auto dot = s.find('.');
  std::string int_part = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  const auto d = static_cast<std::size_t>(decimals);
  if (frac.size() <= d) {
    frac.append(d - frac.size(), '0');
  } else {
    const bool up = frac[d] >= '5';
    frac.resize(d);
    if (up) {
      std::string digits = int_part + frac;
      auto i = static_cast<std::ptrdiff_t>(digits.size()) - 1;
      for (; i >= 0; --i) {
        if (digits[static_cast<std::size_t>(i)] != '9') {
          ++digits[static_cast<std::size_t>(i)];
          break;
        }
        digits[static_cast<std::size_t>(i)] = '0';
      }
      if (i < 0) digits.insert(digits.begin(), '1');
      int_part = digits.substr(0, digits.size() - d);
      frac = digits.substr(digits.size() - d);
    }
  }
  std::string out = negative ? "-" : "";
  out += int_part;
  if (d > 0) {
    out += '.';
    out += frac;
  }
  if (out.size() < static_cast<std::size_t>(width)) out.insert(0, static_cast<std::size_t>(width) - out.size(), ' ');
  return out;
}

}  // namespace

std::string render_hgrm(const HdrHistogram& h, std::string_view stage, double ratio, int ticks) {
  const int d = h.significant_digits();
  std::string out = fmt::format("{:>12} {:>14} {:>10} {:>14}\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
  const std::uint64_t total = h.total_count();
  for (const PercentileRow& r : percentile_rows(h, ticks)) {
    const double value = static_cast<double>(r.value) / ratio;
    const double p = r.percentile / 100.0;
    if (r.percentile < 100.0) {
      out += fmt::format("{} {} {:10d} {}\n", fixed(value, d, 12), fixed(p, 12, 2), r.total, fixed(1.0 / (1.0 - p), 2, 14));
    } else {
      out += fmt::format("{} {} {:10d}\n", fixed(value, d, 12), fixed(p, 12, 2), r.total);
    }
  }
  out += fmt::format("#[Mean    = {}, StdDeviation   = {}]\n", fixed(h.mean() / ratio, d, 12), fixed(h.stddev() / ratio, d, 12));
  out += fmt::format("#[Max     = {}, Total count    = {:12d}]\n", fixed(static_cast<double>(h.max()) / ratio, d, 12), total);
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

#pragma once
// HdrHistogram's percentile distribution text (what `outputPercentileDistribution` prints, what
// wrk2 prints and what HdrHistogram's plotFiles.html reads): a `Value Percentile TotalCount
// 1/(1-Percentile)` table walked with 5 ticks per half distance, then the `#[Mean …]`,
// `#[Max …]`, `#[Buckets …]` footer. tickpath adds one more comment line, `#[Unit = …]`, which
// HdrHistogram's readers skip like every `#` line.
//
// tickpath writes values in MICROSECONDS (the ns histogram scaled by 1000, 3 decimals, so no ns
// is lost).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "report/hdr_histogram.hpp"

namespace tickpath::report {

inline constexpr double kHgrmUnitRatio = 1000.0;  // ns per printed unit (µs)

[[nodiscard]] std::string render_hgrm(const HdrHistogram& histogram, std::string_view stage,
                                      double unit_ratio = kHgrmUnitRatio, int ticks_per_half_distance = 5);

struct HgrmRow {
  double value = 0;       // in the file's unit
  double percentile = 0;  // 0..1
  std::uint64_t total_count = 0;
};

struct Hgrm {
  std::vector<HgrmRow> rows;
  double mean = 0;
  double stddev = 0;
  double max = 0;
  std::uint64_t total_count = 0;
  int buckets = 0;
  int sub_buckets = 0;
};

// Parses the table and the footer; an error names the line that is wrong.
[[nodiscard]] std::variant<Hgrm, std::string> parse_hgrm(std::string_view text);

}  // namespace tickpath::report

#pragma once
// timeline.csv: one row per control-plane interval, from the control plane's timeline entries
// (the run journal renders each interval's entry and appends its row; summary.json counts them).
//
//   t_s,interval_s,state,events,events_per_s,nic_missed,malformed,feed_gaps,
//   overruns_<consumer>... ,failures,<stage>_count,<stage>_p50_ns,<stage>_p99_ns,<stage>_p99_9_ns,<stage>_max_ns...
//
// t_s is the end of the interval in seconds since the run started; counts are the interval's
// (not cumulative); latency figures are the interval's, in nanoseconds (ingest_to_ack's
// columns first, then the other stages by name); `failures` lists the
// failure scenarios active at the end of the interval, separated by `+` (empty: none).
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace tickpath::report {

[[nodiscard]] std::string render_timeline_csv(const nlohmann::json& timeline);

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Index of a column, or -1.
  [[nodiscard]] int column(std::string_view name) const;
  // The cell as a number; 0 when the column is missing or the cell is empty.
  [[nodiscard]] double number(std::size_t row, std::string_view name) const;
  [[nodiscard]] std::string text(std::size_t row, std::string_view name) const;
};

// A header and rows of the same width; an error names the first row that is not.
[[nodiscard]] std::variant<CsvTable, std::string> parse_csv(std::string_view text);

// A timeline's cells are numbers except `state` and `failures`: each must be empty or a whole
// finite number ("12", "0.250"), else the message names the row and column.
[[nodiscard]] std::optional<std::string> timeline_number_error(const CsvTable& timeline);

}  // namespace tickpath::report

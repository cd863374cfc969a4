#pragma once
// `tickpath compare DIR_A DIR_B [--html OUT]`: prints the side-by-side table (report/compare.hpp)
// and optionally writes it as a page with the percentile curves overlaid. Each DIR is a run
// folder or a folder of repeated runs (run-1 … run-N). Exit 0; 1 on an unreadable folder.
#include <string>

namespace tickpath::app {

struct CompareOptions {
  std::string a;
  std::string b;
  std::string html;        // "" = no page
  double tolerance = 0.05; // relative band of "same" when the noise is unknown
};

[[nodiscard]] int compare_command(const CompareOptions& options);

}  // namespace tickpath::app

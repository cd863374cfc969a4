#pragma once
// Inline SVG charts for the HTML reports: no script, no external resource, just markup a browser
// (or a postmortem document) renders as is.
#include <string>
#include <string_view>
#include <vector>

#include "report/hdr_histogram.hpp"

namespace tickpath::report {

struct Point {
  double x = 0;
  double y = 0;
};

struct Series {
  std::string name;
  std::string color;  // CSS colour
  std::vector<Point> points;
};

// The percentile distribution of a histogram, HdrHistogram's way: x = 1/(1-p) for the reporting
// levels of hgrm.hpp (p < 1), y = the value in microseconds.
[[nodiscard]] Series percentile_series(const HdrHistogram& ns, std::string name, std::string color);

// Latency by percentile on a logarithmic "1/(1-p)" axis labelled 0%, 90%, 99%, 99.9%, ...
// `max_us` (per series, optional) draws the max as a dashed line.
[[nodiscard]] std::string percentile_plot(std::string_view title, const std::vector<Series>& series,
                                          const std::vector<double>& max_us = {});

// A band behind a time chart, e.g. a lifecycle state or a failure window.
struct Band {
  double from = 0;
  double to = 0;
  std::string color;
  std::string label;
  bool hatched = false;  // failure windows: hatched and outlined, so they read over the state bands
};

// A time chart (x: seconds since start) with bands behind the lines; `unit` labels the y axis.
[[nodiscard]] std::string time_plot(std::string_view title, std::string_view unit, const std::vector<Series>& series,
                                    const std::vector<Band>& bands, bool bars = false);

[[nodiscard]] std::string html_escape(std::string_view text);
// 1234 → "1.23k", 0.00123 → "1.23m": axis labels.
[[nodiscard]] std::string si(double value);

}  // namespace tickpath::report

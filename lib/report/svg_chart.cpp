#include "report/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace tickpath::report {
namespace {

constexpr double kWidth = 640;
constexpr double kHeight = 280;
constexpr double kLeft = 64;
constexpr double kRight = 36;  // room for the last x label, centred on the edge
constexpr double kTop = 30;
constexpr double kBottom = 42;
constexpr double kPlotW = kWidth - kLeft - kRight;
constexpr double kPlotH = kHeight - kTop - kBottom;

// A "nice" step (1, 2 or 5 × 10^k) giving about `ticks` intervals over [0, hi].
double nice_step(double hi, int ticks) {
  if (hi <= 0) return 1;
  const double raw = hi / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * mag) return m * mag;
  }
  return 10 * mag;
}

std::string open_svg(std::string_view title) {
  return fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" "
      "aria-label=\"{2}\">\n"
      "<title>{2}</title>\n"
      "<text x=\"{3}\" y=\"18\" class=\"ctitle\">{2}</text>\n",
      kWidth, kHeight, html_escape(title), kLeft);
}

std::string legend(const std::vector<Series>& series) {
  std::string out;
  double x = kWidth - kRight;
  for (auto it = series.rbegin(); it != series.rend(); ++it) {
    x -= 14 + 7.0 * static_cast<double>(it->name.size());
    out += fmt::format("<rect x=\"{:.1f}\" y=\"10\" width=\"10\" height=\"10\" fill=\"{}\"/>"
                       "<text x=\"{:.1f}\" y=\"19\" class=\"legend\">{}</text>\n",
                       x, it->color, x + 13, html_escape(it->name));
    x -= 10;
  }
  return out;
}

// Horizontal grid and y labels over [0, y_max].
std::string y_axis(double y_max, std::string_view unit) {
  std::string out;
  const double step = nice_step(y_max, 5);
  for (double v = 0; v <= y_max * 1.0001; v += step) {
    const double y = kTop + kPlotH - v / y_max * kPlotH;
    out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>"
                       "<text x=\"{}\" y=\"{:.1f}\" class=\"ylabel\">{}</text>\n",
                       kLeft, kLeft + kPlotW, y, y, kLeft - 6, y + 4, si(v));
  }
  out += fmt::format("<text transform=\"translate(14,{:.1f}) rotate(-90)\" class=\"axis\">{}</text>\n",
                     kTop + kPlotH / 2, html_escape(unit));
  return out;
}

double y_ceiling(double hi) {
  if (hi <= 0) return 1;
  const double step = nice_step(hi * 1.05, 5);
  return std::ceil(hi * 1.05 / step) * step;
}

// 0.5 → "500 ns", 2 → "2 µs", 20000 → "20 ms": a value in microseconds as an axis label.
std::string us_label(double us) {
  if (us < 1) return fmt::format("{:.3g} ns", us * 1000);
  if (us < 1000) return fmt::format("{:.3g} µs", us);
  if (us < 1e6) return fmt::format("{:.3g} ms", us / 1000);
  return fmt::format("{:.3g} s", us / 1e6);
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string si(double v) {
  const double a = std::fabs(v);
  if (a == 0) return "0";
  if (a >= 1e9) return fmt::format("{:.3g}G", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.3g}M", v / 1e6);
  if (a >= 1e3) return fmt::format("{:.3g}k", v / 1e3);
  if (a >= 1) return fmt::format("{:.3g}", v);
  if (a >= 1e-3) return fmt::format("{:.3g}m", v * 1e3);
  return fmt::format("{:.3g}", v);
}

Series percentile_series(const HdrHistogram& ns, std::string name, std::string color) {
  Series s{std::move(name), std::move(color), {}};
  for (const PercentileRow& r : percentile_rows(ns)) {
    if (r.percentile >= 100.0) break;
    s.points.push_back({1.0 / (1.0 - r.percentile / 100.0), static_cast<double>(r.value) / 1000.0});
  }
  return s;
}

std::string percentile_plot(std::string_view title, const std::vector<Series>& series, const std::vector<double>& max_us) {
  // Latency spans decades (a 2 µs median, a 20 ms stall at 99.999%): the y axis is logarithmic
  // too, from the decade below the smallest value to the decade above the largest.
  double x_hi = 10;
  double y_min = INFINITY;
  double y_hi = 0;
  for (const Series& s : series) {
    for (const Point& p : s.points) {
      x_hi = std::max(x_hi, p.x);
      y_hi = std::max(y_hi, p.y);
      if (p.y > 0) y_min = std::min(y_min, p.y);
    }
  }
  for (double m : max_us) {
    y_hi = std::max(y_hi, m);
    if (m > 0) y_min = std::min(y_min, m);
  }
  if (!(y_min < INFINITY)) y_min = 0.001;
  y_min = std::max(y_min, 0.001);  // 1 ns
  const double lo = std::floor(std::log10(y_min));
  const double hi = std::max(std::ceil(std::log10(std::max(y_hi, y_min))), lo + 1);
  const int decades = std::max(1, static_cast<int>(std::ceil(std::log10(x_hi) - 1e-9)));
  const auto px = [&](double x) { return kLeft + std::log10(std::max(x, 1.0)) / decades * kPlotW; };
  const auto py = [&](double y) {
    const double l = std::log10(std::max(y, std::pow(10.0, lo)));
    return kTop + kPlotH - (l - lo) / (hi - lo) * kPlotH;
  };

  std::string out = open_svg(title);
  for (double e = lo; e <= hi + 1e-9; e += 1) {
    const double v = std::pow(10.0, e);
    out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>"
                       "<text x=\"{}\" y=\"{:.1f}\" class=\"ylabel\">{}</text>\n",
                       kLeft, kLeft + kPlotW, py(v), py(v), kLeft - 6, py(v) + 4, us_label(v));
    for (double m : {2.0, 5.0}) {
      if (e + std::log10(m) < hi) {
        out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid minor\"/>\n",
                           kLeft, kLeft + kPlotW, py(v * m), py(v * m));
      }
    }
  }
  out += fmt::format("<text transform=\"translate(14,{:.1f}) rotate(-90)\" class=\"axis\">latency (log scale)</text>\n",
                     kTop + kPlotH / 2);
  for (int d = 0; d <= decades; ++d) {
    const double x = kLeft + static_cast<double>(d) / decades * kPlotW;
    std::string label = d == 0 ? "0%" : d == 1 ? "90%" : d == 2 ? "99%" : fmt::format("99.{}%", std::string(static_cast<std::size_t>(d - 2), '9'));
    out += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" class=\"grid\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3}\" class=\"xlabel\"{5}>{4}</text>\n",
                       x, kTop, kTop + kPlotH, kTop + kPlotH + 16, label, "");
  }
  out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"axis\">percentile (log scale of 1/(1−p))</text>\n",
                     kLeft + kPlotW / 2, kHeight - 6);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    if (i < max_us.size() && max_us[i] > 0) {
      out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" class=\"maxline\"/>"
                         "<text x=\"{}\" y=\"{:.1f}\" class=\"maxlabel\" fill=\"{}\">{}max {}</text>\n",
                         kLeft, kLeft + kPlotW, py(max_us[i]), py(max_us[i]), s.color, kLeft + 4 + 90.0 * static_cast<double>(i),
                         py(max_us[i]) - 3, s.color, series.size() > 1 ? s.name + " " : "", us_label(max_us[i]));
    }
    if (s.points.empty()) continue;
    std::string d;
    for (const Point& p : s.points) d += fmt::format("{}{:.1f},{:.1f}", d.empty() ? "M" : " L", px(p.x), py(p.y));
    out += fmt::format("<path d=\"{}\" stroke=\"{}\" class=\"curve\"/>\n", d, s.color);
  }
  if (series.size() > 1) out += legend(series);
  if (std::all_of(series.begin(), series.end(), [](const Series& s) { return s.points.empty(); })) {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"empty\">no values recorded</text>\n",
                       kLeft + kPlotW / 2, kTop + kPlotH / 2);
  }
  out += "</svg>\n";
  return out;
}

std::string time_plot(std::string_view title, std::string_view unit, const std::vector<Series>& series,
                      const std::vector<Band>& bands, bool bars) {
  double x_hi = 1;
  double y_hi = 0;
  for (const Series& s : series) {
    for (const Point& p : s.points) {
      x_hi = std::max(x_hi, p.x);
      y_hi = std::max(y_hi, p.y);
    }
  }
  for (const Band& b : bands) x_hi = std::max(x_hi, b.to);
  const double y_max = y_ceiling(y_hi);
  const auto px = [&](double x) { return kLeft + std::clamp(x / x_hi, 0.0, 1.0) * kPlotW; };
  const auto py = [&](double y) { return kTop + kPlotH - y / y_max * kPlotH; };

  std::string out = open_svg(title);
  for (const Band& b : bands) {
    const double x0 = px(b.from);
    const double w = std::max(px(b.to) - x0, 1.0);
    if (b.hatched) {
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" class=\"failure\"><title>{}</title></rect>"
                         "<text x=\"{:.1f}\" y=\"{}\" class=\"bandlabel failtext\">{}</text>\n",
                         x0, kTop, w, kPlotH, html_escape(b.label), x0 + 3, kTop + 12, html_escape(b.label));
    } else {
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>\n",
                         x0, kTop, w, kPlotH, b.color, html_escape(b.label));
    }
  }
  out += y_axis(y_max, unit);
  const double step = nice_step(x_hi, 8);
  for (double t = 0; t <= x_hi * 1.0001; t += step) {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"xlabel\">{}</text>\n", px(t), kTop + kPlotH + 16, si(t));
  }
  out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"axis\">seconds since start</text>\n", kLeft + kPlotW / 2, kHeight - 6);
  for (std::size_t si_ = 0; si_ < series.size(); ++si_) {
    const Series& s = series[si_];
    if (bars) {
      // Each point is an interval ending at x; bars of several series sit side by side.
      double prev = 0;
      for (const Point& p : s.points) {
        const double x0 = px(prev);
        const double w = std::max((px(p.x) - x0) / static_cast<double>(series.size()) - 1, 1.0);
        if (p.y > 0) {
          out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: {} at {}s</title></rect>\n",
                             x0 + w * static_cast<double>(si_), py(p.y), w, kTop + kPlotH - py(p.y), s.color,
                             html_escape(s.name), si(p.y), si(p.x));
        }
        prev = p.x;
      }
      continue;
    }
    std::string d;
    for (const Point& p : s.points) d += fmt::format("{}{:.1f},{:.1f}", d.empty() ? "M" : " L", px(p.x), py(p.y));
    if (!d.empty()) out += fmt::format("<path d=\"{}\" stroke=\"{}\" class=\"curve\"/>\n", d, s.color);
    // Markers (with a tooltip each) while they can be told apart; a long run is a plain line.
    if (s.points.size() > 240) continue;
    for (const Point& p : s.points) {
      out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"{}\"><title>{}s: {}</title></circle>\n",
                         px(p.x), py(p.y), s.color, si(p.x), si(p.y));
    }
  }
  out += legend(series);
  if (bars && y_hi == 0) {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"empty\">none in any interval</text>\n",
                       kLeft + kPlotW / 2, kTop + kPlotH / 2);
  }
  out += "</svg>\n";
  return out;
}

}  // namespace tickpath::report

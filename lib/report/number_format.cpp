#include "report/number_format.hpp"

#include <fmt/format.h>

namespace tickpath::report {

std::string format_ns(double ns, UnitStyle style) {
  const bool page = style == UnitStyle::page;
  const char* sep = page ? " " : "";
  if (ns < 1e3) return fmt::format("{:.0f}{}ns", ns, sep);
  if (ns < 1e6) return fmt::format("{:.2f}{}{}", ns / 1e3, sep, page ? "µs" : "us");
  if (ns < 1e9) return page ? fmt::format("{:.2f} ms", ns / 1e6) : fmt::format("{:.1f}ms", ns / 1e6);
  return fmt::format("{:.2f}{}s", ns / 1e9, sep);
}

std::string format_rate(double v) {
  if (v >= 1e9) return fmt::format("{:.2f}G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.1f}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

}  // namespace tickpath::report

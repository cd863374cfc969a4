#pragma once
// How every figure is written for a person: one place, so a latency reads the same on the live
// line, in the final table, in the sweep table, in a floor report and in report.html.
#include <string>

namespace tickpath::report {

// Terminal text is ASCII ("812ns", "2.14us", "31.0ms", "1.50s") so it survives any locale and
// grep; pages use the unit symbol and a space ("2.14 µs").
enum class UnitStyle { terminal, page };

// 812 -> "812ns", 2140 -> "2.14us", 3.1e7 -> "31.0ms", 1.5e9 -> "1.50s"
[[nodiscard]] std::string format_ns(double ns, UnitStyle style = UnitStyle::terminal);
// 41234567 -> "41.23M", 1234 -> "1.2k", 12 -> "12"
[[nodiscard]] std::string format_rate(double per_second);

}  // namespace tickpath::report

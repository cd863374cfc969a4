#include "report/floor_lines.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "report/number_format.hpp"
#include "report/run_summary.hpp"

namespace tickpath::report {

std::string format_floor(const nlohmann::json& summary) {
  const nlohmann::json& p = summary["platform"];
  std::string out;
  if (p.contains("jitter") && p["jitter"].is_object()) {
    for (const nlohmann::json& c : p["jitter"]["cores"]) {
      if (c.contains("error")) continue;
      out += fmt::format("floor: jitter cpu {}: p99 {}  p99.99 {}  max {}  hiccups >= 1us {}\n", c["cpu"].get<int>(),
                         format_ns(c["p99_ns"].get<double>()), format_ns(c["p99_99_ns"].get<double>()),
                         format_ns(c["max_ns"].get<double>()), c["hiccups"].get<std::uint64_t>());
    }
  }
  if (!p.contains("c2c")) return out;
  const nlohmann::json& c2c = p["c2c"];
  if (c2c.value("same_cpu", false)) {
    out += fmt::format("floor: c2c none: {}\n", c2c["note"].get<std::string>());
  } else if (p["c2c_ns"].is_number()) {
    const double floor_ns = p["c2c_ns"].get<double>();
    out += fmt::format("floor: c2c cpu {} -> cpu {} one-way p50 {}", c2c["a"].get<int>(), c2c["b"].get<int>(),
                       format_ns(floor_ns));
    const nlohmann::json& lat = summary[kLatencyKey];
    if (lat.is_object() && floor_ns > 0) {
      const double p50 = lat["ingest_to_ack"]["p50_ns"].get<double>();
      out += fmt::format(";  ingest_to_ack p50 {} = {:.1f}x c2c", format_ns(p50), p50 / floor_ns);
    }
    out += "\n";
  }
  return out;
}

}  // namespace tickpath::report

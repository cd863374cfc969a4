#include "apps/tickpath/preflight.hpp"

#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "report/number_format.hpp"
#include "platform/floor/c2c.hpp"
#include "platform/floor/jitter.hpp"

namespace tickpath::app {

nlohmann::json measure_preflight(const config::Config::Preflight& preflight, const platform::CorePlan& plan,
                                 const core::TscCalibration& calibration) {
  nlohmann::json out = {{"jitter", nullptr}, {"c2c_ns", nullptr}, {"c2c", {{"skipped", true}}}};
  std::vector<int> hot = {plan.ingest_cpu};
  if (plan.execution_cpu != plan.ingest_cpu) hot.push_back(plan.execution_cpu);

  if (preflight.jitter_s > 0) {
    auto measured = platform::measure_jitter({hot, preflight.jitter_s, 1000}, calibration);
    if (auto* report = std::get_if<platform::JitterReport>(&measured)) {
      out["jitter"] = platform::to_json(*report);
      for (const nlohmann::json& c : out["jitter"]["cores"]) {
        if (c.contains("error")) {
          fmt::print("preflight: jitter cpu {}: {}\n", c["cpu"].get<int>(), c["error"].get<std::string>());
          continue;
        }
        fmt::print("preflight: jitter cpu {} for {} s: p99 {}  p99.99 {}  max {}  hiccups >= 1us {}\n",
                   c["cpu"].get<int>(), preflight.jitter_s, report::format_ns(c["p99_ns"].get<double>()),
                   report::format_ns(c["p99_99_ns"].get<double>()), report::format_ns(c["max_ns"].get<double>()),
                   c["hiccups"].get<std::uint64_t>());
      }
    } else {
      fmt::print("preflight: jitter skipped: {}\n", std::get<std::string>(measured));
    }
  }

  if (preflight.c2c_samples > 0) {
    if (plan.ingest_cpu == plan.execution_cpu) {
      out["c2c"] = {{"same_cpu", true},
                    {"cpu", plan.ingest_cpu},
                    {"note", fmt::format("ingest and execution share cpu {} (one thread): events never cross cores, "
                                         "so there is no core-to-core floor to compare with",
                                         plan.ingest_cpu)}};
      fmt::print("preflight: c2c not measured: ingest and execution share cpu {}\n", plan.ingest_cpu);
    } else {
      const platform::C2cPair pair =
          platform::measure_c2c_pair(plan.ingest_cpu, plan.execution_cpu, preflight.c2c_samples, calibration);
      out["c2c"] = platform::to_json(pair);
      if (pair.error.empty()) {
        out["c2c_ns"] = pair.one_way.p50;
        fmt::print("preflight: c2c cpu {} <-> cpu {}: one-way min {}  p50 {}  p99 {}\n", pair.a, pair.b,
                   report::format_ns(pair.one_way.min), report::format_ns(pair.one_way.p50), report::format_ns(pair.one_way.p99));
      } else {
        fmt::print("preflight: c2c not measured: {}\n", pair.error);
      }
    }
  }
  std::fflush(stdout);
  return out;
}

std::string format_floor(const nlohmann::json& summary) {
  const nlohmann::json& p = summary["platform"];
  std::string out;
  if (p.contains("jitter") && p["jitter"].is_object()) {
    for (const nlohmann::json& c : p["jitter"]["cores"]) {
      if (c.contains("error")) continue;
      out += fmt::format("floor: jitter cpu {}: p99 {}  p99.99 {}  max {}  hiccups >= 1us {}\n", c["cpu"].get<int>(),
                         report::format_ns(c["p99_ns"].get<double>()), report::format_ns(c["p99_99_ns"].get<double>()),
                         report::format_ns(c["max_ns"].get<double>()), c["hiccups"].get<std::uint64_t>());
    }
  }
  if (!p.contains("c2c")) return out;
  const nlohmann::json& c2c = p["c2c"];
  if (c2c.value("same_cpu", false)) {
    out += fmt::format("floor: c2c none: {}\n", c2c["note"].get<std::string>());
  } else if (p["c2c_ns"].is_number()) {
    const double floor_ns = p["c2c_ns"].get<double>();
    out += fmt::format("floor: c2c cpu {} -> cpu {} one-way p50 {}", c2c["a"].get<int>(), c2c["b"].get<int>(),
                       report::format_ns(floor_ns));
    const nlohmann::json& lat = summary["latency_ns"];
    if (lat.is_object() && floor_ns > 0) {
      const double p50 = lat["ingest_to_ack"]["p50"].get<double>();
      out += fmt::format(";  ingest_to_ack p50 {} = {:.1f}x c2c", report::format_ns(p50), p50 / floor_ns);
    }
    out += "\n";
  }
  return out;
}

}  // namespace tickpath::app

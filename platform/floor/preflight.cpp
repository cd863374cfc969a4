#include "platform/floor/preflight.hpp"

#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "platform/floor/c2c.hpp"
#include "platform/floor/jitter.hpp"
#include "report/number_format.hpp"

namespace tickpath::platform {
namespace {

nlohmann::json jitter_facts(const std::vector<int>& hot, double seconds, const core::TscCalibration& calibration,
                            const std::function<void(std::string_view)>& say) {
  auto measured = measure_jitter({hot, seconds, 1000}, calibration);
  if (auto* error = std::get_if<std::string>(&measured)) {
    say(fmt::format("preflight: jitter skipped: {}", *error));
    return nullptr;
  }
  nlohmann::json out = to_json(std::get<JitterReport>(measured));
  for (const nlohmann::json& c : out["cores"]) {
    if (c.contains("error")) {
      say(fmt::format("preflight: jitter cpu {}: {}", c["cpu"].get<int>(), c["error"].get<std::string>()));
      continue;
    }
    say(fmt::format("preflight: jitter cpu {} for {} s: p99 {}  p99.99 {}  max {}  hiccups >= 1us {}", c["cpu"].get<int>(),
                    seconds, report::format_ns(c["p99_ns"].get<double>()), report::format_ns(c["p99_99_ns"].get<double>()),
                    report::format_ns(c["max_ns"].get<double>()), c["hiccups"].get<std::uint64_t>()));
  }
  return out;
}

}  // namespace

nlohmann::json measure_preflight(const PreflightRequest& r, const core::TscCalibration& calibration,
                                 const std::function<void(std::string_view)>& say) {
  nlohmann::json out = {{"jitter", nullptr}, {"c2c_ns", nullptr}, {"c2c", {{"skipped", true}}}};
  std::vector<int> hot = {r.ingest_cpu};
  if (r.execution_cpu != r.ingest_cpu) hot.push_back(r.execution_cpu);
  if (r.jitter_s > 0) out["jitter"] = jitter_facts(hot, r.jitter_s, calibration, say);
  if (r.c2c_samples == 0) return out;

  if (r.ingest_cpu == r.execution_cpu) {
    out["c2c"] = {{"same_cpu", true},
                  {"cpu", r.ingest_cpu},
                  {"note", fmt::format("ingest and execution share cpu {} (one thread): events never cross cores, "
                                       "so there is no core-to-core floor to compare with",
                                       r.ingest_cpu)}};
    say(fmt::format("preflight: c2c not measured: ingest and execution share cpu {}", r.ingest_cpu));
    return out;
  }
  const C2cPair pair = measure_c2c_pair(r.ingest_cpu, r.execution_cpu, r.c2c_samples, calibration);
  out["c2c"] = to_json(pair);
  if (!pair.error.empty()) {
    say(fmt::format("preflight: c2c not measured: {}", pair.error));
    return out;
  }
  out["c2c_ns"] = pair.one_way.p50;
  say(fmt::format("preflight: c2c cpu {} <-> cpu {}: one-way min {}  p50 {}  p99 {}", pair.a, pair.b,
                  report::format_ns(pair.one_way.min), report::format_ns(pair.one_way.p50),
                  report::format_ns(pair.one_way.p99)));
  return out;
}

}  // namespace tickpath::platform

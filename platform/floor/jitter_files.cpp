#include "platform/floor/jitter_files.hpp"

#include <fmt/format.h>

#include "report/hdr_histogram.hpp"
#include "report/hgrm.hpp"

namespace tickpath::platform {

std::vector<report::NamedText> jitter_files(const JitterReport& report) {
  nlohmann::json j = to_json(report);
  j["command"] = "jitter";
  std::vector<report::NamedText> files{{"jitter.json", j.dump(2) + "\n"}};
  for (const CoreJitter& c : report.cores) {
    if (!c.error.empty()) continue;
    const std::string stage = fmt::format("jitter_cpu{}", c.cpu);
    files.push_back({fmt::format("jitter-cpu{}.hgrm", c.cpu),
                     report::render_hgrm(report::from_ticks(c.gaps, report.calibration), stage)});
  }
  return files;
}

bool all_measured(const JitterReport& report) {
  bool all = true;
  for (const CoreJitter& c : report.cores) all &= c.error.empty();
  return all;
}

}  // namespace tickpath::platform

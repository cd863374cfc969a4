// jitter's run folder from one report: jitter.json first (tagged as jitter's, the text --json
// prints), then one .hgrm per cpu that was measured, none for a cpu that could not be pinned.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "control/metrics/histogram.hpp"
#include "platform/floor/jitter_files.hpp"

namespace tickpath::platform {
namespace {

JitterReport two_cpus_one_unpinned() {
  JitterReport r;
  r.calibration = core::TscCalibration(1e9);
  r.duration_s = 1;
  r.threshold_ns = 1000;
  control::Histogram gaps;
  for (std::uint64_t ns : {40, 45, 50, 2500}) gaps.record(ns);
  CoreJitter measured;
  measured.cpu = 2;
  measured.samples = 4;
  measured.gaps = gaps.snapshot();
  CoreJitter unpinned;
  unpinned.cpu = 5;
  unpinned.error = "cpu 5: Invalid argument";
  r.cores = {measured, unpinned};
  return r;
}

TEST(JitterFiles, TheJsonComesFirstThenOneHgrmPerMeasuredCpu) {
  const std::vector<report::NamedText> files = jitter_files(two_cpus_one_unpinned());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "jitter.json");
  const nlohmann::json j = nlohmann::json::parse(files[0].content);
  EXPECT_EQ(j["command"], "jitter");
  EXPECT_EQ(j["cores"].size(), 2u);
  EXPECT_EQ(files[0].content.back(), '\n');
  EXPECT_EQ(files[1].name, "jitter-cpu2.hgrm");
  EXPECT_NE(files[1].content.find("Percentile"), std::string::npos) << files[1].content;
}

TEST(JitterFiles, AnUnpinnedCpuMeansNotEveryCpuWasMeasured) {
  JitterReport r = two_cpus_one_unpinned();
  EXPECT_FALSE(all_measured(r));
  r.cores.pop_back();
  EXPECT_TRUE(all_measured(r));
}

}  // namespace
}  // namespace tickpath::platform

// A run's preflight on this machine's own cpus: what it records and says in each case, never how
// fast the machine is (shared and noisy).
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "platform/floor/preflight.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::platform {
namespace {

core::TscCalibration calibration() {
  static const core::TscCalibration cal =
      core::kClockIsTsc ? core::TscCalibration::measure(std::chrono::milliseconds(100)) : core::TscCalibration{};
  return cal;
}

struct Said {
  std::vector<std::string> lines;
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
};

TEST(Preflight, BothMeasurementsOffRecordSkippedAndSayNothing) {
  Said said;
  const nlohmann::json facts = measure_preflight({0, 0, 0, 0}, calibration(), said.sink());
  EXPECT_TRUE(facts["jitter"].is_null());
  EXPECT_TRUE(facts["c2c_ns"].is_null());
  EXPECT_EQ(facts["c2c"], nlohmann::json({{"skipped", true}}));
  EXPECT_TRUE(said.lines.empty());
}

TEST(Preflight, OneSharedHotCpuHasNoCoreToCoreFloorAndSaysWhy) {
  Said said;
  const nlohmann::json facts = measure_preflight({0, 0, 0, 1000}, calibration(), said.sink());
  EXPECT_TRUE(facts["c2c"]["same_cpu"].get<bool>());
  EXPECT_EQ(facts["c2c"]["cpu"], 0);
  EXPECT_TRUE(facts["c2c_ns"].is_null()) << "no figure where nothing crossed a core";
  ASSERT_EQ(said.lines.size(), 1u);
  EXPECT_NE(said.lines[0].find("share cpu 0"), std::string::npos) << said.lines[0];
}

TEST(Preflight, TwoHotCpusRecordJitterForEachAndTheOneWayFloorBetweenThem) {
  std::vector<int> cpus;
  for (const Cpu& c : discover_machine().cpus) {
    if (c.allowed) cpus.push_back(c.os_index);
  }
  if (cpus.size() < 2 || !core::kClockIsTsc) GTEST_SKIP() << "needs two allowed cpus and the TSC";
  Said said;
  const nlohmann::json facts = measure_preflight({cpus[0], cpus[1], 0.02, 200}, calibration(), said.sink());
  ASSERT_TRUE(facts["jitter"].is_object());
  EXPECT_EQ(facts["jitter"]["cores"].size(), 2u);
  ASSERT_TRUE(facts["c2c_ns"].is_number()) << facts["c2c"].dump();
  EXPECT_GT(facts["c2c_ns"].get<double>(), 0.0);
  ASSERT_EQ(said.lines.size(), 3u) << "one line per hot cpu's jitter, one for c2c";
  EXPECT_EQ(said.lines[2].rfind("preflight: c2c cpu ", 0), 0u) << said.lines[2];
}

}  // namespace
}  // namespace tickpath::platform

// The floor lines under the final table, from a recorded summary's `platform` and `latency`.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/floor_lines.hpp"

namespace tickpath::report {
namespace {

nlohmann::json summary_with(const nlohmann::json& platform, double ingest_to_ack_p50 = 4200) {
  return {{"platform", platform}, {"latency", {{"ingest_to_ack", {{"p50_ns", ingest_to_ack_p50}}}}}};
}

TEST(FloorLines, ASkippedPreflightAddsNoLine) {
  EXPECT_EQ(format_floor(summary_with({{"jitter", nullptr}, {"c2c_ns", nullptr}, {"c2c", {{"skipped", true}}}})), "");
  EXPECT_EQ(format_floor(summary_with(nlohmann::json::object())), "") << "a summary from before preflight existed";
}

TEST(FloorLines, EachHotCpusJitterIsOneLineAndACpuThatFailedIsLeftOut) {
  const nlohmann::json jitter = {{"cores", {{{"cpu", 1}, {"p99_ns", 80.0}, {"p99_99_ns", 2500.0}, {"max_ns", 31000.0}, {"hiccups", 7}},
                                            {{"cpu", 2}, {"error", "cannot pin"}}}}};
  const std::string text = format_floor(summary_with({{"jitter", jitter}}));
  EXPECT_EQ(text.rfind("floor: jitter cpu 1: p99 ", 0), 0u) << text;
  EXPECT_NE(text.find("hiccups >= 1us 7\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("cpu 2"), std::string::npos) << text;
}

TEST(FloorLines, TheCoreToCoreFloorLineSaysHowManyTimesTheFloorIngestToAckIs) {
  const nlohmann::json platform = {{"c2c_ns", 70.0}, {"c2c", {{"a", 1}, {"b", 2}}}};
  const std::string text = format_floor(summary_with(platform, 700));
  EXPECT_NE(text.find("floor: c2c cpu 1 -> cpu 2 one-way p50 "), std::string::npos) << text;
  EXPECT_NE(text.find("= 10.0x c2c\n"), std::string::npos) << text;
}

TEST(FloorLines, OneSharedHotCpuSaysThereIsNoCoreToCoreFloor) {
  const nlohmann::json platform = {{"c2c_ns", nullptr}, {"c2c", {{"same_cpu", true}, {"note", "ingest and execution share cpu 1"}}}};
  EXPECT_EQ(format_floor(summary_with(platform)), "floor: c2c none: ingest and execution share cpu 1\n");
}

}  // namespace
}  // namespace tickpath::report

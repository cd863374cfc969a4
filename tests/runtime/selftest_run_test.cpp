// The selftest's run on the real pipeline threads: at least every frame of the plan reaches the
// execution consumer (the ring holds them all, so none is lost), and the truth sink keeps exactly
// the acks after warmup, the window the judge then compares with the truth.
#include <gtest/gtest.h>

#include "runtime/selftest_run.hpp"

namespace tickpath::runtime {
namespace {

TEST(SelftestRun, EveryFrameOfThePlanIsConsumedAndTheWindowsAcksAreKept) {
  control::selftest::TruthPlan plan;
  plan.rate = 50'000;
  plan.ticks_per_second = 1e9;
  const core::TscCalibration cal(1e9);
  auto ran = run_selftest(plan, 3'000, 500, cal);
  ASSERT_TRUE(std::holds_alternative<SelftestRun>(ran)) << std::get<std::string>(ran);
  const SelftestRun& r = std::get<SelftestRun>(ran);
  EXPECT_GE(r.consumed, 3'500u);  // the ingest loop stops at the first burst boundary past the plan
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(r.kept, r.consumed - 500);  // every ack after the warmup's 500 is in the window
}

}  // namespace
}  // namespace tickpath::runtime

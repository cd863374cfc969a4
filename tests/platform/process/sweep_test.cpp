// A sweep runs one set per combination, in order, each into its own folder named after the
// combination, and leaves sweep.csv, sweep.json and sweep.html covering what ran; a child that
// rejects its input stops it after that combination. The children are this binary
// (child_run_test.cpp's main plays `run`).
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/process/sweep.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

class SweepTest : public test_support::TempDirTest {
 protected:
  SweepPlan plan(std::vector<std::string> child_args) {
    SweepPlan p;
    p.varies = {{"ingest.burst", {{"8", "8"}, {"32", "32"}}}};
    p.combinations = report::cartesian(p.varies);
    p.child_args = std::move(child_args);
    p.repeat = 2;
    p.folder = dir_.string();
    p.report_errors = [this](const std::vector<std::string>& e) { errors_.insert(errors_.end(), e.begin(), e.end()); };
    return p;
  }
  std::vector<std::string> errors_;
};

TEST_F(SweepTest, EachCombinationRunsItsRepeatsInItsOwnFolderAndTheTablesCoverThemAll) {
  const SweepOutcome out = run_sweep(plan({"run"}));
  EXPECT_TRUE(errors_.empty());
  EXPECT_EQ(out.signal, 0);
  EXPECT_FALSE(out.bad_input);
  EXPECT_FALSE(out.any_failed);
  ASSERT_EQ(out.sweep.combinations.size(), 2u);
  EXPECT_EQ(out.sweep.runs_planned, 4u);
  for (const report::SweepCombination& c : out.sweep.combinations) {
    EXPECT_EQ(report::completed_runs(c.runs), 2);
    EXPECT_EQ(fs::path(c.folder).parent_path(), dir_);
    EXPECT_TRUE(fs::is_regular_file(fs::path(c.folder) / "run-2" / "summary.json")) << c.folder;
  }
  EXPECT_NE(out.sweep.combinations[0].folder, out.sweep.combinations[1].folder);
  for (const char* file : {"sweep.csv", "sweep.json", "sweep.html"}) EXPECT_TRUE(fs::is_regular_file(dir_ / file)) << file;
  const nlohmann::json j = nlohmann::json::parse(test_support::read_file(dir_ / "sweep.json"));
  EXPECT_EQ(j["combinations"].size(), 2u);
}

TEST_F(SweepTest, AChildThatRejectsItsInputStopsTheSweepAfterItsCombination) {
  const SweepOutcome out = run_sweep(plan({"run", "--bad"}));
  EXPECT_TRUE(out.bad_input);
  ASSERT_EQ(out.sweep.combinations.size(), 1u);
  EXPECT_EQ(report::completed_runs(out.sweep.combinations[0].runs), 0);
  EXPECT_TRUE(fs::is_regular_file(dir_ / "sweep.json"));  // what ran is still tabulated
}

TEST_F(SweepTest, AFolderThatCannotBeWrittenIsReportedThroughTheCallback) {
  SweepPlan p = plan({"run", "--bad"});
  std::ofstream(dir_ / "a-file") << "not a folder";
  p.folder = (dir_ / "a-file").string();
  (void)run_sweep(p);
  ASSERT_FALSE(errors_.empty());
  EXPECT_NE(errors_.front().find("sweep."), std::string::npos) << errors_.front();
}

}  // namespace
}  // namespace tickpath::platform

// The run folder a command writes into: a fresh <parent>/<UTC stamp>[-n]/ per run (two runs in one
// second never share one), exactly the named folder for a child run, and the exit code `report`
// and `compare` give a path that is no run folder (2) or a damaged one (1).
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "platform/uring/report_dir.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

class ReportDirTest : public test_support::TempDirTest {};

// 20261129T164512Z, or with a -N suffix when that second's folder exists: checked by hand, as
// <regex> trips GCC 12's -Wmaybe-uninitialized under the sanitizer build's -O2 -Werror.
bool is_run_stamp(const std::string& name) {
  const auto digits = [&](std::size_t from, std::size_t n) {
    if (name.size() < from + n) return false;
    for (std::size_t k = from; k < from + n; ++k) if (name[k] < '0' || name[k] > '9') return false;
    return true;
  };
  if (!digits(0, 8) || name.size() < 16 || name[8] != 'T' || !digits(9, 6) || name[15] != 'Z') return false;
  if (name.size() == 16) return true;
  return name[16] == '-' && name.size() > 17 && digits(17, name.size() - 17);
}

TEST_F(ReportDirTest, CreatesAStampedFolderAndItsMissingParents) {
  const ReportDir made = make_report_dir((dir_ / "reports" / "nested").string());
  ASSERT_TRUE(made.error.empty()) << made.error;
  EXPECT_TRUE(fs::path(made.path).is_absolute());
  EXPECT_TRUE(fs::is_directory(made.path));
  EXPECT_EQ(fs::path(made.path).parent_path(), dir_ / "reports" / "nested");
  EXPECT_TRUE(is_run_stamp(fs::path(made.path).filename().string())) << made.path;
}

TEST_F(ReportDirTest, TwoRunsStartedTogetherGetTwoFolders) {
  const ReportDir first = make_report_dir(dir_.string());
  const ReportDir second = make_report_dir(dir_.string());
  ASSERT_TRUE(first.error.empty() && second.error.empty());
  EXPECT_NE(first.path, second.path);
  EXPECT_TRUE(fs::is_directory(first.path) && fs::is_directory(second.path));
}

TEST_F(ReportDirTest, AParentThatIsAFileIsNamedInTheErrorAndNothingIsCreated) {
  std::ofstream(dir_ / "file") << "x";
  const ReportDir made = make_report_dir((dir_ / "file").string());
  EXPECT_TRUE(made.path.empty());
  EXPECT_NE(made.error.find("report.dir " + (dir_ / "file").string()), std::string::npos) << made.error;
}

TEST_F(ReportDirTest, AnExactFolderIsCreatedOnceAndRefusedTheSecondTime) {
  const std::string path = (dir_ / "set" / "run-1").string();
  const ReportDir first = make_exact_report_dir(path);
  ASSERT_TRUE(first.error.empty()) << first.error;
  EXPECT_EQ(first.path, path);
  const ReportDir again = make_exact_report_dir(path);
  EXPECT_TRUE(again.path.empty());
  EXPECT_NE(again.error.find("already exists"), std::string::npos) << again.error;
}

TEST_F(ReportDirTest, NoRunFolderIsBadUsageAndADamagedOneIsAFailure) {
  EXPECT_EQ(unreadable_run_exit_code((dir_ / "missing").string()), 2);
  EXPECT_EQ(unreadable_run_exit_code(dir_.string()), 2);  // a folder, but neither summary.json nor run-1/
  std::ofstream(dir_ / "summary.json") << "{ damaged";
  EXPECT_EQ(unreadable_run_exit_code(dir_.string()), 1);
  fs::remove(dir_ / "summary.json");
  fs::create_directory(dir_ / "run-1");
  EXPECT_EQ(unreadable_run_exit_code(dir_.string()), 1);
}

}  // namespace
}  // namespace tickpath::platform

// A child run is a fresh process of this same binary: its output comes back line by line and
// whole, its last "report: DIR" line names its folder, its exit code (or 128 + the signal that
// killed it) is kept. A run set makes run-1..N, each with its output.log, and aggregate.json.
// This binary is its own child: main() plays one when its first argument says so.
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/process/child_run.hpp"
#include "platform/process/run_set.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

using test_support::read_file;

class ProcessTest : public test_support::TempDirTest {
 protected:
};

TEST_F(ProcessTest, AChildsLinesComeBackAsWrittenWithItsExitCodeAndItsReportFolder) {
  std::vector<std::string> lines;
  const ChildRun r = run_child({"child-talk", "3"}, [&](std::string_view l) { lines.emplace_back(l); });
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(lines, (std::vector<std::string>{"hello", "report: /somewhere/run-1", "tail without newline"}));
  EXPECT_EQ(r.report_dir, "/somewhere/run-1");
  EXPECT_EQ(r.output, "hello\nreport: /somewhere/run-1\ntail without newline");
}

TEST_F(ProcessTest, AChildKilledByASignalExitsWith128PlusIt) {
  const ChildRun r = run_child({"child-die"}, {});
  EXPECT_EQ(r.exit_code, 128 + SIGKILL);
}

TEST_F(ProcessTest, ARunSetMakesEachRunsFolderWithItsOutputAndAnAggregate) {
  RunSetPlan plan;
  plan.child_args = {"run"};
  plan.repeat = 2;
  plan.folder = dir_.string();
  plan.echo = false;
  int done = 0;
  plan.progress_done = &done;
  plan.progress_total = 2;
  ChildSignals::install();
  const RunSetOutcome out = run_set(plan);
  ChildSignals::uninstall();
  EXPECT_EQ(done, 2);
  ASSERT_EQ(out.runs.size(), 2u);
  EXPECT_TRUE(out.runs[0].completed);
  EXPECT_EQ(out.runs[1].folder, (dir_ / "run-2").string());
  EXPECT_FALSE(out.any_failed);
  EXPECT_EQ(read_file(dir_ / "run-1" / "output.log"), fmt::format("child run into {}\nreport: {}\n",
                                                                   (dir_ / "run-1").string(), (dir_ / "run-1").string()));
  const nlohmann::json aggregate = nlohmann::json::parse(read_file(dir_ / "aggregate.json"));
  EXPECT_EQ(aggregate["runs"].size(), 2u);
}

TEST_F(ProcessTest, AChildThatRejectsItsInputStopsTheSet) {
  RunSetPlan plan;
  plan.child_args = {"run", "--bad"};
  plan.repeat = 3;
  plan.folder = dir_.string();
  plan.echo = false;
  ChildSignals::install();
  const RunSetOutcome out = run_set(plan);
  ChildSignals::uninstall();
  EXPECT_TRUE(out.bad_input);
  EXPECT_EQ(out.runs.size(), 1u);  // nothing further would work
  EXPECT_FALSE(out.runs[0].completed);
}

// The child side: `run [--bad] --run-folder DIR` writes a minimal summary; the others talk or die.
int play_child(int argc, char** argv) {
  const std::string role = argv[1];
  if (role == "child-talk") {
    std::fputs("hello\nreport: /somewhere/run-1\ntail without newline", stdout);
    return std::atoi(argv[2]);
  }
  if (role == "child-die") std::raise(SIGKILL);
  std::string folder;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--bad") == 0) return 2;
    if (std::strcmp(argv[i], "--run-folder") == 0) folder = argv[i + 1];
  }
  fs::create_directories(folder);
  std::ofstream(fs::path(folder) / "summary.json") << R"({"duration_s": 1.0, "events": {"published": 10}, "shutdown": {"reason": "duration"}})";
  std::printf("child run into %s\nreport: %s\n", folder.c_str(), folder.c_str());
  return 0;
}

}  // namespace
}  // namespace tickpath::platform

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "run") == 0 || std::strncmp(argv[1], "child-", 6) == 0)) {
    return tickpath::platform::play_child(argc, argv);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

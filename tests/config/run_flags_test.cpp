// run's flags reach the config as --set overrides after the user's own, and a child run gets the
// same flags back as a command line (without the folders, which the parent names).
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "config/run_flags.hpp"

namespace tickpath::config {
namespace {

TEST(RunFlags, FlagsComeAfterTheUsersSetsAsTheKeysTheySet) {
  RunFlags f;
  f.overrides = {"ring.capacity=4096"};
  f.duration_s = 2.5;
  f.events = 1000;
  f.rate_pps = 50000;
  f.report_dir = "/tmp/r \"x\"";
  EXPECT_EQ(run_overrides(f), (std::vector<std::string>{"ring.capacity=4096", "run.duration_s=2.5", "run.events=1000",
                                                        "run.rate_pps=50000", "report.dir=\"/tmp/r \\\"x\\\"\""}));
}

TEST(RunFlags, NoFlagsLeaveOnlyTheUsersSets) {
  RunFlags f;
  f.overrides = {"a=1", "b=2"};
  EXPECT_EQ(run_overrides(f), f.overrides);
}

TEST(RunFlags, ARunFolderSetsReportDirToTheFolderItSitsInWithOrWithoutATrailingSlash) {
  RunFlags f;
  f.run_folder = "/srv/runs/set-1/run-1/";
  EXPECT_EQ(run_overrides(f), (std::vector<std::string>{"report.dir=\"/srv/runs/set-1\""}));
  f.run_folder = "/srv/runs/set-1/./run-2";
  EXPECT_EQ(run_overrides(f), (std::vector<std::string>{"report.dir=\"/srv/runs/set-1\""}));
}

TEST(RunFlags, TheFlagsReachTheLoadedConfig) {
  RunFlags f;
  f.events = 123;
  f.overrides = {"ring.capacity=2048"};
  auto loaded = load_run_startup(f);
  ASSERT_TRUE(std::holds_alternative<Startup>(loaded)) << std::get<std::string>(loaded);
  EXPECT_EQ(std::get<Startup>(loaded).config.run.events, 123u);
  EXPECT_EQ(std::get<Startup>(loaded).config.ring.capacity, 2048u);
}

TEST(RunFlags, ABadFlagValueIsRejectedNamingItsKey) {
  RunFlags f;
  f.rate_pps = -5;
  auto loaded = load_run_startup(f);
  ASSERT_TRUE(std::holds_alternative<std::string>(loaded));
  EXPECT_NE(std::get<std::string>(loaded).find("run.rate_pps"), std::string::npos) << std::get<std::string>(loaded);
}

TEST(RunFlags, AChildRunGetsTheFlagsButNotTheFoldersNorTheEalArguments) {
  RunFlags f;
  f.config_path = "c.toml";
  f.duration_s = 1;
  f.rate_pps = 1e6;
  f.overrides = {"a=1", "b=2"};
  f.report_dir = "/r";
  f.run_folder = "/r/run-1";
  f.eal_extra = {"--no-pci"};
  EXPECT_EQ(child_run_args(f), (std::vector<std::string>{"run", "--config", "c.toml", "--duration", "1", "--rate", "1000000",
                                                         "--set", "a=1", "--set", "b=2"}));
  EXPECT_EQ(child_run_args(RunFlags{}), (std::vector<std::string>{"run"}));
}

}  // namespace
}  // namespace tickpath::config

// The run journal: after every interval the folder holds the interval's timeline row and hlog
// lines, synced, and a provisional summary renamed over summary.json, so a killed run leaves a
// readable folder; a journal that cannot write says so once and stops, the run going on.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "control/plane/control_plane.hpp"
#include "platform/uring/run_journal.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

using test_support::read_file;

std::size_t lines_in(const std::string& text) {
  std::size_t n = 0;
  for (const char c : text) n += c == '\n';
  return n;
}

struct FakeRun {
  runtime::PipelineCounters counters;
  core::Lifecycle lifecycle;
  control::Observables observed;
  control::FailureInjector failures{lifecycle};
  std::unique_ptr<control::ControlPlane> plane;

  FakeRun() {
    observed.counters = &counters;
    observed.lifecycle = &lifecycle;
    observed.calibration = core::TscCalibration(1e9);
    observed.analytics_enabled = false;
    observed.nic = [] { return control::NicCounters{}; };
    plane = std::make_unique<control::ControlPlane>(observed, failures, [] { return true; },
                                                    control::ControlPlaneSettings{});
    EXPECT_EQ(plane->start(), "");
  }
};

class RunJournalTest : public test_support::TempDirTest {
 protected:
};

TEST_F(RunJournalTest, EachIntervalAppendsOneTimelineRowAndReplacesTheSummary) {
  FakeRun run;
  RunJournal journal(dir_.string());
  run.counters.ingest.events.add(10);
  (void)run.plane->tick(1.0);
  journal.record(*run.plane, {{"intervals", 1}});
  EXPECT_EQ(lines_in(read_file(dir_ / "timeline.csv")), 2u);  // the header, then the row
  EXPECT_EQ(read_file(dir_ / "summary.json"), "{\n  \"intervals\": 1\n}\n");
  (void)run.plane->tick(2.0);
  journal.record(*run.plane, {{"intervals", 2}});
  EXPECT_EQ(lines_in(read_file(dir_ / "timeline.csv")), 3u);  // no second header
  EXPECT_EQ(read_file(dir_ / "summary.json"), "{\n  \"intervals\": 2\n}\n");
  EXPECT_FALSE(fs::exists(dir_ / "summary.json.tmp"));
  EXPECT_EQ(read_file(dir_ / "latency.hlog").rfind("#[tickpath latency.hlog", 0), 0u);
  journal.close();
  EXPECT_TRUE(journal.errors().empty());
}

TEST_F(RunJournalTest, NothingIsWrittenBeforeTheFirstInterval) {
  FakeRun run;
  RunJournal journal(dir_.string());
  journal.record(*run.plane, {{"intervals", 0}});
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(RunJournalTest, AFolderThatCannotBeWrittenStopsTheJournalWithOneErrorNamingTheFile) {
  FakeRun run;
  RunJournal journal((dir_ / "missing").string());
  (void)run.plane->tick(1.0);
  journal.record(*run.plane, {});
  (void)run.plane->tick(2.0);
  journal.record(*run.plane, {});  // stopped: not tried again
  ASSERT_EQ(journal.errors().size(), 1u);
  EXPECT_NE(journal.errors()[0].find("timeline.csv"), std::string::npos) << journal.errors()[0];
}

}  // namespace
}  // namespace tickpath::platform

// report.ack_log in a run: with an AckLogSink the drain thread starts before the pipeline and its
// figures land in summary["ack_log"] after the drain; with any other sink the summary says null
// and nothing is started. A log that cannot start is reported and its acks counted as unwritten.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "core/execution/ack_log_sink.hpp"
#include "core/execution/sink.hpp"
#include "platform/uring/ack_log_run.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

core::Ack ack(std::uint64_t seq) {
  core::Ack a{};
  a.event_seq = seq;
  return a;
}

class AckLogRunTest : public test_support::TempDirTest {
 protected:
  control::Observables observed;
};

TEST_F(AckLogRunTest, WithoutTheLogSinkTheSummarySaysNullAndNothingStarts) {
  core::NullSink sink;
  AckLogRun<core::NullSink> run;
  run.start(sink, {dir_.string(), -1, 1e9, 0}, observed);
  nlohmann::json summary;
  EXPECT_TRUE(run.finish(sink, summary).empty());
  EXPECT_TRUE(summary["ack_log"].is_null());
  EXPECT_EQ(observed.ack_log_queue, nullptr);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(AckLogRunTest, EveryAckObservedIsInTheLogAndCountedInTheSummary) {
  using Sink = core::AckLogSink<core::NullSink>;
  Sink sink(1024);
  AckLogRun<Sink> run;
  run.start(sink, {dir_.string(), -1, 1e9, 0}, observed);
  EXPECT_EQ(observed.ack_log_queue, &sink.queue());
  for (std::uint64_t i = 0; i < 100; ++i) sink.observe(core::Event{}, ack(i));
  nlohmann::json summary;
  EXPECT_TRUE(run.finish(sink, summary).empty());
  EXPECT_EQ(summary["ack_log"]["file"], "acks.bin");
  EXPECT_EQ(summary["ack_log"]["records"], 100u);
  EXPECT_EQ(summary["ack_log"]["dropped"], 0u);
  EXPECT_EQ(fs::file_size(dir_ / "acks.bin"), report::acklog::kHeaderSize + 100 * report::acklog::kRecordSize);
}

TEST_F(AckLogRunTest, ALogThatCannotStartIsReportedAndItsAcksAreUnwritten) {
  using Sink = core::AckLogSink<core::NullSink>;
  Sink sink(1024);
  AckLogRun<Sink> run;
  run.start(sink, {(dir_ / "missing").string(), -1, 1e9, 0}, observed);
  for (std::uint64_t i = 0; i < 10; ++i) sink.observe(core::Event{}, ack(i));
  nlohmann::json summary;
  const std::vector<std::string> errors = run.finish(sink, summary);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("acks.bin"), std::string::npos) << errors[0];
  EXPECT_EQ(summary["ack_log"]["unwritten"], 10u);
  EXPECT_EQ(summary["ack_log"]["records"], 0u);
}

}  // namespace
}  // namespace tickpath::platform

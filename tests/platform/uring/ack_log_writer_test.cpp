// The ack log end to end without DPDK: a producer thread feeds an AckLogSink (as the execution
// consumer does), the drain thread writes acks.bin through io_uring, and the file read back holds
// exactly the acks that were queued, in order, with the drop count in its header.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "report/ack_log_format.hpp"
#include "core/execution/ack_log_sink.hpp"
#include "platform/uring/ack_log_writer.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "tickpath-acklog-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return {};
  return tmpl;
}

core::Ack ack_for(std::uint64_t i) {
  core::Ack a{};
  a.event_seq = i;
  a.feed_seq = 1000 + i;
  a.rx_tsc = 10 * i;
  a.publish_tsc = 10 * i + 1;
  a.poll_tsc = 10 * i + 2;
  a.decision_tsc = 10 * i + 3;
  a.complete_tsc = 10 * i + 4;
  a.executed = i % 3 == 0 ? 0 : 1;
  a.state = a.executed ? core::LifecycleState::ready : core::LifecycleState::warmup;
  return a;
}

TEST(AckLogWriter, EveryQueuedAckIsInTheFileInOrderAndTheHeaderCountsTheDrops) {
  const fs::path dir = temp_dir();
  ASSERT_FALSE(dir.empty());
  constexpr std::uint64_t kAcks = 200'000;
  core::AckLogSink<core::NullSink> sink(256);  // small: the producer outruns the drain sometimes
  AckLogSettings settings;
  settings.path = (dir / "acks.bin").string();
  settings.tsc_hz = 2'500'000'000;
  settings.start_tsc = 7;
  settings.batch = 64;
  settings.writer.buffer_bytes = 64 * 64;
  AckLogWriter writer(sink.queue(), settings);
  ASSERT_EQ(writer.start(), "");
  std::thread producer([&] {
    core::Event event{};
    for (std::uint64_t i = 0; i < kAcks; ++i) sink.observe(event, ack_for(i));
  });
  producer.join();
  const AckLogResult r = writer.finish(sink.dropped().load());
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(r.records + r.dropped, kAcks);
  EXPECT_EQ(r.records, sink.queue().pushed());
  EXPECT_EQ(r.bytes, report::acklog::kHeaderSize + r.records * report::acklog::kRecordSize);
  EXPECT_EQ(fs::file_size(settings.path), r.bytes);

  std::uint64_t seen = 0;
  std::uint64_t last = 0;
  std::uint64_t damaged = 0;
  std::uint64_t out_of_order = 0;
  const auto read = report::acklog::read_ack_log(settings.path, [&](const core::Ack& a) {
    const core::Ack want = ack_for(a.event_seq);
    if (a.feed_seq != want.feed_seq || a.complete_tsc != want.complete_tsc || a.executed != want.executed ||
        a.state != want.state) {
      ++damaged;
    }
    if (seen > 0 && a.event_seq <= last) ++out_of_order;
    last = a.event_seq;
    ++seen;
  });
  ASSERT_FALSE(read.error) << *read.error;
  EXPECT_EQ(seen, r.records);
  EXPECT_EQ(read.header.records, r.records);
  EXPECT_EQ(read.header.dropped, r.dropped);
  EXPECT_EQ(read.header.tsc_hz, settings.tsc_hz);
  EXPECT_EQ(read.header.start_tsc, 7u);
  EXPECT_EQ(damaged, 0u);
  EXPECT_EQ(out_of_order, 0u);
  fs::remove_all(dir);
}

TEST(AckLogWriter, AFullDeviceIsReportedAndTheQueueIsStillDrained) {
  core::AckLogSink<core::NullSink> sink(1024);
  AckLogSettings settings;
  settings.path = "/dev/full";
  settings.tsc_hz = 1'000'000'000;
  AckLogWriter writer(sink.queue(), settings);
  ASSERT_EQ(writer.start(), "");  // the header append is only queued: the error comes later
  core::Event event{};
  for (std::uint64_t i = 0; i < 500; ++i) sink.observe(event, ack_for(i));
  const AckLogResult r = writer.finish(sink.dropped().load());
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors.front().find("/dev/full"), std::string::npos) << r.errors.front();
  EXPECT_NE(r.errors.front().find("No space left on device"), std::string::npos) << r.errors.front();
  EXPECT_EQ(sink.queue().consumed(), 500u) << "the drain must keep emptying the queue after an error";
  EXPECT_EQ(r.records + r.unwritten + r.dropped, 500u);
}

TEST(AckLogWriter, AMissingFolderFailsAtStartWithThePath) {
  core::AckLogSink<core::NullSink> sink(16);
  AckLogSettings settings;
  settings.path = "/nonexistent-tickpath-dir/acks.bin";
  AckLogWriter writer(sink.queue(), settings);
  const std::string error = writer.start();
  EXPECT_NE(error.find("/nonexistent-tickpath-dir/acks.bin"), std::string::npos) << error;
  EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
}

}  // namespace
}  // namespace tickpath::platform

// The io_uring file writer: many files in flight at once keep their content byte for byte, short
// writes are retried for the remainder (forced through the completion hook), and every error
// comes back as a value naming the file, the operation and the errno.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "platform/uring/file_writer.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

class FileWriterTest : public test_support::TempDirTest {
 protected:

  static std::unique_ptr<UringFileWriter> make(const UringWriterConfig& config) {
    auto created = UringFileWriter::create(config);
    if (auto* e = std::get_if<IoError>(&created)) {
      ADD_FAILURE() << "io_uring set-up failed: " << e->message();
      return nullptr;
    }
    return std::move(std::get<std::unique_ptr<UringFileWriter>>(created));
  }

  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  static std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }
};

// A tiny pool (3 buffers of 1000 bytes, 4 operations in flight) and chunks up to 5x a buffer:
// every append waits for completions of other files' writes, and writes of all files overlap.
UringWriterConfig tiny_pool() {
  UringWriterConfig c;
  c.queue_depth = 4;
  c.buffers = 3;
  c.buffer_bytes = 1000;
  c.max_files = 8;
  return c;
}

// Writes 8 files with interleaved appends of pseudo-random sizes and contents; returns what
// each file must contain.
std::vector<std::string> write_interleaved(UringFileWriter& w, const fs::path& dir, std::vector<fs::path>& paths) {
  constexpr int kFiles = 8;
  std::mt19937_64 rng(42);
  std::vector<UringFileWriter::FileId> ids;
  std::vector<std::string> expected(kFiles);
  for (int f = 0; f < kFiles; ++f) {
    paths.push_back(dir / ("file-" + std::to_string(f) + ".bin"));
    auto opened = w.open(paths.back().string());
    EXPECT_TRUE(std::holds_alternative<UringFileWriter::FileId>(opened));
    ids.push_back(std::get<UringFileWriter::FileId>(opened));
  }
  for (int round = 0; round < 60; ++round) {
    for (int f = 0; f < kFiles; ++f) {
      std::string chunk(1 + rng() % 5000, '\0');
      for (char& c : chunk) c = static_cast<char>(rng());
      expected[f] += chunk;
      const auto e = w.append(ids[f], std::as_bytes(std::span(chunk.data(), chunk.size())));
      EXPECT_FALSE(e) << e->message();
    }
  }
  for (int f = 0; f < kFiles; ++f) {
    const auto e = w.close(ids[f]);
    EXPECT_FALSE(e) << e->message();
  }
  return expected;
}

TEST_F(FileWriterTest, ManyFilesInFlightAtOnceKeepTheirContentByteForByte) {
  auto w = make(tiny_pool());
  ASSERT_TRUE(w);
  std::vector<fs::path> paths;
  const std::vector<std::string> expected = write_interleaved(*w, dir_, paths);
  std::uint64_t total = 0;
  for (std::size_t f = 0; f < expected.size(); ++f) {
    const std::string got = read(paths[f]);
    ASSERT_EQ(got.size(), expected[f].size()) << paths[f];
    EXPECT_TRUE(got == expected[f]) << paths[f] << " differs";
    total += expected[f].size();
  }
  EXPECT_EQ(w->bytes_written(), total);
  EXPECT_EQ(w->short_writes(), 0u);
}

TEST_F(FileWriterTest, ShortWritesAreRetriedForTheRemainderAndTheContentIsExact) {
  UringWriterConfig c = tiny_pool();
  // Every write reports a third of what the kernel wrote (at least 1 byte): the writer must
  // resubmit the rest at the right offset, over and over, until the whole chunk is written.
  c.completion_hook = [](int result, unsigned) { return result > 1 ? std::max(1, result / 3) : result; };
  auto w = make(c);
  ASSERT_TRUE(w);
  std::vector<fs::path> paths;
  const std::vector<std::string> expected = write_interleaved(*w, dir_, paths);
  for (std::size_t f = 0; f < expected.size(); ++f) EXPECT_TRUE(read(paths[f]) == expected[f]) << paths[f];
  EXPECT_GT(w->short_writes(), 1000u) << "the seam did not force short writes";
}

TEST_F(FileWriterTest, NoSpaceOnTheDeviceIsReturnedWithTheFileAndTheErrno) {
  // /dev/full answers every write with ENOSPC: the real kernel error path, no injection.
  auto w = make(tiny_pool());
  ASSERT_TRUE(w);
  auto opened = w->open("/dev/full");
  ASSERT_TRUE(std::holds_alternative<UringFileWriter::FileId>(opened));
  const auto id = std::get<UringFileWriter::FileId>(opened);
  const std::string data(10'000, 'x');
  std::optional<IoError> first = w->append(id, bytes(data));
  const std::optional<IoError> at_close = w->close(id);
  if (!first) first = at_close;
  ASSERT_TRUE(first);
  EXPECT_EQ(first->error, ENOSPC);
  EXPECT_EQ(first->path, "/dev/full");
  EXPECT_EQ(first->op, "write");
  EXPECT_NE(first->message().find("No space left on device"), std::string::npos) << first->message();
  ASSERT_TRUE(at_close) << "close must return the file's first error";
  EXPECT_EQ(at_close->error, ENOSPC);
}

TEST_F(FileWriterTest, AnInjectedIoErrorStopsFurtherWritesToThatFileOnly) {
  UringWriterConfig c = tiny_pool();
  int writes = 0;
  c.completion_hook = [&writes](int result, unsigned) { return ++writes == 2 ? -EIO : result; };
  auto w = make(c);
  ASSERT_TRUE(w);
  const auto bad = std::get<UringFileWriter::FileId>(w->open((dir_ / "bad").string()));
  const std::string data(3000, 'b');  // three writes
  (void)w->append(bad, bytes(data));
  const auto error = w->close(bad);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->error, EIO);
  EXPECT_EQ(error->path, (dir_ / "bad").string());
  // The writer is still usable for other files.
  const auto good = std::get<UringFileWriter::FileId>(w->open((dir_ / "good").string()));
  EXPECT_FALSE(w->append(good, bytes("fine")));
  EXPECT_FALSE(w->close(good));
  EXPECT_EQ(read(dir_ / "good"), "fine");
}

TEST_F(FileWriterTest, OpeningInAMissingFolderNamesThePath) {
  auto w = make(tiny_pool());
  ASSERT_TRUE(w);
  const std::string path = (dir_ / "no-such-dir" / "summary.json").string();
  auto opened = w->open(path);
  ASSERT_TRUE(std::holds_alternative<IoError>(opened));
  const IoError& e = std::get<IoError>(opened);
  EXPECT_EQ(e.error, ENOENT);
  EXPECT_NE(e.message().find(path), std::string::npos);
  EXPECT_NE(e.message().find("open"), std::string::npos);
}

TEST_F(FileWriterTest, MoreFilesThanConfiguredAtOnceIsAnError) {
  UringWriterConfig c = tiny_pool();
  c.max_files = 2;
  auto w = make(c);
  ASSERT_TRUE(w);
  auto a = w->open((dir_ / "a").string());
  auto b = w->open((dir_ / "b").string());
  auto third = w->open((dir_ / "c").string());
  ASSERT_TRUE(std::holds_alternative<IoError>(third));
  EXPECT_EQ(std::get<IoError>(third).error, EMFILE);
  EXPECT_FALSE(w->close(std::get<UringFileWriter::FileId>(a)));
  EXPECT_TRUE(std::holds_alternative<UringFileWriter::FileId>(w->open((dir_ / "c").string())))
      << "a closed file's slot is reused";
  (void)b;
}

TEST_F(FileWriterTest, WriteAtRewritesInPlaceWithoutMovingTheEnd) {
  auto w = make(tiny_pool());
  ASSERT_TRUE(w);
  const auto id = std::get<UringFileWriter::FileId>(w->open((dir_ / "h").string()));
  EXPECT_FALSE(w->append(id, bytes("xxxx-body")));
  EXPECT_FALSE(w->write_at(id, 0, bytes("HEAD")));
  EXPECT_FALSE(w->append(id, bytes("-tail")));
  EXPECT_FALSE(w->close(id));
  EXPECT_EQ(read(dir_ / "h"), "HEAD-body-tail");
}

TEST(FileWriterConfig, AZeroSizedPoolIsRejected) {
  UringWriterConfig c;
  c.buffers = 0;
  auto created = UringFileWriter::create(c);
  ASSERT_TRUE(std::holds_alternative<IoError>(created));
  EXPECT_EQ(std::get<IoError>(created).error, EINVAL);
}

}  // namespace
}  // namespace tickpath::platform

// acks.bin round trip and every way a file can be bad: each error names what was wrong.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "report/ack_log_format.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::report::acklog {
namespace {

namespace fs = std::filesystem;

class AckLogFormat : public test_support::TempDirTest {
 protected:

  // A file with `n` records; the header says `records_in_header` (kUnfinished: never closed).
  std::string write(std::uint64_t n, std::uint64_t records_in_header, std::size_t extra_bytes = 0) {
    Header h;
    h.tsc_hz = 3'000'000'000;
    h.start_tsc = 123;
    h.records = records_in_header;
    h.dropped = records_in_header == kUnfinished ? kUnfinished : 5;
    const HeaderBytes hb = encode_header(h);
    std::vector<std::byte> bytes(hb.begin(), hb.end());
    for (std::uint64_t i = 0; i < n; ++i) {
      core::Ack a{};
      a.event_seq = i;
      a.feed_seq = ~i;
      a.rx_tsc = i << 20;
      a.publish_tsc = a.rx_tsc + 1;
      a.poll_tsc = a.rx_tsc + 2;
      a.decision_tsc = a.rx_tsc + 3;
      a.complete_tsc = a.rx_tsc + 4;
      a.executed = i & 1;
      a.state = (i & 1) ? core::LifecycleState::ready : core::LifecycleState::degraded;
      std::byte rec[kRecordSize];
      encode_record(a, rec);
      bytes.insert(bytes.end(), rec, rec + kRecordSize);
    }
    bytes.resize(bytes.size() + extra_bytes, std::byte{0x55});
    const std::string path = (dir_ / "acks.bin").string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                               static_cast<std::streamsize>(bytes.size()));
    return path;
  }

  static ReadResult read(const std::string& path, std::vector<core::Ack>* out = nullptr,
                         ReadMode mode = ReadMode::strict) {
    return read_ack_log(
        path,
        [out](const core::Ack& a) {
          if (out) out->push_back(a);
        },
        {}, mode);
  }

  // Overwrites `count` bytes at `offset` with `value`.
  static void damage(const std::string& path, std::uint64_t offset, std::size_t count, char value) {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(offset));
    const std::string bytes(count, value);
    f.write(bytes.data(), static_cast<std::streamsize>(count));
  }
};

TEST_F(AckLogFormat, RecordsAreLittleEndianAtTheDocumentedOffsets) {
  core::Ack a{};
  a.event_seq = 0x0102030405060708ull;
  a.complete_tsc = 0x1112131415161718ull;
  a.executed = 1;
  a.state = core::LifecycleState::degraded;
  std::byte rec[kRecordSize];
  encode_record(a, rec);
  EXPECT_EQ(rec[0], std::byte{0x08});
  EXPECT_EQ(rec[7], std::byte{0x01});
  EXPECT_EQ(rec[48], std::byte{0x18});
  EXPECT_EQ(rec[55], std::byte{0x11});
  EXPECT_EQ(rec[56], std::byte{1});
  EXPECT_EQ(rec[57], std::byte{3});
  for (int i = 58; i < 60; ++i) EXPECT_EQ(rec[i], std::byte{0}) << i;
  // bytes 60..63: zlib's crc32 of bytes 0..59, little-endian
  const std::uint32_t crc = static_cast<std::uint32_t>(::crc32(0L, reinterpret_cast<const Bytef*>(rec), 60));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(rec[60 + i], static_cast<std::byte>((crc >> (8 * i)) & 0xFF)) << i;
  const HeaderBytes h = encode_header(Header{});
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h.data()), 8), "TPACKLOG");
  EXPECT_EQ(h[8], std::byte{2});   // version 2, little-endian u16
  EXPECT_EQ(h[10], std::byte{64});  // header size
  EXPECT_EQ(h[12], std::byte{64});  // record size
}

TEST_F(AckLogFormat, AFinishedFileRoundTripsEveryField) {
  std::vector<core::Ack> got;
  const ReadResult r = read(write(10'000, 10'000), &got);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.records, 10'000u);
  EXPECT_EQ(r.header.tsc_hz, 3'000'000'000u);
  EXPECT_EQ(r.header.start_tsc, 123u);
  EXPECT_EQ(r.header.dropped, 5u);
  ASSERT_EQ(got.size(), 10'000u);
  for (std::uint64_t i = 0; i < got.size(); ++i) {
    const core::Ack& a = got[i];
    ASSERT_EQ(a.event_seq, i);
    ASSERT_EQ(a.feed_seq, ~i);
    ASSERT_EQ(a.rx_tsc, i << 20);
    ASSERT_EQ(a.complete_tsc, (i << 20) + 4);
    ASSERT_EQ(a.executed, i & 1);
    ASSERT_EQ(a.state, (i & 1) ? core::LifecycleState::ready : core::LifecycleState::degraded);
  }
}

TEST_F(AckLogFormat, APartialTrailingRecordIsATruncatedFile) {
  const ReadResult r = read(write(3, 3, 10));
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("truncated"), std::string::npos) << *r.error;
  EXPECT_NE(r.error->find("acks.bin"), std::string::npos) << *r.error;
}

TEST_F(AckLogFormat, FewerRecordsThanTheHeaderSaysIsReported) {
  const ReadResult r = read(write(3, 4));
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("header says 4 records but the file holds 3"), std::string::npos) << *r.error;
}

TEST_F(AckLogFormat, ALogThatWasNeverClosedSaysSo) {
  const ReadResult r = read(write(3, kUnfinished));
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("unfinished"), std::string::npos) << *r.error;
}

TEST_F(AckLogFormat, AFileThatIsNotAnAckLogHasABadMagic) {
  const std::string path = (dir_ / "summary.json").string();
  std::ofstream(path) << std::string(200, '{');
  const ReadResult r = read(path);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("bad magic"), std::string::npos) << *r.error;
}

TEST_F(AckLogFormat, AShortHeaderAndAnUnknownVersionAreNamed) {
  const std::string path = (dir_ / "short.bin").string();
  std::ofstream(path) << "TPACK";
  ReadResult r = read(path);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("truncated header: 5 of 64 bytes"), std::string::npos) << *r.error;

  Header h;
  h.version = 7;
  h.tsc_hz = 1;
  const HeaderBytes hb = encode_header(h);
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(hb.data()), hb.size());
  r = read(path);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("version 7 unsupported"), std::string::npos) << *r.error;
}

TEST_F(AckLogFormat, AFlippedBitInARecordIsAChecksumErrorNamingTheRecord) {
  const std::string path = write(10, 10);
  damage(path, kHeaderSize + 7 * kRecordSize + 20, 1, 0x7f);
  const ReadResult r = read(path);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("record 7 (byte offset 512): checksum mismatch"), std::string::npos) << *r.error;
}

TEST_F(AckLogFormat, SalvageReadsTheWholeRecordsOfAnUnfinishedLogAndIgnoresAPartialTail) {
  std::vector<core::Ack> got;
  const ReadResult r = read(write(1000, kUnfinished, 40), &got, ReadMode::salvage);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_FALSE(r.header.finished());
  EXPECT_EQ(r.records, 1000u);
  EXPECT_EQ(r.damaged, 0u);
  EXPECT_EQ(r.partial_bytes, 40u);
  ASSERT_EQ(got.size(), 1000u);
  EXPECT_EQ(got.back().event_seq, 999u);
}

TEST_F(AckLogFormat, SalvageSkipsAndCountsAZeroedHoleAndGarbage) {
  // A hole where two writes never landed (zeros: what an io_uring write still in flight at a kill
  // leaves before a later one that did land), and one record of garbage.
  const std::string path = write(100, kUnfinished);
  damage(path, kHeaderSize + 10 * kRecordSize, 2 * kRecordSize, '\0');
  damage(path, kHeaderSize + 50 * kRecordSize + 3, 30, 'x');
  std::vector<core::Ack> got;
  const ReadResult r = read(path, &got, ReadMode::salvage);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.records, 97u);
  EXPECT_EQ(r.damaged, 3u);
  for (const core::Ack& a : got) {
    EXPECT_NE(a.event_seq, 10u);
    EXPECT_NE(a.event_seq, 11u);
    EXPECT_NE(a.event_seq, 50u);
  }
}

TEST_F(AckLogFormat, SalvageStillRefusesAFileThatIsNotAnAckLog) {
  const std::string path = (dir_ / "junk.bin").string();
  std::ofstream(path) << std::string(640, 'j');
  const ReadResult r = read(path, nullptr, ReadMode::salvage);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("bad magic"), std::string::npos) << *r.error;
}

TEST_F(AckLogFormat, AVersion1LogWithoutChecksumsIsStillRead) {
  const std::string path = write(5, 5);
  damage(path, 8, 1, '\x01');  // the header's version: 1
  for (int i = 0; i < 5; ++i) damage(path, kHeaderSize + i * kRecordSize + 58, 6, '\0');  // v1: zero tail
  const ReadResult r = read(path);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.header.version, 1u);
  EXPECT_EQ(r.records, 5u);
}

TEST_F(AckLogFormat, AMissingFileNamesThePathAndTheReason) {
  const ReadResult r = read((dir_ / "nope.bin").string());
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("nope.bin: cannot open: No such file or directory"), std::string::npos) << *r.error;
}

}  // namespace
}  // namespace tickpath::report::acklog

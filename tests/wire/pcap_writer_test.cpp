// The capture file, byte by byte: global header, record headers with ns timestamps, frames.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "wire/pcap_writer.hpp"

namespace tickpath::wire {
namespace {

std::uint32_t le32(const std::vector<unsigned char>& b, std::size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

TEST(PcapWriter, WritesTheNanosecondFormatThatLibpcapReads) {
  const std::string path = (std::filesystem::temp_directory_path() / ("tp_pcap_" + std::to_string(getpid()) + ".pcap")).string();
  {
    auto created = PcapWriter::create(path);
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<PcapWriter>>(created));
    auto& w = *std::get<std::unique_ptr<PcapWriter>>(created);
    const std::vector<std::byte> a(60, std::byte{0xAA}), b(7, std::byte{0xBB});
    EXPECT_EQ(w.write(a, 1'700'000'000'123'456'789ull), "");
    EXPECT_EQ(w.write(b, 1'700'000'001'000'000'001ull), "");
    EXPECT_EQ(w.close(), "");
  }
  std::ifstream in(path, std::ios::binary);
  const std::vector<unsigned char> f((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);
  ASSERT_EQ(f.size(), kPcapFileHeader + 2 * kPcapRecordHeader + 60 + 7);
  EXPECT_EQ(le32(f, 0), kPcapMagicNs);
  EXPECT_EQ(f[4] | (f[5] << 8), 2);
  EXPECT_EQ(f[6] | (f[7] << 8), 4);
  EXPECT_EQ(le32(f, 16), kPcapSnapLen);
  EXPECT_EQ(le32(f, 20), kLinkTypeEthernet);
  std::size_t at = kPcapFileHeader;
  EXPECT_EQ(le32(f, at), 1'700'000'000u);
  EXPECT_EQ(le32(f, at + 4), 123'456'789u);
  EXPECT_EQ(le32(f, at + 8), 60u);
  EXPECT_EQ(le32(f, at + 12), 60u);
  EXPECT_EQ(f[at + kPcapRecordHeader], 0xAA);
  at += kPcapRecordHeader + 60;
  EXPECT_EQ(le32(f, at), 1'700'000'001u);
  EXPECT_EQ(le32(f, at + 4), 1u);
  EXPECT_EQ(le32(f, at + 8), 7u);
  EXPECT_EQ(f[at + kPcapRecordHeader + 6], 0xBB);
}

TEST(PcapWriter, AnUncreatableFileIsAnErrorNamingThePath) {
  auto created = PcapWriter::create("/nonexistent-dir/x.pcap");
  ASSERT_TRUE(std::holds_alternative<std::string>(created));
  EXPECT_NE(std::get<std::string>(created).find("/nonexistent-dir/x.pcap"), std::string::npos);
}

}  // namespace
}  // namespace tickpath::wire

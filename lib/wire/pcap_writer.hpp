#pragma once
// A classic libpcap capture file (the format tcpdump, Wireshark, scapy, tcpreplay and DPDK's
// pcap PMD read): a 24-byte global header, then per frame a 16-byte record header and the bytes.
// Nanosecond-resolution magic (0xa1b23c4d), little-endian, link type Ethernet.
//
// Written here rather than through DPDK's net_pcap tx: `gen --pcap` needs no EAL, no hugepages
// and no mbufs, the record timestamps are the load shape's planned send times (so tcpreplay
// reproduces the shape), and the bytes are checked in a unit test.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <variant>

namespace tickpath::wire {

inline constexpr std::uint32_t kPcapMagicNs = 0xa1b23c4d;
inline constexpr std::uint32_t kLinkTypeEthernet = 1;
inline constexpr std::uint32_t kPcapSnapLen = 65535;
inline constexpr std::size_t kPcapFileHeader = 24;
inline constexpr std::size_t kPcapRecordHeader = 16;

class PcapWriter {
 public:
  // Creates (truncates) the file and writes the global header. Error: names the path and errno.
  static std::variant<std::unique_ptr<PcapWriter>, std::string> create(const std::string& path);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // One frame stamped `ns` since the epoch. Returns an error text, empty on success.
  std::string write(std::span<const std::byte> frame, std::uint64_t ns);
  // Flushes and closes; an error (disk full) is returned, not lost.
  std::string close();

 private:
  PcapWriter(std::FILE* f, std::string path) : file_(f), path_(std::move(path)) {}
  std::FILE* file_;
  std::string path_;
};

}  // namespace tickpath::wire

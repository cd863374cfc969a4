#include "wire/pcap_writer.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace tickpath::wire {
namespace {

template <std::size_t N>
void put32le(std::array<std::byte, N>& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[at + i] = std::byte((v >> (8 * i)) & 0xFF);
}
template <std::size_t N>
void put16le(std::array<std::byte, N>& b, std::size_t at, std::uint16_t v) {
  b[at] = std::byte(v & 0xFF);
  b[at + 1] = std::byte(v >> 8);
}

}  // namespace

std::variant<std::unique_ptr<PcapWriter>, std::string> PcapWriter::create(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return fmt::format("--pcap {}: cannot create: {}", path, std::strerror(errno));
  std::unique_ptr<PcapWriter> w(new PcapWriter(f, path));
  std::array<std::byte, kPcapFileHeader> h{};
  put32le(h, 0, kPcapMagicNs);
  put16le(h, 4, 2);  // version 2.4
  put16le(h, 6, 4);
  // 8: thiszone 0, 12: sigfigs 0
  put32le(h, 16, kPcapSnapLen);
  put32le(h, 20, kLinkTypeEthernet);
  if (std::fwrite(h.data(), 1, h.size(), f) != h.size()) {
    return fmt::format("--pcap {}: write failed: {}", path, std::strerror(errno));
  }
  return w;
}

PcapWriter::~PcapWriter() { (void)close(); }

std::string PcapWriter::write(std::span<const std::byte> frame, std::uint64_t ns) {
  if (file_ == nullptr) return fmt::format("--pcap {}: already closed", path_);
  std::array<std::byte, kPcapRecordHeader> r{};
  const auto len = static_cast<std::uint32_t>(frame.size());
  put32le(r, 0, static_cast<std::uint32_t>(ns / 1'000'000'000));
  put32le(r, 4, static_cast<std::uint32_t>(ns % 1'000'000'000));
  put32le(r, 8, len);   // captured
  put32le(r, 12, len);  // on the wire
  if (std::fwrite(r.data(), 1, r.size(), file_) != r.size() ||
      std::fwrite(frame.data(), 1, frame.size(), file_) != frame.size()) {
    return fmt::format("--pcap {}: write failed: {}", path_, std::strerror(errno));
  }
  return {};
}

std::string PcapWriter::close() {
  if (file_ == nullptr) return {};
  std::FILE* f = file_;
  file_ = nullptr;
  const bool ok = std::fflush(f) == 0;
  const int saved = errno;
  if (std::fclose(f) != 0 || !ok) return fmt::format("--pcap {}: close failed: {}", path_, std::strerror(ok ? errno : saved));
  return {};
}

}  // namespace tickpath::wire

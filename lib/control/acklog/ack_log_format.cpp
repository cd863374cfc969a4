#include "control/acklog/ack_log_format.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <fmt/format.h>

namespace tickpath::control::acklog {
namespace {

// Little-endian by construction: byte i carries bits 8i..8i+7, on any host. Compilers turn these
// loops into one plain load/store on a little-endian machine.
template <class U>
void put(std::byte* out, std::size_t offset, U value) noexcept {
  for (std::size_t i = 0; i < sizeof(U); ++i) out[offset + i] = static_cast<std::byte>((value >> (8 * i)) & 0xFF);
}

template <class U>
U get(const std::byte* in, std::size_t offset) noexcept {
  U value = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) value |= static_cast<U>(std::to_integer<U>(in[offset + i]) << (8 * i));
  return value;
}

}  // namespace

HeaderBytes encode_header(const Header& h) noexcept {
  HeaderBytes out{};
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  put<std::uint16_t>(out.data(), 8, h.version);
  put<std::uint16_t>(out.data(), 10, static_cast<std::uint16_t>(kHeaderSize));
  put<std::uint32_t>(out.data(), 12, static_cast<std::uint32_t>(kRecordSize));
  put<std::uint64_t>(out.data(), 16, h.tsc_hz);
  put<std::uint64_t>(out.data(), 24, h.start_tsc);
  put<std::uint64_t>(out.data(), 32, h.created_unix_ns);
  put<std::uint64_t>(out.data(), 40, h.records);
  put<std::uint64_t>(out.data(), 48, h.dropped);
  put<std::uint64_t>(out.data(), 56, 0);
  return out;
}

void encode_record(const core::Ack& a, std::byte* out) noexcept {
  put<std::uint64_t>(out, 0, a.event_seq);
  put<std::uint64_t>(out, 8, a.feed_seq);
  put<std::uint64_t>(out, 16, a.rx_tsc);
  put<std::uint64_t>(out, 24, a.publish_tsc);
  put<std::uint64_t>(out, 32, a.poll_tsc);
  put<std::uint64_t>(out, 40, a.decision_tsc);
  put<std::uint64_t>(out, 48, a.complete_tsc);
  put<std::uint8_t>(out, 56, a.executed);
  put<std::uint8_t>(out, 57, static_cast<std::uint8_t>(a.state));
  std::memset(out + 58, 0, 6);
}

std::optional<DecodeError> decode_header(std::span<const std::byte> bytes, Header& h) {
  if (bytes.size() < kHeaderSize) {
    return DecodeError{fmt::format("truncated header: {} of {} bytes", bytes.size(), kHeaderSize)};
  }
  if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    return DecodeError{"bad magic: not a tickpath ack log (expected \"TPACKLOG\")"};
  }
  h.version = get<std::uint16_t>(bytes.data(), 8);
  if (h.version != kVersion) {
    return DecodeError{fmt::format("version {} unsupported (this tickpath reads version {})", h.version, kVersion)};
  }
  const auto header_size = get<std::uint16_t>(bytes.data(), 10);
  const auto record_size = get<std::uint32_t>(bytes.data(), 12);
  if (header_size != kHeaderSize || record_size != kRecordSize) {
    return DecodeError{fmt::format("header_size {} / record_size {} (version 1 has {} / {})", header_size,
                                   record_size, kHeaderSize, kRecordSize)};
  }
  h.tsc_hz = get<std::uint64_t>(bytes.data(), 16);
  h.start_tsc = get<std::uint64_t>(bytes.data(), 24);
  h.created_unix_ns = get<std::uint64_t>(bytes.data(), 32);
  h.records = get<std::uint64_t>(bytes.data(), 40);
  h.dropped = get<std::uint64_t>(bytes.data(), 48);
  if (h.tsc_hz == 0) return DecodeError{"tsc_hz is 0: the header is damaged"};
  return std::nullopt;
}

core::Ack decode_record(const std::byte* in) noexcept {
  core::Ack a{};
  a.event_seq = get<std::uint64_t>(in, 0);
  a.feed_seq = get<std::uint64_t>(in, 8);
  a.rx_tsc = get<std::uint64_t>(in, 16);
  a.publish_tsc = get<std::uint64_t>(in, 24);
  a.poll_tsc = get<std::uint64_t>(in, 32);
  a.decision_tsc = get<std::uint64_t>(in, 40);
  a.complete_tsc = get<std::uint64_t>(in, 48);
  a.executed = get<std::uint8_t>(in, 56);
  a.state = static_cast<core::LifecycleState>(get<std::uint8_t>(in, 57));
  return a;
}

ReadResult read_ack_log(const std::string& path, const std::function<void(const core::Ack&)>& on_record,
                        const std::function<void(const Header&)>& on_header) {
  ReadResult r;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    r.error = fmt::format("{}: cannot open: {}", path, std::strerror(errno));
    return r;
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  HeaderBytes header{};
  in.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(std::min<std::uint64_t>(size, kHeaderSize)));
  if (auto e = decode_header(std::span(header.data(), std::min<std::uint64_t>(size, kHeaderSize)), r.header)) {
    r.error = fmt::format("{}: {}", path, e->message);
    return r;
  }
  const std::uint64_t body = size - kHeaderSize;
  if (body % kRecordSize != 0) {
    r.error = fmt::format("{}: truncated: {} bytes after the header is not a whole number of {}-byte records "
                          "({} records and {} bytes of a partial one)",
                          path, body, kRecordSize, body / kRecordSize, body % kRecordSize);
    return r;
  }
  const std::uint64_t in_file = body / kRecordSize;
  if (!r.header.finished()) {
    r.error = fmt::format("{}: unfinished: the writer never closed this log (the run was killed?); "
                          "{} whole records are in the file", path, in_file);
    return r;
  }
  if (r.header.records != in_file) {
    r.error = fmt::format("{}: the header says {} records but the file holds {} (truncated or damaged)", path,
                          r.header.records, in_file);
    return r;
  }
  if (on_header) on_header(r.header);
  constexpr std::size_t kChunkRecords = 4096;
  std::vector<std::byte> chunk(kChunkRecords * kRecordSize);
  std::uint64_t left = in_file;
  while (left > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunkRecords));
    in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(n * kRecordSize));
    if (static_cast<std::size_t>(in.gcount()) != n * kRecordSize) {
      r.error = fmt::format("{}: read failed after {} records", path, r.records);
      return r;
    }
    for (std::size_t i = 0; i < n; ++i) {
      on_record(decode_record(chunk.data() + i * kRecordSize));
      ++r.records;
    }
    left -= n;
  }
  return r;
}

}  // namespace tickpath::control::acklog

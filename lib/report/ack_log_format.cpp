#include "report/ack_log_format.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

namespace tickpath::report::acklog {
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

// zlib's crc32 of the record's bytes before the checksum field.
std::uint32_t checksum(const std::byte* record) noexcept {
  return static_cast<std::uint32_t>(
      ::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(record), static_cast<uInt>(kChecksumOffset)));
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
  std::memset(out + 58, 0, 2);
  put<std::uint32_t>(out, kChecksumOffset, checksum(out));
}

bool record_intact(const std::byte* in, std::uint16_t version) noexcept {
  return version < 2 || get<std::uint32_t>(in, kChecksumOffset) == checksum(in);
}

std::optional<DecodeError> decode_header(std::span<const std::byte> bytes, Header& h) {
  if (bytes.size() < kHeaderSize) {
    return DecodeError{fmt::format("truncated header: {} of {} bytes", bytes.size(), kHeaderSize)};
  }
  if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    return DecodeError{"bad magic: not a tickpath ack log (expected \"TPACKLOG\")"};
  }
  h.version = get<std::uint16_t>(bytes.data(), 8);
  if (h.version < kOldestVersion || h.version > kVersion) {
    return DecodeError{fmt::format("version {} unsupported (this tickpath reads versions {} to {})", h.version,
                                   kOldestVersion, kVersion)};
  }
  const auto header_size = get<std::uint16_t>(bytes.data(), 10);
  const auto record_size = get<std::uint32_t>(bytes.data(), 12);
  if (header_size != kHeaderSize || record_size != kRecordSize) {
    return DecodeError{fmt::format("header_size {} / record_size {} (version {} has {} / {})", header_size,
                                   record_size, h.version, kHeaderSize, kRecordSize)};
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
                        const std::function<void(const Header&)>& on_header, ReadMode mode) {
  ReadResult r;
  const bool salvage = mode == ReadMode::salvage;
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
  const std::uint64_t in_file = body / kRecordSize;
  if (body % kRecordSize != 0 && !salvage) {
    r.error = fmt::format("{}: truncated: {} bytes after the header is not a whole number of {}-byte records "
                          "({} records and {} bytes of a partial one; --salvage reads the whole ones)",
                          path, body, kRecordSize, in_file, body % kRecordSize);
    return r;
  }
  r.partial_bytes = body % kRecordSize;
  if (!r.header.finished() && !salvage) {
    r.error = fmt::format("{}: unfinished: the writer never closed this log (the run was killed?); "
                          "{} whole records are in the file (--salvage reads them)", path, in_file);
    return r;
  }
  if (r.header.finished() && r.header.records != in_file && !salvage) {
    r.error = fmt::format("{}: the header says {} records but the file holds {} (truncated or damaged)", path,
                          r.header.records, in_file);
    return r;
  }
  if (on_header) on_header(r.header);
  constexpr std::size_t kChunkRecords = 4096;
  std::vector<std::byte> chunk(kChunkRecords * kRecordSize);
  std::uint64_t left = in_file;
  std::uint64_t index = 0;
  while (left > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunkRecords));
    in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(n * kRecordSize));
    if (static_cast<std::size_t>(in.gcount()) != n * kRecordSize) {
      r.error = fmt::format("{}: read failed after {} records", path, index);
      return r;
    }
    for (std::size_t i = 0; i < n; ++i, ++index) {
      const std::byte* record = chunk.data() + i * kRecordSize;
      if (!record_intact(record, r.header.version)) {
        if (!salvage) {
          r.error = fmt::format("{}: record {} (byte offset {}): checksum mismatch: the file is damaged "
                                "(--salvage skips damaged records and counts them)",
                                path, index, kHeaderSize + index * kRecordSize);
          return r;
        }
        ++r.damaged;
        continue;
      }
      on_record(decode_record(record));
      ++r.records;
    }
    left -= n;
  }
  return r;
}

}  // namespace tickpath::report::acklog

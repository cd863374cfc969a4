#pragma once
// acks.bin: the ack log's file format. A 64-byte header, then one 64-byte record per ack, every
// integer little-endian whatever the host (encoded and decoded byte by byte, never by casting a
// struct onto the file). docs/report-io.md has the table.
//
//   header (64 bytes)                        record (64 bytes, one per ack)
//   off size field                           off size field
//     0    8 magic "TPACKLOG"                  0    8 event_seq     ring sequence
//     8    2 version (2)                       8    8 feed_seq      feed sequence
//    10    2 header_size (64)                 16    8 rx_tsc        ingest_to_ack starts
//    12    4 record_size (64)                 24    8 publish_tsc   queue stage starts
//    16    8 tsc_hz                           32    8 poll_tsc      queue stage ends
//    24    8 start_tsc (run start, ticks)     40    8 decision_tsc
//    32    8 created_unix_ns                  48    8 complete_tsc  ingest_to_ack ends
//    40    8 records  (kUnfinished until      56    1 executed      1: decided in READY
//    48    8 dropped   the log was closed)    57    1 state         0 INIT 1 WARMUP 2 READY 3 DEGRADED
//    56    8 reserved (0)                     58    2 reserved (0)
//                                             60    4 crc32         zlib crc32 of bytes 0..59 (version 2)
//
// records/dropped are written last, when the log is closed; a log whose writer never got there
// (a crash, a kill -9) keeps kUnfinished and the strict reader says so instead of guessing. The
// salvage reader (`tickpath acks --salvage`) reads such a log anyway: every whole record whose
// checksum holds, the others counted as damaged (a zeroed hole where a write never landed, a torn
// tail, garbage). The checksum is computed by the ack log's drain thread, never on the hot path.
// Version 1 logs (no checksum: bytes 58..63 were zero) are still read.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "core/execution/ack.hpp"

namespace tickpath::report::acklog {

inline constexpr std::array<char, 8> kMagic = {'T', 'P', 'A', 'C', 'K', 'L', 'O', 'G'};
inline constexpr std::uint16_t kVersion = 2;
inline constexpr std::uint16_t kOldestVersion = 1;  // read without checksums
inline constexpr std::size_t kChecksumOffset = 60;
inline constexpr std::size_t kHeaderSize = 64;
inline constexpr std::size_t kRecordSize = 64;
inline constexpr std::uint64_t kUnfinished = ~std::uint64_t{0};

struct Header {
  std::uint16_t version = kVersion;
  std::uint64_t tsc_hz = 0;
  std::uint64_t start_tsc = 0;
  std::uint64_t created_unix_ns = 0;
  std::uint64_t records = kUnfinished;
  std::uint64_t dropped = kUnfinished;

  [[nodiscard]] bool finished() const noexcept { return records != kUnfinished; }
};

using HeaderBytes = std::array<std::byte, kHeaderSize>;

[[nodiscard]] HeaderBytes encode_header(const Header& header) noexcept;
// Writes one record into out[0, kRecordSize), its checksum included.
void encode_record(const core::Ack& ack, std::byte* out) noexcept;
// True when the record's checksum matches its bytes (always true for version 1 records).
[[nodiscard]] bool record_intact(const std::byte* in, std::uint16_t version) noexcept;

// Decoding: an error names what was wrong ("bad magic", "version 7 unsupported", ...).
struct DecodeError {
  std::string message;
};
[[nodiscard]] std::optional<DecodeError> decode_header(std::span<const std::byte> bytes, Header& out);
[[nodiscard]] core::Ack decode_record(const std::byte* in) noexcept;

// Reads a whole file in chunks (a multi-GiB log is never loaded at once): validates the header,
// the size (a partial trailing record is a truncated file) and the finished counts, then calls
// on_header once the header and size checked out, then on_record for every record in file order.
// Error: names the file and what was wrong (no callback has been called for a bad header/size).
//
// ReadMode::salvage reads an unfinished, truncated or damaged log instead of refusing it: the
// header must still be an ack log's, then every whole record is checked and the intact ones are
// passed on; damaged ones and a partial trailing record are counted, never passed on.
enum class ReadMode : std::uint8_t { strict, salvage };

struct ReadResult {
  Header header;
  std::uint64_t records = 0;         // passed to on_record
  std::uint64_t damaged = 0;         // salvage: whole records whose checksum failed
  std::uint64_t partial_bytes = 0;   // salvage: bytes of a partial trailing record, ignored
  std::optional<std::string> error;
};
[[nodiscard]] ReadResult read_ack_log(const std::string& path,
                                      const std::function<void(const core::Ack&)>& on_record,
                                      const std::function<void(const Header&)>& on_header = {},
                                      ReadMode mode = ReadMode::strict);

}  // namespace tickpath::report::acklog

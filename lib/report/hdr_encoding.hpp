#pragma once
// HdrHistogram's V2 compressed encoding, the form every HdrHistogram implementation reads from an
// interval log (.hlog), and the base64 that wraps it there.
//
//   compressed:  int32 cookie 0x1c849314 | int32 deflated length | zlib stream of ↓
//   encoded:     int32 cookie 0x1c849313 | int32 payload length | int32 normalizing index offset (0)
//                int32 significant digits | int64 lowest discernible (1) | int64 highest trackable
//                double integer-to-double conversion ratio (1.0) | payload
//   payload:     the counts array up to the last non-empty slot, each count ZigZag LEB128;
//                a run of N empty slots is written as the single value -N
//
// Integers are big-endian. The cookies are HdrHistogram's V2 bases (0x1c849303 encoding,
// 0x1c849304 compressed) with the word-size nibble 0x10 that marks the LEB128 payload. LEB128
// here is HdrHistogram's variant: at most 9 bytes, the 9th carries 8 bits.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "report/hdr_histogram.hpp"

namespace tickpath::report {

inline constexpr std::uint32_t kV2EncodingCookie = 0x1c849303 | 0x10;
inline constexpr std::uint32_t kV2CompressedCookie = 0x1c849304 | 0x10;

[[nodiscard]] std::vector<std::uint8_t> encode_compressed(const HdrHistogram& histogram);
// A histogram, or an error saying which part of the input was wrong.
[[nodiscard]] std::variant<HdrHistogram, std::string> decode_compressed(const std::vector<std::uint8_t>& bytes);

[[nodiscard]] std::string base64_encode(const std::vector<std::uint8_t>& bytes);
// Empty optional-like: returns false and leaves `out` unspecified on a character outside the
// alphabet or a length that is not a multiple of 4.
[[nodiscard]] bool base64_decode(std::string_view text, std::vector<std::uint8_t>& out);

}  // namespace tickpath::report

#include "report/hdr_encoding.hpp"

#include <zlib.h>

#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace tickpath::report {
namespace {

constexpr std::size_t kEncodedHeaderBytes = 40;
constexpr std::size_t kCompressedHeaderBytes = 8;

void put_be(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_be(const std::uint8_t* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

// HdrHistogram's ZigZagEncoding.putLong: 7 bits per byte for 8 bytes, then 8 bits in the 9th.
void put_zigzag(std::vector<std::uint8_t>& out, std::int64_t signed_value) {
  std::uint64_t v = (static_cast<std::uint64_t>(signed_value) << 1) ^ static_cast<std::uint64_t>(signed_value >> 63);
  for (int i = 0; i < 8; ++i) {
    if ((v >> 7) == 0) {
      out.push_back(static_cast<std::uint8_t>(v));
      return;
    }
    out.push_back(static_cast<std::uint8_t>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

// Returns false when the input ends inside a value.
bool get_zigzag(const std::uint8_t*& p, const std::uint8_t* end, std::int64_t& out) {
  std::uint64_t v = 0;
  for (int i = 0; i < 9; ++i) {
    if (p == end) return false;
    const std::uint8_t b = *p++;
    if (i == 8) {
      v |= static_cast<std::uint64_t>(b) << 56;
      break;
    }
    v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) break;
  }
  out = static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
  return true;
}

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::vector<std::uint8_t> encode_compressed(const HdrHistogram& h) {
  std::vector<std::uint8_t> payload;
  const std::size_t used = h.used_length();
  const auto& counts = h.counts();
  for (std::size_t i = 0; i < used;) {
    if (counts[i] != 0) {
      put_zigzag(payload, static_cast<std::int64_t>(counts[i]));
      ++i;
      continue;
    }
    std::int64_t zeros = 0;
    while (i < used && counts[i] == 0) {
      ++zeros;
      ++i;
    }
    put_zigzag(payload, -zeros);
  }
  std::vector<std::uint8_t> encoded;
  encoded.reserve(kEncodedHeaderBytes + payload.size());
  put_be(encoded, kV2EncodingCookie, 4);
  put_be(encoded, payload.size(), 4);
  put_be(encoded, 0, 4);  // normalizing index offset: tickpath never shifts a histogram
  put_be(encoded, static_cast<std::uint64_t>(h.significant_digits()), 4);
  put_be(encoded, 1, 8);  // lowest discernible value
  put_be(encoded, static_cast<std::uint64_t>(h.highest_trackable()), 8);
  put_be(encoded, std::bit_cast<std::uint64_t>(1.0), 8);  // integer-to-double conversion ratio
  encoded.insert(encoded.end(), payload.begin(), payload.end());

  uLongf deflated_len = compressBound(static_cast<uLong>(encoded.size()));
  std::vector<std::uint8_t> out(kCompressedHeaderBytes + deflated_len);
  if (compress(out.data() + kCompressedHeaderBytes, &deflated_len, encoded.data(), static_cast<uLong>(encoded.size())) != Z_OK) {
    throw std::runtime_error("zlib compress failed");  // only on out-of-memory
  }
  out.resize(kCompressedHeaderBytes + deflated_len);
  std::vector<std::uint8_t> head;
  put_be(head, kV2CompressedCookie, 4);
  put_be(head, deflated_len, 4);
  std::memcpy(out.data(), head.data(), kCompressedHeaderBytes);
  return out;
}

std::variant<HdrHistogram, std::string> decode_compressed(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < kCompressedHeaderBytes) return std::string("shorter than the 8-byte compressed header");
  const auto cookie = static_cast<std::uint32_t>(get_be(bytes.data(), 4));
  if (cookie != kV2CompressedCookie) {
    return fmt::format("compressed cookie 0x{:08x}, expected 0x{:08x} (HdrHistogram V2)", cookie, kV2CompressedCookie);
  }
  const std::uint64_t deflated_len = get_be(bytes.data() + 4, 4);
  if (deflated_len > bytes.size() - kCompressedHeaderBytes) {
    return fmt::format("compressed length {} exceeds the {} bytes present", deflated_len, bytes.size() - kCompressedHeaderBytes);
  }
  // Inflate in steps: the encoded size is not stored, only bounded by the counts array.
  std::vector<std::uint8_t> encoded;
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return std::string("zlib inflateInit failed");
  zs.next_in = const_cast<Bytef*>(bytes.data() + kCompressedHeaderBytes);
  zs.avail_in = static_cast<uInt>(deflated_len);
  std::array<std::uint8_t, 16384> chunk{};
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = chunk.data();
    zs.avail_out = chunk.size();
    rc = inflate(&zs, Z_NO_FLUSH);
    encoded.insert(encoded.end(), chunk.data(), chunk.data() + (chunk.size() - zs.avail_out));
    if (encoded.size() > (std::size_t{64} << 20)) rc = Z_DATA_ERROR;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return fmt::format("zlib stream is corrupt or truncated (zlib code {})", rc);
  if (encoded.size() < kEncodedHeaderBytes) return std::string("encoded histogram shorter than its 40-byte header");
  const auto enc_cookie = static_cast<std::uint32_t>(get_be(encoded.data(), 4));
  if (enc_cookie != kV2EncodingCookie) {
    return fmt::format("encoding cookie 0x{:08x}, expected 0x{:08x} (HdrHistogram V2)", enc_cookie, kV2EncodingCookie);
  }
  const std::uint64_t payload_len = get_be(encoded.data() + 4, 4);
  const std::uint64_t offset = get_be(encoded.data() + 8, 4);
  const auto digits = static_cast<int>(get_be(encoded.data() + 12, 4));
  const auto lowest = static_cast<std::int64_t>(get_be(encoded.data() + 16, 8));
  const auto highest = static_cast<std::int64_t>(get_be(encoded.data() + 24, 8));
  if (payload_len != encoded.size() - kEncodedHeaderBytes) {
    return fmt::format("payload length {} but {} bytes follow the header", payload_len, encoded.size() - kEncodedHeaderBytes);
  }
  if (offset != 0) return std::string("normalizing index offset is not 0 (shifted histograms are not supported)");
  if (lowest != 1) return fmt::format("lowest discernible value {} (only 1 is supported)", lowest);
  if (digits < 0 || digits > 5 || highest < 2) {
    return fmt::format("bad header: {} significant digits, highest trackable {}", digits, highest);
  }
  if (const std::size_t slots = HdrHistogram::counts_length_for(highest, digits); slots > kMaxReadSlots) {
    return fmt::format("{} significant digits up to {} need {} slots, beyond the {} a file may ask for", digits, highest,
                       slots, kMaxReadSlots);
  }
  HdrHistogram h(highest, digits);
  std::uint64_t total = 0;
  const std::uint8_t* p = encoded.data() + kEncodedHeaderBytes;
  const std::uint8_t* const end = encoded.data() + encoded.size();
  std::size_t index = 0;
  while (p < end) {
    std::int64_t v = 0;
    if (!get_zigzag(p, end, v)) return std::string("payload ends inside a count");
    if (v < 0) {
      const std::uint64_t zeros = 0 - static_cast<std::uint64_t>(v);  // -v overflows for INT64_MIN
      if (zeros > h.counts_length() - index) return std::string("run of empty slots past the counts array");
      index += zeros;
      continue;
    }
    if (index >= h.counts_length()) return std::string("more counts than the histogram's array holds");
    if (static_cast<std::uint64_t>(v) > kMaxTotalCount - total) {
      return fmt::format("the counts add up past {} (2^63 - 1)", kMaxTotalCount);
    }
    total += static_cast<std::uint64_t>(v);
    h.set_count_at_index(index++, static_cast<std::uint64_t>(v));
  }
  return h;
}

std::string base64_encode(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) |
                            (i + 1 < bytes.size() ? std::uint32_t{bytes[i + 1]} << 8 : 0) |
                            (i + 2 < bytes.size() ? std::uint32_t{bytes[i + 2]} : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

bool base64_decode(std::string_view text, std::vector<std::uint8_t>& out) {
  out.clear();
  if (text.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t n = 0;
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      std::uint32_t d = 0;
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
      } else {
        if (pad != 0) return false;
        const auto pos = kAlphabet.find(c);
        if (pos == std::string_view::npos) return false;
        d = static_cast<std::uint32_t>(pos);
      }
      n = (n << 6) | d;
    }
    out.push_back(static_cast<std::uint8_t>(n >> 16));
    if (pad < 2) out.push_back(static_cast<std::uint8_t>(n >> 8));
    if (pad < 1) out.push_back(static_cast<std::uint8_t>(n));
  }
  return true;
}

}  // namespace tickpath::report

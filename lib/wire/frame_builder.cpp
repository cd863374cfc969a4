#include "wire/frame_builder.hpp"

#include <algorithm>

namespace tickpath::wire {
namespace {

namespace moldudp64 = core::moldudp64;
namespace test_message = core::test_message;

using Bytes = std::vector<std::byte>;

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = std::byte(v >> 8);
  b[at + 1] = std::byte(v & 0xFF);
}

void put64(Bytes& b, std::size_t at, std::uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) b[at + static_cast<std::size_t>(i)] = std::byte(v & 0xFF);
}

std::uint16_t ipv4_checksum(const Bytes& b, std::size_t at, std::size_t len) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < len; i += 2) {
    sum += (std::to_integer<std::uint32_t>(b[at + i]) << 8) | std::to_integer<std::uint32_t>(b[at + i + 1]);
  }
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// Offsets of the layers inside a frame built by build_udp_frame.
struct Layout {
  std::size_t l3;
  std::size_t l4;
  std::size_t payload;
};

Layout layout(bool vlan) {
  const std::size_t l3 = moldudp64::kEthernetHeader + (vlan ? moldudp64::kVlanTag : 0);
  return {l3, l3 + moldudp64::kIpv4MinHeader, l3 + moldudp64::kIpv4MinHeader + moldudp64::kUdpHeader};
}

Bytes build_udp_frame(const MoldFrameSpec& spec, const Bytes& udp_payload) {
  const Layout at = layout(spec.vlan);
  Bytes f(at.payload + udp_payload.size());
  for (std::size_t i = 0; i < 6; ++i) {
    f[i] = std::byte(spec.dst_mac[i]);
    f[6 + i] = std::byte(spec.src_mac[i]);
  }
  if (spec.vlan) {
    put16(f, 12, moldudp64::kEtherTypeVlan);
    put16(f, 14, 100);  // VLAN id 100
    put16(f, 16, moldudp64::kEtherTypeIpv4);
  } else {
    put16(f, 12, moldudp64::kEtherTypeIpv4);
  }
  // IPv4: TTL 64, DF.
  const std::size_t ip_total = moldudp64::kIpv4MinHeader + moldudp64::kUdpHeader + udp_payload.size();
  f[at.l3] = std::byte(0x45);
  put16(f, at.l3 + 2, static_cast<std::uint16_t>(ip_total));
  put16(f, at.l3 + 6, 0x4000);
  f[at.l3 + 8] = std::byte(64);
  f[at.l3 + 9] = std::byte(moldudp64::kIpProtoUdp);
  for (std::size_t i = 0; i < 4; ++i) {
    f[at.l3 + 12 + i] = std::byte(spec.src_ip[i]);
    f[at.l3 + 16 + i] = std::byte(spec.dst_ip[i]);
  }
  put16(f, at.l3 + 10, ipv4_checksum(f, at.l3, moldudp64::kIpv4MinHeader));
  // UDP (checksum 0: optional over IPv4).
  put16(f, at.l4, spec.udp_src_port);
  put16(f, at.l4 + 2, spec.udp_dst_port);
  put16(f, at.l4 + 4, static_cast<std::uint16_t>(moldudp64::kUdpHeader + udp_payload.size()));
  std::copy(udp_payload.begin(), udp_payload.end(), f.begin() + static_cast<std::ptrdiff_t>(at.payload));
  return f;
}

Bytes mold_payload(const MoldFrameSpec& spec, const std::vector<Bytes>& messages, int count_override) {
  Bytes p(moldudp64::kHeader);
  for (std::size_t i = 0; i < moldudp64::kSessionBytes; ++i) {
    p[i] = std::byte(i < spec.session.size() ? spec.session[i] : ' ');
  }
  put64(p, moldudp64::kSessionBytes, spec.first_seq);
  put16(p, 18, count_override >= 0 ? static_cast<std::uint16_t>(count_override)
                                   : static_cast<std::uint16_t>(messages.size()));
  for (const Bytes& m : messages) {
    const std::size_t at = p.size();
    p.resize(at + 2 + m.size());
    put16(p, at, static_cast<std::uint16_t>(m.size()));
    std::copy(m.begin(), m.end(), p.begin() + static_cast<std::ptrdiff_t>(at + 2));
  }
  return p;
}

// Parses `count` numbers in `base` separated by `sep`, each at most `max`.
template <std::size_t N>
bool parse_fields(std::string_view text, char sep, int base, unsigned max, std::array<std::uint8_t, N>& out) {
  std::array<std::uint8_t, N> v{};
  std::size_t field = 0, digits = 0;
  unsigned acc = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      if (digits == 0 || field >= N) return false;
      v[field++] = static_cast<std::uint8_t>(acc);
      acc = 0;
      digits = 0;
      continue;
    }
    const char c = text[i];
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0) return false;
    acc = acc * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (acc > max || ++digits > 3) return false;
  }
  if (field != N) return false;
  out = v;
  return true;
}

}  // namespace

bool parse_mac(std::string_view text, std::array<std::uint8_t, 6>& out) { return parse_fields(text, ':', 16, 255, out); }
bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& out) { return parse_fields(text, '.', 10, 255, out); }

std::vector<std::byte> build_moldudp64_frame(const MoldFrameSpec& spec,
                                             const std::vector<std::vector<std::byte>>& messages,
                                             int count_override) {
  return build_udp_frame(spec, mold_payload(spec, messages, count_override));
}

std::vector<std::byte> build_test_message(std::size_t size, std::uint64_t send_ns, std::uint64_t send_tsc,
                                          std::byte filler) {
  Bytes m(std::max(size, test_message::kHeaderBytes), filler);
  put64(m, test_message::kSendNsOffset, send_ns);
  put64(m, test_message::kSendTscOffset, send_tsc);
  const std::uint32_t magic = test_message::kMagic;
  for (std::size_t i = 0; i < 4; ++i) m[test_message::kMagicOffset + i] = std::byte((magic >> (24 - 8 * i)) & 0xFF);
  return m;
}

std::vector<std::byte> build_broken_frame(DropReason reason, const MoldFrameSpec& spec) {
  const Layout at = layout(spec.vlan);
  const std::vector<Bytes> two = {Bytes(8, std::byte{0xAB}), Bytes(12, std::byte{0xCD})};
  Bytes f = build_moldudp64_frame(spec, two);
  const auto ip_total = [&](std::uint16_t v) { put16(f, at.l3 + 2, v); };
  switch (reason) {
    case DropReason::none: break;
    case DropReason::not_ipv4: put16(f, at.l3 - 2, 0x86DD); break;  // IPv6
    case DropReason::not_udp: f[at.l3 + 9] = std::byte(6); break;    // TCP
    case DropReason::wrong_port: put16(f, at.l4 + 2, static_cast<std::uint16_t>(spec.udp_dst_port + 1)); break;
    case DropReason::truncated_ethernet: f.resize(10); break;
    case DropReason::truncated_ip: f.resize(at.l3 + 12); break;
    case DropReason::bad_ip_header: f[at.l3] = std::byte(0x65); break;  // version 6 in an IPv4 frame
    case DropReason::ip_fragment: put16(f, at.l3 + 6, 0x2000); break;   // MF set
    case DropReason::ip_length_mismatch: ip_total(static_cast<std::uint16_t>(f.size())); break;
    case DropReason::truncated_udp: ip_total(moldudp64::kIpv4MinHeader + 4); break;
    case DropReason::udp_length_mismatch: put16(f, at.l4 + 4, 9); break;
    case DropReason::truncated_moldudp64: {
      f = build_udp_frame(spec, Bytes(12, std::byte{'S'}));
      break;
    }
    case DropReason::message_past_end: {
      // Second message claims 200 bytes; 12 are there.
      put16(f, at.payload + moldudp64::kHeader + 2 + 8, 200);
      break;
    }
    case DropReason::trailing_bytes: {
      // Announce one message where two are present.
      put16(f, at.payload + 18, 1);
      break;
    }
    case DropReason::sequence_overflow: {
      // Two messages from 2^64 - 1: the second would be number 2^64.
      for (std::size_t i = 0; i < 8; ++i) f[at.payload + moldudp64::kSessionBytes + i] = std::byte{0xFF};
      break;
    }
    case DropReason::wrong_group: {
      // Another destination than spec.dst_ip: foreign only to a line with a group set.
      f[at.l3 + 19] = std::byte(static_cast<std::uint8_t>(spec.dst_ip[3] + 1));
      put16(f, at.l3 + 10, 0);
      put16(f, at.l3 + 10, ipv4_checksum(f, at.l3, moldudp64::kIpv4MinHeader));
      break;
    }
    case DropReason::kCount: break;
  }
  return f;
}

}  // namespace tickpath::wire

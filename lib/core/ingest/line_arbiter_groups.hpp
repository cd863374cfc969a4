#pragma once
// ingest.lines.<x>.multicast: each line's IPv4 destination (its multicast group). A frame that
// parsed as the feed's but went to another IPv4 destination on that line is dropped as
// `wrong_group` (foreign), never arbitrated: on a shared segment, or a promiscuous port whose PMD
// cannot join a group, another group's traffic arrives too, and accepting it would publish
// whatever happens to carry the same session and numbers.
//
// The filter is the arbitrated decoder's template parameter, chosen once at start-up:
// AnyLineDestination (no group on either line) is empty and its check folds away, so two lines
// without groups cost what they did before; LineGroupFilter holds one group per line (0: any).
//
// Hot path: no allocation, lock, system call or log; reads 4 bytes of a frame that
// parse_moldudp64 has already bounds-checked (Ethernet, optional 802.1Q tag, a full IPv4 header).
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/ingest/frame.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "core/ingest/moldudp64.hpp"

namespace tickpath::core {

template <class F>
concept LineDestinationFilter = requires(const F f, Line line, const FrameView& frame) {
  { f.accepts(line, frame) } noexcept -> std::same_as<bool>;
};

// No group on either line: every destination is accepted; the call inlines to `true`.
struct AnyLineDestination {
  [[nodiscard]] constexpr bool accepts(Line, const FrameView&) const noexcept { return true; }
};

// The IPv4 destination of a frame parse_moldudp64 accepted (host byte order). Only valid for
// such a frame: the offsets are those it checked.
[[nodiscard]] inline std::uint32_t ipv4_destination(const FrameView& frame) noexcept {
  using namespace moldudp64;
  const std::size_t l3 = detail::load_be16(frame.data + 12) == kEtherTypeVlan ? kEthernetHeader + kVlanTag : kEthernetHeader;
  std::uint32_t v;
  std::memcpy(&v, frame.data + l3 + 16, sizeof v);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap32(v);
  return v;
}

class LineGroupFilter {
 public:
  // groups[line]: the line's IPv4 destination in host byte order; 0 accepts any destination.
  explicit LineGroupFilter(std::array<std::uint32_t, kLines> groups) noexcept : groups_(groups) {}

  [[nodiscard]] bool accepts(Line line, const FrameView& frame) const noexcept {
    const std::uint32_t group = groups_[static_cast<std::size_t>(line)];
    return group == 0 || ipv4_destination(frame) == group;
  }

 private:
  std::array<std::uint32_t, kLines> groups_;
};

static_assert(LineDestinationFilter<AnyLineDestination>);
static_assert(LineDestinationFilter<LineGroupFilter>);

}  // namespace tickpath::core

#include "config/multicast_group.hpp"

#include <arpa/inet.h>

namespace tickpath::config {

std::optional<std::uint32_t> parse_multicast_group(const std::string& text) {
  in_addr addr{};
  // inet_pton accepts exactly four decimal octets (no "0x", no shorthand such as "239.1").
  if (inet_pton(AF_INET, text.c_str(), &addr) != 1) return std::nullopt;
  const std::uint32_t group = ntohl(addr.s_addr);
  if ((group >> 28) != 0xE) return std::nullopt;  // 1110xxxx: 224.0.0.0/4
  return group;
}

}  // namespace tickpath::config

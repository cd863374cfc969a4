#pragma once
// ingest.lines.<x>.multicast: an IPv4 multicast group in dotted-quad form, in 224.0.0.0/4.
#include <cstdint>
#include <optional>
#include <string>

namespace tickpath::config {

// The group in host byte order, or nullopt when `text` is not a dotted-quad IPv4 address in
// 224.0.0.0/4 (224.0.0.0 .. 239.255.255.255).
[[nodiscard]] std::optional<std::uint32_t> parse_multicast_group(const std::string& text);

}  // namespace tickpath::config

#pragma once
// One project-wide cache-line constant (STYLE 11).
#include <cstddef>

namespace tickpath::core {

// The coherence unit on every x86-64 and most AArch64 parts we target.
inline constexpr std::size_t kCacheLine = 64;

// Adjacent-line prefetchers pull lines in pairs, so producer- and consumer-owned fields are kept
// this far apart to avoid false sharing through the prefetcher (the reason rte_ring and Seastar
// pad to 128 on x86).
inline constexpr std::size_t kFalseSharingRange = 128;

}  // namespace tickpath::core

#pragma once
// The cache-line constants, defined once for the whole project: every alignas and every padding
// decision uses these, so no file can disagree about the coherence unit.
#include <cstddef>

namespace tickpath::core {

// The coherence unit on every x86-64 and most AArch64 parts we target.
inline constexpr std::size_t kCacheLine = 64;

// Adjacent-line prefetchers pull lines in pairs, so producer- and consumer-owned fields are kept
// this far apart to avoid false sharing through the prefetcher (the reason rte_ring and Seastar
// pad to 128 on x86).
inline constexpr std::size_t kFalseSharingRange = 128;

}  // namespace tickpath::core

#pragma once
// The hugepage policy, decided before the EAL starts (a failed rte_eal_init cannot be retried in
// the same process, so everything the EAL would trip over is checked here first).
//
//   auto      hugepages when a hugetlbfs mount exists and enough pages are free; otherwise
//             --no-huge with -m sized for the ring and the mbuf pool, and one warning
//   required  hugepages or an error that says how to reserve them, before any EAL output
//   off       --no-huge, no warning
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/choices.hpp"

namespace tickpath::platform {

// eal.hugepages: the config's enum, so the policy has one spelling from the TOML to the EAL.
using HugepagePolicy = config::HugepagePolicy;

[[nodiscard]] std::optional<HugepagePolicy> parse_hugepage_policy(std::string_view text);

// What the kernel offers, read from /proc/meminfo and /proc/mounts.
struct HugepageProbe {
  std::uint64_t page_bytes = 0;   // default hugepage size (Hugepagesize)
  std::uint64_t total_pages = 0;  // HugePages_Total
  std::uint64_t free_pages = 0;   // HugePages_Free
  std::vector<std::string> mounts;  // hugetlbfs mount points

  [[nodiscard]] std::uint64_t free_bytes() const noexcept { return page_bytes * free_pages; }
};

// `proc_root` is "/proc" except in tests.
[[nodiscard]] HugepageProbe probe_hugepages(const std::string& proc_root = "/proc");

struct HugepageDecision {
  bool use_hugepages = false;
  std::uint64_t no_huge_memory_mb = 0;  // -m for --no-huge (0 when hugepages are used)
  std::string warning;                  // printed once when auto falls back
  std::string error;                    // non-empty: refuse to start (exit 1)
};

// `needed_bytes`: the ring plus the mbuf pool plus the EAL's own allocations.
// `memory_mb`: eal.memory_mb from the config, 0 = computed from needed_bytes.
[[nodiscard]] HugepageDecision decide_hugepages(HugepagePolicy policy, const HugepageProbe& probe,
                                                std::uint64_t needed_bytes, std::uint64_t memory_mb);

// Memory the EAL needs for a ring of `ring_bytes` and a pool of `mbufs` mbufs.
[[nodiscard]] std::uint64_t eal_memory_needed(std::uint64_t ring_bytes, std::uint64_t mbufs);

}  // namespace tickpath::platform

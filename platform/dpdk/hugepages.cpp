#include "platform/dpdk/hugepages.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace tickpath::platform {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
// The EAL's own memzones, the ethdev and mempool headers, telemetry: measured well under this
// on 22.11 with the null PMD; the margin keeps --no-huge from failing on a larger config.
constexpr std::uint64_t kEalOverheadBytes = 64 * kMiB;
// Data room (2048 + 128 headroom) plus the mbuf header and the mempool's per-object header.
constexpr std::uint64_t kBytesPerMbuf = 2560;

}  // namespace

std::optional<HugepagePolicy> parse_hugepage_policy(std::string_view text) { return config::parse_choice<HugepagePolicy>(text); }

HugepageProbe probe_hugepages(const std::string& proc_root) {
  HugepageProbe probe;
  std::ifstream meminfo(proc_root + "/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    std::istringstream in(line);
    std::string key;
    std::uint64_t value = 0;
    in >> key >> value;
    if (key == "HugePages_Total:") probe.total_pages = value;
    if (key == "HugePages_Free:") probe.free_pages = value;
    if (key == "Hugepagesize:") probe.page_bytes = value * 1024;  // reported in kB
  }
  std::ifstream mounts(proc_root + "/mounts");
  while (std::getline(mounts, line)) {
    std::istringstream in(line);
    std::string device, mount_point, type;
    in >> device >> mount_point >> type;
    if (type == "hugetlbfs") probe.mounts.push_back(mount_point);
  }
  return probe;
}

std::uint64_t eal_memory_needed(std::uint64_t ring_bytes, std::uint64_t mbufs) {
  return ring_bytes + mbufs * kBytesPerMbuf + kEalOverheadBytes;
}

HugepageDecision decide_hugepages(HugepagePolicy policy, const HugepageProbe& probe,
                                  std::uint64_t needed_bytes, std::uint64_t memory_mb) {
  HugepageDecision d;
  const std::uint64_t no_huge_mb = memory_mb != 0 ? memory_mb : (needed_bytes + kMiB - 1) / kMiB;
  const bool mounted = !probe.mounts.empty();
  const bool enough = probe.free_bytes() >= needed_bytes;
  if (policy != HugepagePolicy::off && mounted && enough) {
    d.use_hugepages = true;
    return d;
  }
  const std::string why =
      !mounted ? "no hugetlbfs mount"
               : fmt::format("{} MiB of hugepages free ({} pages of {} KiB), {} MiB needed",
                             probe.free_bytes() / kMiB, probe.free_pages, probe.page_bytes / 1024,
                             (needed_bytes + kMiB - 1) / kMiB);
  switch (policy) {
    case HugepagePolicy::required:
      d.error = fmt::format(
          "eal.hugepages = \"required\" but {}. Reserve them as root with "
          "`scripts/hugepages.sh reserve` (or `dpdk-hugepages.py --setup 1G`), or set "
          "eal.hugepages = \"auto\"",
          why);
      return d;
    case HugepagePolicy::automatic:
      d.warning = fmt::format(
          "warning: {}; running with --no-huge -m {} (4 KiB pages: slower rx, no "
          "NUMA placement). Reserve hugepages with `scripts/hugepages.sh reserve`.",
          why, no_huge_mb);
      [[fallthrough]];
    case HugepagePolicy::off:
      d.no_huge_memory_mb = no_huge_mb;
      return d;
  }
  return d;
}

}  // namespace tickpath::platform

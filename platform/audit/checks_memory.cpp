// Memory: hugepages where the port's mbufs and the ring live, and the kernel features that
// stall a running process (THP compaction, swap-in, KSM's copy-on-write faults).

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "platform/audit/checks.hpp"

namespace tickpath::platform::audit {
namespace {

// The node whose memory the appliance uses: the port's, else the hot cpus', else node 0 on a
// single-node host.
int memory_node(const AuditContext& ctx) {
  if (ctx.port_node >= 0) return ctx.port_node;
  if (ctx.hot_node >= 0) return ctx.hot_node;
  return ctx.machine.numa_nodes <= 1 ? 0 : -1;
}

Row hugepages_on_node(const AuditContext& ctx) {
  const std::string name = "hugepages.node";
  const Status if_missing = ctx.hugepages_required ? Status::fail : Status::warn;
  const int node = memory_node(ctx);
  const std::string expected = node >= 0 ? fmt::format("pages reserved on node {}", node) : "pages reserved";
  if (node < 0) return skip_row(name, "the memory's NUMA node is unknown (no plan, no port node)", expected);
  std::string dir = fmt::format("/sys/devices/system/node/node{}/hugepages", node);
  std::string where = fmt::format("node{}", node);
  if (!ctx.fs.exists("/sys/devices/system/node")) {
    dir = "/sys/kernel/mm/hugepages";  // a kernel without NUMA reports them host-wide only
    where = "host";
  }
  std::vector<std::string> sizes;
  long long total = 0, free_pages = 0;
  for (const std::string& entry : ctx.fs.list(dir)) {
    if (entry.rfind("hugepages-", 0) != 0) continue;
    const auto nr = ctx.fs.read_int(dir + "/" + entry + "/nr_hugepages").value_or(0);
    const auto fr = ctx.fs.read_int(dir + "/" + entry + "/free_hugepages").value_or(0);
    total += nr;
    free_pages += fr;
    if (nr > 0) sizes.push_back(fmt::format("{} x {} ({} free)", nr, entry.substr(10), fr));
  }
  const std::string hint = fmt::format("echo 1024 > {}/hugepages-2048kB/nr_hugepages (boot: hugepagesz=1G hugepages=N; "
                                       "scripts/hugepages.sh reserve)",
                                       dir);
  if (total == 0) return make_row(if_missing, name, where + ": none reserved", expected, hint);
  const std::string found = fmt::format("{}: {}", where, fmt::join(sizes, ", "));
  if (free_pages == 0) return make_row(Status::warn, name, found + " -- all in use", expected, "free them or reserve more: " + hint);
  return make_row(Status::pass, name, found, expected, "");
}

Row hugetlbfs_mount(const AuditContext& ctx) {
  const std::string name = "hugepages.mount";
  const std::string expected = "a hugetlbfs mount";
  const Status if_missing = ctx.hugepages_required ? Status::fail : Status::warn;
  auto mounts = ctx.fs.read("/proc/mounts");
  if (!mounts) return skip_row(name, "no /proc/mounts", expected);
  std::vector<std::string> points;
  for (const auto& f : fields_per_line(*mounts)) {  // device, mount point, type, ...
    if (f.size() >= 3 && f[2] == "hugetlbfs") points.push_back(f[1]);
  }
  if (!points.empty()) return make_row(Status::pass, name, fmt::format("hugetlbfs on {}", fmt::join(points, ", ")), expected, "");
  return make_row(if_missing, name, "none in /proc/mounts", expected,
                  "mount -t hugetlbfs nodev /dev/hugepages (or enable dev-hugepages.mount)");
}

Row thp(const AuditContext& ctx) {
  const std::string name = "mm.thp";
  const std::string path = "/sys/kernel/mm/transparent_hugepage/enabled";
  const std::string expected = "[never] or [madvise]";
  auto line = ctx.fs.read_line(path);
  if (!line) return skip_row(name, "no " + path + " (kernel without THP)", expected);
  const auto open = line->find('['), close = line->find(']');
  const std::string mode = open != std::string::npos && close > open ? line->substr(open + 1, close - open - 1) : *line;
  if (mode == "never" || mode == "madvise") return make_row(Status::pass, name, mode, expected, "");
  return make_row(Status::warn, name, mode, expected,
                  "echo never > " + path + " (khugepaged and compaction stall the process; boot: transparent_hugepage=never)");
}

Row swap(const AuditContext& ctx) {
  const std::string name = "mm.swap";
  const std::string expected = "no swap";
  auto text = ctx.fs.read("/proc/swaps");
  if (!text) return skip_row(name, "no /proc/swaps", expected);
  std::vector<std::string> devices;
  for (const auto& f : fields_per_line(*text, /*skip_header=*/true)) {  // device, type, size, ...
    if (!f.empty()) devices.push_back(f[0]);
  }
  if (devices.empty()) return make_row(Status::pass, name, "no swap", expected, "");
  return make_row(Status::warn, name, fmt::format("swap on {}", fmt::join(devices, ", ")), expected,
                  "swapoff -a and remove it from /etc/fstab (a swapped-in page costs milliseconds)");
}

Row swappiness(const AuditContext& ctx) {
  const std::string name = "vm.swappiness";
  constexpr long long kMax = 10;
  const std::string expected = fmt::format("<= {}", kMax);
  auto v = ctx.fs.read_int("/proc/sys/vm/swappiness");
  if (!v) return skip_row(name, "no /proc/sys/vm/swappiness", expected);
  if (*v <= kMax) return make_row(Status::pass, name, std::to_string(*v), expected, "");
  return make_row(Status::warn, name, std::to_string(*v), expected,
                  "sysctl -w vm.swappiness=10 (persist in /etc/sysctl.d/)");
}

Row ksm(const AuditContext& ctx) {
  const std::string name = "mm.ksm";
  const std::string path = "/sys/kernel/mm/ksm/run";
  auto v = ctx.fs.read_int(path);
  if (!v) return skip_row(name, "no " + path + " (kernel without KSM)", "0 (off)");
  // 2 = stop and unmerge everything: off as well.
  if (*v == 0 || *v == 2) return make_row(Status::pass, name, fmt::format("run={}", *v), "0 (off)", "");
  return make_row(Status::warn, name, fmt::format("run={} (ksmd merging pages)", *v), "0 (off)",
                  "echo 2 > " + path + " (systemctl disable --now ksm ksmtuned)");
}

}  // namespace

void add_memory_checks(const AuditContext& ctx, std::vector<Row>& rows) {
  run_checks(ctx, rows, {hugepages_on_node, hugetlbfs_mount, thp, swap, swappiness, ksm});
}

}  // namespace tickpath::platform::audit

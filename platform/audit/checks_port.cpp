// The port: on the hot cpus' NUMA node, and handed to DPDK through vfio-pci behind an IOMMU.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "platform/audit/checks.hpp"

namespace tickpath::platform::audit {
namespace {

std::string vdev_name(const AuditContext& ctx) {
  return ctx.vdev.empty() ? std::string("none") : ctx.vdev.substr(0, ctx.vdev.find(','));
}

std::string device_dir(const AuditContext& ctx) { return "/sys/bus/pci/devices/" + ctx.pci; }

// mlx5 NICs are driven by DPDK through the kernel's own driver (bifurcated model).
bool bifurcated(const std::string& driver) { return driver == "mlx5_core" || driver == "mlx4_core"; }

Row port_numa(const AuditContext& ctx) {
  const std::string name = "port.numa";
  const std::string expected = ctx.hot_node >= 0 ? fmt::format("node {} (the hot cpus')", ctx.hot_node) : "the hot cpus' node";
  if (ctx.pci.empty()) return skip_row(name, "virtual device " + vdev_name(ctx) + ": no PCI NUMA node", expected);
  if (!ctx.fs.exists(device_dir(ctx))) {
    return make_row(Status::fail, name, "no PCI device " + ctx.pci, expected, "check port.pci against lspci -D");
  }
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, expected);
  const auto node = ctx.fs.read_int(device_dir(ctx) + "/numa_node");
  if (!node || *node < 0) {
    if (ctx.machine.numa_nodes <= 1) return make_row(Status::pass, name, "no node (-1) on a single-node host", expected, "");
    return make_row(Status::warn, name, "firmware reports no node (-1)", expected,
                    "enable ACPI SRAT/NUMA in the BIOS; check lspci -vv for the slot's socket");
  }
  std::vector<std::string> remote;
  for (int c : ctx.hot) {
    const Cpu* cpu = ctx.machine.find(c);
    if (cpu != nullptr && cpu->numa_node != *node) remote.push_back(fmt::format("cpu{} on node {}", c, cpu->numa_node));
  }
  const std::string found = fmt::format("node {}", *node);
  if (remote.empty()) return make_row(Status::pass, name, found, expected, "");
  return make_row(Status::fail, name, fmt::format("{}; {}", found, fmt::join(remote, ", ")), expected,
                  fmt::format("pick hot cpus on node {} (cores.ingest / cores.execution; `tickpath topology`)", *node));
}

Row port_driver(const AuditContext& ctx) {
  const std::string name = "port.driver";
  const std::string expected = "vfio-pci";
  if (ctx.pci.empty()) return skip_row(name, "virtual device " + vdev_name(ctx) + ": no driver to bind", expected);
  if (!ctx.fs.exists(device_dir(ctx))) return make_row(Status::fail, name, "no PCI device " + ctx.pci, expected, "check port.pci against lspci -D");
  const std::string hint = "dpdk-devbind.py --bind=vfio-pci " + ctx.pci;
  auto driver = ctx.fs.link_name(device_dir(ctx) + "/driver");
  if (!driver) return make_row(Status::fail, name, "no driver bound", expected, "modprobe vfio-pci; " + hint);
  if (*driver == "vfio-pci") return make_row(Status::pass, name, *driver, expected, "");
  if (bifurcated(*driver)) return make_row(Status::pass, name, *driver + " (bifurcated: DPDK's mlx PMD uses it)", expected, "");
  if (*driver == "uio_pci_generic" || *driver == "igb_uio") {
    return make_row(Status::warn, name, *driver + " (no IOMMU protection)", expected, hint);
  }
  return make_row(Status::fail, name, *driver + " (kernel driver: DPDK cannot take the port)", expected, hint);
}

Row port_iommu(const AuditContext& ctx) {
  const std::string name = "port.iommu";
  const std::string expected = "device in an IOMMU group";
  if (ctx.pci.empty()) return skip_row(name, "virtual device " + vdev_name(ctx) + ": no DMA", expected);
  if (!ctx.fs.exists(device_dir(ctx))) return make_row(Status::fail, name, "no PCI device " + ctx.pci, expected, "check port.pci against lspci -D");
  if (auto driver = ctx.fs.link_name(device_dir(ctx) + "/driver"); driver && bifurcated(*driver)) {
    return skip_row(name, "bifurcated driver " + *driver + ": no vfio", expected);
  }
  const std::string hint = "boot with intel_iommu=on iommu=pt (AMD: amd_iommu=on iommu=pt) and enable VT-d/AMD-Vi in the BIOS";
  if (auto noiommu = ctx.fs.read_line("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"); noiommu && *noiommu == "Y") {
    return make_row(Status::warn, name, "vfio enable_unsafe_noiommu_mode=Y", expected, hint);
  }
  if (ctx.fs.list("/sys/kernel/iommu_groups").empty()) return make_row(Status::fail, name, "no IOMMU groups (IOMMU off)", expected, hint);
  auto group = ctx.fs.link_name(device_dir(ctx) + "/iommu_group");
  if (!group) return make_row(Status::fail, name, "device has no iommu_group", expected, hint);
  return make_row(Status::pass, name, "group " + *group, expected, "");
}

}  // namespace

void add_port_checks(const AuditContext& ctx, std::vector<Row>& rows) {
  run_checks(ctx, rows, {port_numa, port_driver, port_iommu});
}

}  // namespace tickpath::platform::audit

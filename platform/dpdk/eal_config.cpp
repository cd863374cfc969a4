#include "platform/dpdk/eal_config.hpp"

#include <fmt/format.h>

#include "config/multicast_group.hpp"

namespace tickpath::platform {

EalSettings eal_settings(const config::Config& c, int main_cpu, const std::vector<std::string>& extra_args) {
  const config::Config::Ingest::Line a = config::ingest_line(c, 0);
  const config::Config::Ingest::Line b = config::ingest_line(c, 1);
  EalSettings eal;
  eal.file_prefix = c.eal.file_prefix;
  eal.config_args = c.eal.args;
  eal.extra_args = extra_args;
  eal.main_cpu = main_cpu;
  eal.vdev = a.vdev;
  eal.pci = a.pci;
  eal.vdev_b = b.vdev;
  eal.pci_b = b.pci;
  return eal;
}

PortSettings port_settings(const config::Config& c, std::size_t line) {
  const config::Config::Ingest::Line l = config::ingest_line(c, line);
  PortSettings port;
  port.device = config::device_name(l.vdev, l.pci);
  port.rx_descriptors = c.port.rx_descriptors;
  port.mbufs = c.port.mbufs;
  port.mbuf_cache = c.port.mbuf_cache;
  port.promiscuous = c.port.promiscuous;
  port.hw_timestamps = c.port.hw_timestamps;
  port.rx_queue = l.rx_queue;
  // Validated at load (224.0.0.0/4 or ""), so an unparsable group cannot reach here.
  port.multicast_group = l.multicast.empty() ? 0 : config::parse_multicast_group(l.multicast).value_or(0);
  if (c.ingest.lines.two()) port.key = line == 0 ? "ingest.lines.a" : "ingest.lines.b";
  return port;
}

HugepageDecision decide_hugepages(const config::Config& c, const HugepageProbe& probe, std::uint64_t ring_bytes) {
  const std::uint64_t ports = c.ingest.lines.two() ? 2 : 1;
  return decide_hugepages(c.eal.hugepages, probe, eal_memory_needed(ring_bytes, ports * c.port.mbufs), c.eal.memory_mb);
}

std::string check_transmitter_eal(const TransmitterEal& eal) {
  if (parse_hugepage_policy(eal.hugepages)) return {};
  return fmt::format("--hugepages '{}' is not one of auto, required, off", eal.hugepages);
}

EalSettings eal_settings(const wire::FeedRequest& request, const TransmitterEal& eal) {
  return EalSettings{.file_prefix = eal.file_prefix, .config_args = {} /* gen has no config file */,
                     .extra_args = eal.eal_extra, .main_cpu = eal.cpu,
                     .vdev = request.vdev, .pci = request.pci, .vdev_b = request.vdev_b, .pci_b = request.pci_b};
}

HugepageDecision decide_hugepages(const wire::FeedRequest& request, const TransmitterEal& eal, const HugepageProbe& probe) {
  const std::uint64_t pools = request.lines == 2 ? 2 : 1;
  return decide_hugepages(*parse_hugepage_policy(eal.hugepages), probe, eal_memory_needed(0, eal.mbufs * pools), 0);
}

const std::string& transmitter_device(const wire::FeedRequest& request, int line) {
  const std::string& vdev = line == 0 ? request.vdev : request.vdev_b;
  return vdev.empty() ? (line == 0 ? request.pci : request.pci_b) : vdev;
}

}  // namespace tickpath::platform

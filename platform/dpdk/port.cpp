// rte_eth_read_clock is still "experimental" in 22.11 (unchanged since 19.08); it is the only way
// to map a NIC's rx timestamps onto host time, so this one file opts in.
#define ALLOW_EXPERIMENTAL_API 1
#include "platform/dpdk/port.hpp"

#include <cerrno>

#include <fmt/format.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

namespace tickpath::platform {
namespace {

std::string failed(const std::string& device, const char* call, int rc) {
  return fmt::format("port {}: {} failed: {}", device, call, rte_strerror(rc < 0 ? -rc : rc));
}

// The group's MAC (01:00:5e + its low 23 bits, RFC 1112) in the port's multicast filter. A PMD
// without rte_eth_dev_set_mc_addr_list (null, pcap, af_packet) answers -ENOTSUP: then the port
// receives the group only as its promiscuous/all-multicast mode or its kernel interface lets it,
// and the line's destination filter (wrong_group) still keeps other groups out. tickpath sends
// no IGMP report: a switch that snoops IGMP needs a static group or a querier for this port.
struct Joined {
  std::string note;
  std::string error{};
};

Joined join_multicast(std::uint16_t port, const std::string& driver, std::uint32_t group, const std::string& key) {
  const std::string dotted = fmt::format("{}.{}.{}.{}", group >> 24, (group >> 16) & 0xFF, (group >> 8) & 0xFF, group & 0xFF);
  rte_ether_addr mac{{0x01, 0x00, 0x5E, static_cast<std::uint8_t>((group >> 16) & 0x7F),
                      static_cast<std::uint8_t>((group >> 8) & 0xFF), static_cast<std::uint8_t>(group & 0xFF)}};
  const int rc = rte_eth_dev_set_mc_addr_list(port, &mac, 1);
  if (rc != 0 && rc != -ENOTSUP) {
    return {{}, fmt::format("{}.multicast = \"{}\": rte_eth_dev_set_mc_addr_list failed: {}", key, dotted, rte_strerror(-rc))};
  }
  if (rc == 0) {
    return {fmt::format("joined {} (MAC {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}) with rte_eth_dev_set_mc_addr_list", dotted,
                       mac.addr_bytes[0], mac.addr_bytes[1], mac.addr_bytes[2], mac.addr_bytes[3], mac.addr_bytes[4], mac.addr_bytes[5])};
  }
  const int all = rte_eth_allmulticast_enable(port);
  return {fmt::format("{} not joined: {} has no multicast filter (rte_eth_dev_set_mc_addr_list: {}); all-multicast {}; "
                     "frames to other destinations are dropped as wrong_group",
                     dotted, driver, rte_strerror(rc < 0 ? -rc : rc), all == 0 ? "on" : "not supported either (promiscuous mode decides)")};
}

}  // namespace

std::variant<std::unique_ptr<Port>, std::string> Port::open(const PortSettings& s) {
  std::unique_ptr<Port> port(new Port());
  if (rte_eth_dev_get_port_by_name(s.device.c_str(), &port->id_) != 0) {
    return fmt::format("port {}: no such DPDK port ({} ports available); check port.vdev / port.pci",
                       s.device, rte_eth_dev_count_avail());
  }
  rte_eth_dev_info info{};
  if (int rc = rte_eth_dev_info_get(port->id_, &info); rc != 0) return failed(s.device, "rte_eth_dev_info_get", rc);
  port->driver_ = info.driver_name != nullptr ? info.driver_name : "?";
  port->numa_node_ = rte_eth_dev_socket_id(port->id_);
  const int socket = port->numa_node_ < 0 ? static_cast<int>(SOCKET_ID_ANY) : port->numa_node_;

  // The pool lives on the port's node: the NIC DMAs into these buffers and the ingest core,
  // local to the same node, reads them.
  const std::string pool_name = fmt::format("tp_rx_{}", port->id_);
  port->pool_ = rte_pktmbuf_pool_create(pool_name.c_str(), s.mbufs, s.mbuf_cache, 0,
                                        RTE_MBUF_DEFAULT_BUF_SIZE, socket);
  if (port->pool_ == nullptr) {
    return fmt::format("port {}: mbuf pool of {} mbufs on NUMA node {} failed: {} (port.mbufs)",
                       s.device, s.mbufs, port->numa_node_, rte_strerror(rte_errno));
  }

  // The queue is checked against what the device offers before anything is configured: the
  // error names the key, not the DPDK call that would fail later.
  if (s.rx_queue >= info.max_rx_queues) {
    return fmt::format("{}.rx_queue = {}: port {} ({}) offers {} rx queue{} (0..{}){}", s.key, s.rx_queue, s.device,
                       port->driver_, info.max_rx_queues, info.max_rx_queues == 1 ? "" : "s",
                       info.max_rx_queues == 0 ? 0 : info.max_rx_queues - 1,
                       port->driver_ == "net_af_packet" ? "; af_packet has as many as its qpairs= argument"
                       : port->driver_ == "net_pcap"    ? "; pcap has one per rx_pcap= file"
                                                        : "");
  }
  port->rx_queue_ = s.rx_queue;
  const std::uint16_t rx_queues = static_cast<std::uint16_t>(s.rx_queue + 1);

  rte_eth_conf conf{};
  const bool timestamps = s.hw_timestamps && (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) != 0;
  if (timestamps) conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
  // One tx queue: some PMDs refuse to start without one; nothing is ever sent.
  if (int rc = rte_eth_dev_configure(port->id_, rx_queues, 1, &conf); rc != 0) return failed(s.device, "rte_eth_dev_configure", rc);
  std::uint16_t rx_desc = s.rx_descriptors;
  std::uint16_t tx_desc = s.tx_descriptors;
  if (int rc = rte_eth_dev_adjust_nb_rx_tx_desc(port->id_, &rx_desc, &tx_desc); rc != 0) {
    return failed(s.device, "rte_eth_dev_adjust_nb_rx_tx_desc", rc);
  }
  // Every queue up to the polled one: ethdev numbers queues densely. Only rx_queue is polled.
  for (std::uint16_t q = 0; q < rx_queues; ++q) {
    if (int rc = rte_eth_rx_queue_setup(port->id_, q, rx_desc, static_cast<unsigned>(socket), nullptr, port->pool_); rc != 0) {
      return failed(s.device, fmt::format("rte_eth_rx_queue_setup (queue {})", q).c_str(), rc);
    }
  }
  if (int rc = rte_eth_tx_queue_setup(port->id_, 0, tx_desc, static_cast<unsigned>(socket), nullptr); rc != 0) {
    return failed(s.device, "rte_eth_tx_queue_setup", rc);
  }
  if (timestamps) {
    if (rte_mbuf_dyn_rx_timestamp_register(&port->timestamp_offset_, &port->timestamp_flag_) != 0) {
      port->timestamp_offset_ = -1;
      port->timestamp_flag_ = 0;
    }
  }
  if (int rc = rte_eth_dev_start(port->id_); rc != 0) return failed(s.device, "rte_eth_dev_start", rc);
  port->started_ = true;
  NicTimestampInfo& ts = port->ts_info_;
  ts.requested = s.hw_timestamps;
  ts.offered = (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) != 0;
  ts.enabled = port->timestamp_offset_ >= 0;
  ts.clock_readable = port->read_clock().has_value();
  if (!ts.offered) {
    ts.note = fmt::format("not offered by {} (no RTE_ETH_RX_OFFLOAD_TIMESTAMP): nic_to_ingest not recorded", port->driver_);
  } else if (!ts.requested) {
    ts.note = fmt::format("offered by {} but off (port.hw_timestamps = false): nic_to_ingest not recorded", port->driver_);
  } else if (!ts.enabled) {
    ts.note = fmt::format("offered by {} but the mbuf timestamp field could not be registered: nic_to_ingest not recorded", port->driver_);
  } else if (!ts.clock_readable) {
    ts.note = fmt::format("recorded by {}, but rte_eth_read_clock is not supported: NIC time cannot be mapped to the TSC, nic_to_ingest not recorded", port->driver_);
  } else {
    ts.note = fmt::format("recorded by {}; nic_to_ingest maps the NIC clock to the TSC (paired reads at start-up)", port->driver_);
  }
  if (s.multicast_group != 0) {
    Joined joined = join_multicast(port->id_, port->driver_, s.multicast_group, s.key);
    if (!joined.error.empty()) return joined.error;
    port->multicast_note_ = std::move(joined.note);
  }
  if (s.promiscuous) {
    // Virtual devices may not support it; a NIC that refuses is worth a note, not a failure.
    (void)rte_eth_promiscuous_enable(port->id_);
  }
  return port;
}

Port::~Port() {
  if (started_) {
    (void)rte_eth_dev_stop(id_);
    (void)rte_eth_dev_close(id_);
  }
  if (pool_ != nullptr) rte_mempool_free(pool_);
}

bool Port::link_up() const noexcept {
  rte_eth_link link{};
  if (rte_eth_link_get_nowait(id_, &link) != 0) return false;
  return link.link_status == RTE_ETH_LINK_UP;
}

PortStats Port::stats() const noexcept {
  rte_eth_stats st{};
  if (rte_eth_stats_get(id_, &st) != 0) return {};
  return {st.ipackets, st.imissed, st.ierrors, st.rx_nombuf, st.opackets, st.oerrors};
}

std::optional<std::uint64_t> Port::read_clock() const noexcept {
  std::uint64_t clock = 0;
  if (rte_eth_read_clock(id_, &clock) != 0) return std::nullopt;
  return clock;
}

}  // namespace tickpath::platform

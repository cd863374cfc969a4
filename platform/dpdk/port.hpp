#pragma once
// One ethdev port polled on one rx queue (queue 0, or ingest.lines.<x>.rx_queue: the port then has
// that many + 1), its mbuf pool on the port's NUMA node, an optional multicast join, link status
// and the statistics the control plane reports.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

struct rte_mempool;

namespace tickpath::platform {

struct PortSettings {
  std::string device;            // the vdev's name ("net_null0") or the PCI address
  std::uint16_t rx_descriptors = 1024;
  std::uint32_t mbufs = 8191;    // 2^k - 1: the mempool's ring is then exactly full
  std::uint32_t mbuf_cache = 256;
  bool promiscuous = true;
  bool hw_timestamps = false;    // request RTE_ETH_RX_OFFLOAD_TIMESTAMP when the port has it
  std::uint16_t tx_descriptors = 64;  // the receiver never sends; `tickpath gen` asks for more
  // ingest.lines.<x>.rx_queue: the queue the line is polled on. The port is configured with
  // rx_queue + 1 queues; one beyond what the device offers is an error naming `key`.
  std::uint16_t rx_queue = 0;
  // ingest.lines.<x>.multicast: the IPv4 group (host byte order) whose MAC the port joins with
  // rte_eth_dev_set_mc_addr_list; 0 = none. A PMD without the call gets a note, not an error.
  std::uint32_t multicast_group = 0;
  std::string key = "port";  // the config table that set this port, for error messages
};

struct PortStats {
  std::uint64_t ipackets = 0;
  std::uint64_t imissed = 0;    // dropped by the NIC: rx ring full (we were too slow)
  std::uint64_t ierrors = 0;
  std::uint64_t rx_nombuf = 0;  // rx failed for lack of mbufs
  std::uint64_t opackets = 0;   // frames the port transmitted
  std::uint64_t oerrors = 0;    // frames the port failed to transmit
};

// What the port says about NIC hardware rx timestamps, for the summary: never silent.
struct NicTimestampInfo {
  bool requested = false;       // port.hw_timestamps
  bool offered = false;         // RTE_ETH_RX_OFFLOAD_TIMESTAMP in the port's capabilities
  bool enabled = false;         // offload on and the mbuf dynamic field registered
  bool clock_readable = false;  // rte_eth_read_clock works: NIC time can be mapped to the TSC
  std::string note;             // one line: what is recorded, or why not
};

class Port {
 public:
  // Configures and starts the port. Errors name the device and the DPDK call that failed.
  static std::variant<std::unique_ptr<Port>, std::string> open(const PortSettings& settings);

  Port(const Port&) = delete;
  Port& operator=(const Port&) = delete;
  ~Port();

  [[nodiscard]] std::uint16_t id() const noexcept { return id_; }
  [[nodiscard]] int numa_node() const noexcept { return numa_node_; }  // -1: unknown
  [[nodiscard]] const std::string& driver() const noexcept { return driver_; }
  // Dynamic-field offset and flag of the rx timestamp, or -1/0 when the port gives none.
  [[nodiscard]] int timestamp_offset() const noexcept { return timestamp_offset_; }
  [[nodiscard]] std::uint64_t timestamp_flag() const noexcept { return timestamp_flag_; }
  [[nodiscard]] const NicTimestampInfo& timestamp_info() const noexcept { return ts_info_; }
  // Reads the NIC's clock (the unit of its rx timestamps); nullopt when the PMD cannot.
  [[nodiscard]] std::optional<std::uint64_t> read_clock() const noexcept;
  [[nodiscard]] rte_mempool* pool() const noexcept { return pool_; }
  [[nodiscard]] std::uint16_t rx_queue() const noexcept { return rx_queue_; }
  // What became of the multicast join, one line ("" without a group): joined, or why not.
  [[nodiscard]] const std::string& multicast_note() const noexcept { return multicast_note_; }

  // Control plane, any thread: no wait for autonegotiation.
  [[nodiscard]] bool link_up() const noexcept;
  [[nodiscard]] PortStats stats() const noexcept;

 private:
  Port() = default;
  std::uint16_t id_ = 0;
  int numa_node_ = -1;
  std::string driver_;
  rte_mempool* pool_ = nullptr;
  bool started_ = false;
  int timestamp_offset_ = -1;
  std::uint64_t timestamp_flag_ = 0;
  NicTimestampInfo ts_info_;
  std::uint16_t rx_queue_ = 0;
  std::string multicast_note_;
};

}  // namespace tickpath::platform

#pragma once
// summary.json's `platform` as known before the run starts: memory, clock, port(s), cores, the
// kernel's isolation, the EAL's arguments, the NIC's timestamps. The wiring reads each value from
// its platform object (EAL, port, ring memory, core plan, machine) into StartFacts; the document's
// shape is decided here, once. The facts known only at the end are added by platform/run.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time/calibration.hpp"

namespace tickpath::runtime {

struct PortFacts {
  std::string device;  // as configured: "net_null0", "0000:01:00.0"
  std::string driver;
  bool link_up = false;
  int rx_queue = 0;
  std::string multicast;  // the port's multicast note ("" without a group)
};

struct NicTimestampFacts {
  bool requested = false;
  bool offered = false;
  bool enabled = false;
  bool clock_readable = false;
  bool mapped_to_tsc = false;  // the NIC clock map is valid
  std::string note;
};

struct StartFacts {
  bool hugepages = false;
  std::string ring_pages;  // platform::to_string(RingMemory::kind())
  std::uint64_t ring_bytes = 0;
  core::CalibrationResult clock;  // prove_tsc()'s
  int numa_node = -1;
  PortFacts port;
  bool hw_timestamps = false;     // line A stamps rx in hardware
  std::optional<PortFacts> port_b;  // ingest.lines = 2
  int ingest_cpu = -1;
  int execution_cpu = -1;
  int housekeeping_cpu = -1;  // analytics and control run there
  bool hot_shared = false;
  std::vector<int> isolated;
  std::vector<int> nohz_full;
  std::vector<std::string> eal_args;
  NicTimestampFacts nic_timestamps;
};

// With two lines, line A's queue and multicast note sit beside line B's; with one, `port` has
// neither (its shape as before lines existed) and `port_b` is null.
[[nodiscard]] nlohmann::json to_json(const StartFacts& facts);

}  // namespace tickpath::runtime

#include "runtime/start_facts.hpp"

#include "runtime/run_clock.hpp"

namespace tickpath::runtime {

nlohmann::json to_json(const StartFacts& f) {
  const NicTimestampFacts& ts = f.nic_timestamps;
  nlohmann::json j = {
      {"hugepages", f.hugepages},
      {"ring_pages", f.ring_pages},
      {"ring_bytes", f.ring_bytes},
      {"tsc_hz", f.clock.calibration.hz()},
      {"clock", clock_facts(f.clock)},
      {"numa_node", f.numa_node},
      {"port", {{"device", f.port.device}, {"driver", f.port.driver}, {"link_up", f.port.link_up},
                {"hw_timestamps", f.hw_timestamps}}},
      {"port_b", nullptr},
      {"cores", {{"ingest", f.ingest_cpu}, {"execution", f.execution_cpu},
                 {"analytics", f.housekeeping_cpu}, {"control", f.housekeeping_cpu}}},
      {"hot_shared", f.hot_shared},
      {"isolated", f.isolated},
      {"nohz_full", f.nohz_full},
      {"eal_args", f.eal_args},
      {"nic_timestamps", {{"requested", ts.requested}, {"offered", ts.offered}, {"enabled", ts.enabled},
                          {"clock_readable", ts.clock_readable}, {"mapped_to_tsc", ts.mapped_to_tsc},
                          {"note", ts.note}}},
  };
  if (const std::optional<PortFacts>& b = f.port_b) {
    j["port_b"] = {{"device", b->device}, {"driver", b->driver}, {"link_up", b->link_up},
                   {"rx_queue", b->rx_queue}, {"multicast", b->multicast}};
    j["port"]["rx_queue"] = f.port.rx_queue;
    j["port"]["multicast"] = f.port.multicast;
  }
  return j;
}

}  // namespace tickpath::runtime

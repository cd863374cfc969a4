// summary.json's `platform` before the run: every fact the wiring read lands under its key, the
// housekeeping cpu is both analytics' and control's, and with two lines line A's queue and group
// sit beside line B's while one line keeps `port` without them and `port_b` null.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/start_facts.hpp"

namespace tickpath::runtime {
namespace {

StartFacts one_line() {
  StartFacts f;
  f.hugepages = true;
  f.ring_pages = "2M";
  f.ring_bytes = 1 << 20;
  f.clock.calibration = core::TscCalibration(2.5e9);
  f.numa_node = 1;
  f.port = {"net_null0", "net_null", true, 0, ""};
  f.hw_timestamps = false;
  f.ingest_cpu = 2;
  f.execution_cpu = 3;
  f.housekeeping_cpu = 0;
  f.isolated = {2, 3};
  f.eal_args = {"tickpath", "-l", "0"};
  f.nic_timestamps = {true, false, false, false, false, "not offered by net_null"};
  return f;
}

TEST(StartFacts, EachFactLandsUnderItsKeyAndTheHousekeepingCpuRunsAnalyticsAndControl) {
  const nlohmann::json j = to_json(one_line());
  EXPECT_EQ(j["hugepages"], true);
  EXPECT_EQ(j["ring_pages"], "2M");
  EXPECT_EQ(j["ring_bytes"], 1u << 20);
  EXPECT_DOUBLE_EQ(j["tsc_hz"].get<double>(), 2.5e9);
  EXPECT_TRUE(j["clock"].is_object());
  EXPECT_EQ(j["numa_node"], 1);
  EXPECT_EQ(j["cores"], (nlohmann::json{{"ingest", 2}, {"execution", 3}, {"analytics", 0}, {"control", 0}}));
  EXPECT_EQ(j["isolated"], (nlohmann::json{2, 3}));
  EXPECT_TRUE(j["nohz_full"].empty());
  EXPECT_EQ(j["eal_args"][1], "-l");
  EXPECT_EQ(j["nic_timestamps"]["requested"], true);
  EXPECT_EQ(j["nic_timestamps"]["note"], "not offered by net_null");
}

TEST(StartFacts, OneLineKeepsThePortWithoutQueueOrGroupAndNoSecondPort) {
  const nlohmann::json j = to_json(one_line());
  EXPECT_EQ(j["port"], (nlohmann::json{{"device", "net_null0"}, {"driver", "net_null"}, {"link_up", true},
                                        {"hw_timestamps", false}}));
  EXPECT_TRUE(j["port_b"].is_null());
}

TEST(StartFacts, TwoLinesPutLineAsQueueAndGroupBesideLineBs) {
  StartFacts f = one_line();
  f.port.rx_queue = 1;
  f.port.multicast = "joined 239.1.1.1";
  f.port_b = PortFacts{"net_null1", "net_null", false, 2, "joined 239.1.1.2"};
  const nlohmann::json j = to_json(f);
  EXPECT_EQ(j["port"]["rx_queue"], 1);
  EXPECT_EQ(j["port"]["multicast"], "joined 239.1.1.1");
  EXPECT_EQ(j["port_b"], (nlohmann::json{{"device", "net_null1"}, {"driver", "net_null"}, {"link_up", false},
                                          {"rx_queue", 2}, {"multicast", "joined 239.1.1.2"}}));
}

}  // namespace
}  // namespace tickpath::runtime

// The core plan's request from the config: what `run`, `topology` and `audit` all plan from.
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "platform/topology/core_request.hpp"

namespace tickpath::platform {
namespace {

TEST(CoreRequest, CarriesTheConfiguredCoresAndLeavesUnsetOnesToThePlan) {
  config::Config c;
  c.cores.ingest = 2;
  c.cores.housekeeping = 0;
  c.cores.require_isolated = true;
  const CoreRequest r = core_request(c);
  EXPECT_EQ(r.ingest, 2);
  EXPECT_EQ(r.execution, -1) << "unset: the plan chooses";
  EXPECT_EQ(r.housekeeping, 0);
  EXPECT_TRUE(r.require_isolated);
}

TEST(CoreRequest, AVirtualDeviceHasNoNumaNode) {
  config::Config c;
  EXPECT_EQ(core_request(c).nic_numa_node, -1);
  c.ingest.lines.a.vdev = "net_null1";
  c.ingest.lines.b.vdev = "net_null2";
  EXPECT_EQ(core_request(c).nic_numa_node, -1);
}

}  // namespace
}  // namespace tickpath::platform

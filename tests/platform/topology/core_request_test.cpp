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

TEST(CoreRequest, TheThreadSwitchesFollowTheKeysThatStartEachThread) {
  config::Config c;
  c.analytics.enabled = false;
  c.http.listen = "";
  c.report.ack_log = true;
  c.preflight.jitter_s = 0;
  c.preflight.c2c_samples = 10;
  const RunThreadSwitches off = run_thread_switches(c);
  EXPECT_FALSE(off.analytics);
  EXPECT_FALSE(off.http) << "no http.listen: no server thread";
  EXPECT_TRUE(off.ack_log);
  EXPECT_FALSE(off.preflight_jitter);
  EXPECT_TRUE(off.preflight_c2c);
  c.analytics.enabled = true;
  c.http.listen = "127.0.0.1:0";
  c.report.ack_log = false;
  c.preflight.jitter_s = 0.5;
  c.preflight.c2c_samples = 0;
  const RunThreadSwitches on = run_thread_switches(c);
  EXPECT_TRUE(on.analytics);
  EXPECT_TRUE(on.http);
  EXPECT_FALSE(on.ack_log);
  EXPECT_TRUE(on.preflight_jitter);
  EXPECT_FALSE(on.preflight_c2c);
}

}  // namespace
}  // namespace tickpath::platform

// The core plan's request from the config: what `run`, `topology` and `audit` all plan from.
#include <array>
#include <functional>

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

// Each switch alone flipped (every other key left where `base` has it): exactly that thread follows.
TEST(CoreRequest, TheThreadSwitchesFollowTheKeysThatStartEachThread) {
  config::Config base;
  base.analytics.enabled = false;
  base.http.listen = "";  // no http.listen: no server thread
  base.report.ack_log = false;
  base.preflight.jitter_s = 0;
  base.preflight.c2c_samples = 0;
  const auto as_bits = [](const RunThreadSwitches& s) {
    return std::array<bool, 5>{s.analytics, s.http, s.ack_log, s.preflight_jitter, s.preflight_c2c};
  };
  EXPECT_EQ(as_bits(run_thread_switches(base)), (std::array<bool, 5>{}));
  const std::array<std::function<void(config::Config&)>, 5> flip = {
      [](config::Config& c) { c.analytics.enabled = true; },      [](config::Config& c) { c.http.listen = "127.0.0.1:0"; },
      [](config::Config& c) { c.report.ack_log = true; },         [](config::Config& c) { c.preflight.jitter_s = 0.5; },
      [](config::Config& c) { c.preflight.c2c_samples = 10; }};
  for (std::size_t i = 0; i < flip.size(); ++i) {
    config::Config c = base;
    flip[i](c);
    std::array<bool, 5> expected{};
    expected[i] = true;
    EXPECT_EQ(as_bits(run_thread_switches(c)), expected) << "switch " << i;
  }
}

}  // namespace
}  // namespace tickpath::platform

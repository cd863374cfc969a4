// The core plan's request from the config: what `run`, `topology` and `audit` all plan from.
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "platform/topology/core_request.hpp"

namespace tickpath::platform {
namespace {

config::Config load(const std::vector<std::string>& sets) {
  config::LoadResult r = config::load_config("", sets);
  if (auto* e = std::get_if<config::ConfigError>(&r)) ADD_FAILURE() << e->message;
  return std::holds_alternative<config::Config>(r) ? std::get<config::Config>(r) : config::Config{};
}

TEST(CoreRequest, CarriesTheConfiguredCoresAndLeavesUnsetOnesToThePlan) {
  const CoreRequest r = core_request(load({"cores.ingest=2", "cores.housekeeping=0", "cores.require_isolated=true"}));
  EXPECT_EQ(r.ingest, 2);
  EXPECT_EQ(r.execution, -1) << "unset: the plan chooses";
  EXPECT_EQ(r.housekeeping, 0);
  EXPECT_TRUE(r.require_isolated);
}

TEST(CoreRequest, AVirtualDeviceHasNoNumaNode) {
  EXPECT_EQ(core_request(load({})).nic_numa_node, -1);
  EXPECT_EQ(core_request(load({"ingest.format=\"moldudp64\"", "ingest.lines.a.vdev=\"net_null1\"",
                               "ingest.lines.b.vdev=\"net_null2\""})).nic_numa_node, -1);
}

}  // namespace
}  // namespace tickpath::platform

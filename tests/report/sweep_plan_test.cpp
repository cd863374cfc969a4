// `tickpath sweep`'s plan: --vary parsed against the schema, its quoting decided by the key's
// type, every mistake a named error, and the cartesian product in the order the keys were given.
#include <gtest/gtest.h>

#include "report/sweep_plan.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

const std::vector<std::string> kKnown = {"ingest.burst", "port.vdev", "cores.idle"};
const json kDefaults = {{"ingest", {{"burst", 32}}}, {"port", {{"vdev", "net_null0"}}}, {"cores", {{"idle", "spin"}}}};

std::string error(const std::vector<std::string>& vary, const std::vector<std::string>& overrides = {}) {
  auto r = parse_varies(vary, overrides, kKnown, kDefaults);
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string("(parsed)");
}

TEST(SweepPlan, AStringKeyGetsTomlQuotesAndAQuotedCommaStaysInItsValue) {
  auto r = parse_varies({"port.vdev=net_null0,\"net_null0,size=64\"", "ingest.burst=8, 32"}, {}, kKnown, kDefaults);
  ASSERT_TRUE(std::holds_alternative<std::vector<Vary>>(r)) << std::get<std::string>(r);
  const auto& v = std::get<std::vector<Vary>>(r);
  ASSERT_EQ(v.size(), 2u);
  ASSERT_EQ(v[0].values.size(), 2u);
  EXPECT_EQ(v[0].values[1].shown, "net_null0,size=64");
  EXPECT_EQ(v[0].values[1].toml, "\"net_null0,size=64\"");
  EXPECT_EQ(v[1].values[1].shown, "32");  // trimmed, numbers as written
  EXPECT_EQ(v[1].values[1].toml, "32");
}

TEST(SweepPlan, MistakesAreNamedErrors) {
  EXPECT_EQ(error({"ingest.burst"}), "--vary ingest.burst: expected key=v1,v2,...");
  EXPECT_EQ(error({"ingest.nope=1"}), "--vary: unknown key 'ingest.nope'");
  EXPECT_EQ(error({"ingest.burst=8,,32"}), "--vary ingest.burst=8,,32: an empty value");
  EXPECT_EQ(error({"ingest.burst=8,8"}), "--vary ingest.burst: '8' is listed twice");
  EXPECT_EQ(error({"ingest.burst=8", "ingest.burst=16"}), "--vary ingest.burst is given twice: list all its values in one --vary");
  EXPECT_EQ(error({"ingest.burst=8,16"}, {"ingest.burst=4"}), "ingest.burst is both --set and --vary: keep one");
}

TEST(SweepPlan, TheCartesianProductVariesTheLastKeyFastest) {
  auto v = std::get<std::vector<Vary>>(parse_varies({"ingest.burst=8,32", "cores.idle=spin,pause"}, {}, kKnown, kDefaults));
  const std::vector<Combination> c = cartesian(v);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].name, "ingest.burst=8,cores.idle=spin");
  EXPECT_EQ(c[1].name, "ingest.burst=8,cores.idle=pause");
  EXPECT_EQ(c[3].sets, (std::vector<std::string>{"ingest.burst=32", "cores.idle=\"pause\""}));
}

TEST(SweepPlan, AFolderNameHasNoSeparatorsOrQuotes) {
  EXPECT_EQ(folder_name("port.vdev=a/b \"c\""), "port.vdev=a_b__c_");
  EXPECT_EQ(folder_name(std::string(300, 'x')).size(), 200u);
}

}  // namespace
}  // namespace tickpath::report

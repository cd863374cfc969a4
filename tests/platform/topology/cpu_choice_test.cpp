// The cpus jitter and c2c measure on: every allowed cpu by default, a --cores list as given, and
// a named error for a list that does not parse, a cpu that does not exist or one the affinity
// mask forbids.
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "platform/topology/cpu_choice.hpp"

namespace tickpath::platform {
namespace {

// Four cpus, of which this process may use 0, 1 and 3.
Machine four_cpus() {
  Machine m;
  for (int i = 0; i < 4; ++i) {
    Cpu c;
    c.os_index = i;
    c.allowed = i != 2;
    m.cpus.push_back(c);
  }
  return m;
}

std::string error_of(const std::variant<std::vector<int>, std::string>& r) {
  const auto* e = std::get_if<std::string>(&r);
  return e != nullptr ? *e : "(no error)";
}

TEST(CpuChoice, NoListMeansEveryCpuTheAffinityMaskAllows) {
  EXPECT_EQ(std::get<std::vector<int>>(choose_cpus("", four_cpus())), (std::vector<int>{0, 1, 3}));
}

TEST(CpuChoice, AListIsTakenInCpuOrderWhenEveryCpuIsAllowed) {
  EXPECT_EQ(std::get<std::vector<int>>(choose_cpus("3,0-1", four_cpus())), (std::vector<int>{0, 1, 3}));
}

TEST(CpuChoice, EachBadListIsRefusedWithItsReason) {
  EXPECT_EQ(error_of(choose_cpus("a-b", four_cpus())), "--cores 'a-b': expected a cpu list such as 0-3,8");
  EXPECT_EQ(error_of(choose_cpus("7", four_cpus())), "--cores: cpu 7 does not exist on this machine");
  EXPECT_EQ(error_of(choose_cpus("1-2", four_cpus())),
            "--cores: cpu 2 is outside this process's affinity mask (taskset/cgroup)");
  Machine none = four_cpus();
  for (Cpu& c : none.cpus) c.allowed = false;
  EXPECT_EQ(error_of(choose_cpus("", none)), "--cores: no cpu is in this process's affinity mask");
}

}  // namespace
}  // namespace tickpath::platform

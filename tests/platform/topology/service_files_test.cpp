// The core plan as service files: the systemd CPUAffinity= drop-in and the tuned profile.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "platform/topology/service_files.hpp"

namespace tickpath::platform {
namespace {

Machine machine_with(int cpus) {
  Machine m;
  for (int i = 0; i < cpus; ++i) {
    Cpu c;
    c.os_index = i;
    m.cpus.push_back(c);
  }
  return m;
}

CorePlan plan(int ingest, int execution, int housekeeping) {
  CorePlan p;
  p.ingest_cpu = ingest;
  p.execution_cpu = execution;
  p.housekeeping_cpu = housekeeping;
  p.hot_shared = ingest == execution;
  return p;
}

TEST(ServiceFiles, CpuRangesCollapseConsecutiveCpusAndSortTheRest) {
  EXPECT_EQ(format_cpu_ranges({8, 0, 1, 2, 3, 10, 11}), "0-3,8,10-11");
  EXPECT_EQ(format_cpu_ranges({5}), "5");
  EXPECT_EQ(format_cpu_ranges({2, 2, 4}), "2,4");
  EXPECT_EQ(format_cpu_ranges({}), "");
}

TEST(ServiceFiles, DropInPutsTheProcessOnEveryCpuTheHotRolesDoNotUse) {
  const std::string text = systemd_affinity_dropin(machine_with(8), plan(2, 4, 0));
  EXPECT_NE(text.find("[Service]\nCPUAffinity=0-1,3,5-7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("pin themselves onto 2,4"), std::string::npos) << text;
  EXPECT_EQ(text.find("Warning"), std::string::npos) << text;
}

TEST(ServiceFiles, DropInOnATwoCpuMachineKeepsTheHousekeepingCpuOffTheSharedHotOne) {
  const std::string text = systemd_affinity_dropin(machine_with(2), plan(1, 1, 0));
  EXPECT_NE(text.find("CPUAffinity=0\n"), std::string::npos) << text;
}

TEST(ServiceFiles, DropInOnOneCpuWarnsThatHousekeepingSharesTheHotCpu) {
  const std::string text = systemd_affinity_dropin(machine_with(1), plan(0, 0, 0));
  EXPECT_NE(text.find("CPUAffinity=0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Warning: too few cpus"), std::string::npos) << text;
}

TEST(ServiceFiles, TunedProfileIncludesCpuPartitioningAndIsolatesExactlyTheHotCpus) {
  const std::string text = tuned_profile(plan(2, 4, 0));
  EXPECT_NE(text.find("[main]\n"), std::string::npos);
  EXPECT_NE(text.find("\ninclude=cpu-partitioning\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[variables]\nisolated_cores=2,4\nno_balance_cores=2,4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("/etc/tuned/tickpath-cpu-partitioning/tuned.conf"), std::string::npos) << text;
}

TEST(ServiceFiles, ShippedTunedExampleIsExactlyWhatTheGeneratorWritesForBaremetalTomlsCores) {
  // config/baremetal.toml: cores.ingest = 2, cores.execution = 4, cores.housekeeping = 0.
  std::ifstream in(std::string(TICKPATH_SOURCE_ROOT) + "/config/tuned/tickpath-cpu-partitioning/tuned.conf");
  ASSERT_TRUE(in) << "config/tuned/tickpath-cpu-partitioning/tuned.conf missing";
  std::stringstream shipped;
  shipped << in.rdbuf();
  EXPECT_EQ(shipped.str(), tuned_profile(plan(2, 4, 0)));
}

}  // namespace
}  // namespace tickpath::platform

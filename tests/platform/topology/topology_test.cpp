// The core plan on synthetic machines (the interesting ones are not this 2-cpu VM), and
// discovery and pinning on the real one.
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "platform/topology/core_plan.hpp"
#include "platform/topology/format.hpp"
#include "platform/topology/machine.hpp"
#include "platform/topology/thread.hpp"

namespace tickpath::platform {
namespace {

Machine synthetic(int cpus, std::vector<int> isolated = {}, int nodes = 1, bool smt_pairs = false) {
  Machine m;
  m.numa_nodes = nodes;
  m.isolated = isolated;
  for (int i = 0; i < cpus; ++i) {
    Cpu c;
    c.os_index = i;
    c.core = smt_pairs ? i / 2 : i;
    c.package = 0;
    c.numa_node = i * nodes / cpus;
    if (smt_pairs) c.smt_siblings = {i % 2 == 0 ? i + 1 : i - 1};
    c.isolated = std::find(isolated.begin(), isolated.end(), i) != isolated.end();
    c.allowed = true;
    m.cpus.push_back(c);
  }
  return m;
}

CorePlan plan_ok(const Machine& m, const CoreRequest& r) {
  auto p = plan_cores(m, r);
  if (auto* e = std::get_if<std::string>(&p)) {
    ADD_FAILURE() << *e;
    return {};
  }
  return std::get<CorePlan>(p);
}

std::string plan_error(const Machine& m, const CoreRequest& r) {
  auto p = plan_cores(m, r);
  if (auto* e = std::get_if<std::string>(&p)) return *e;
  ADD_FAILURE() << "expected an error";
  return {};
}

bool mentions(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines) {
    if (l.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(CpuList, ParsesKernelFormat) {
  EXPECT_EQ(parse_cpu_list("0"), std::vector<int>{0});
  EXPECT_EQ(parse_cpu_list("2-5,8\n"), (std::vector<int>{2, 3, 4, 5, 8}));
  EXPECT_EQ(parse_cpu_list(""), std::vector<int>{});
  EXPECT_EQ(parse_cpu_list("\n"), std::vector<int>{});
  EXPECT_FALSE(parse_cpu_list("a-b").has_value());
  EXPECT_FALSE(parse_cpu_list("5-2").has_value());
  EXPECT_FALSE(parse_cpu_list("1,,2").has_value());
  EXPECT_FALSE(parse_cpu_list("garbage").has_value());
  EXPECT_FALSE(parse_cpu_list("1-").has_value());
  EXPECT_FALSE(parse_cpu_list("-1").has_value());
  EXPECT_FALSE(parse_cpu_list("3,").has_value());
  EXPECT_FALSE(parse_cpu_list("0-2000000000").has_value()) << "would expand to gigabytes";
  EXPECT_EQ(parse_cpu_list("8,2-3,3"), (std::vector<int>{2, 3, 8})) << "sorted, no duplicates";
}

TEST(CorePlan, IsolatedNumaLocalCpusGetTheHotRoles) {
  const Machine m = synthetic(8, {2, 3});
  CoreRequest r;
  r.nic_numa_node = 0;
  const CorePlan p = plan_ok(m, r);
  EXPECT_EQ(p.housekeeping_cpu, 0);
  EXPECT_EQ(p.ingest_cpu, 2);
  EXPECT_EQ(p.execution_cpu, 3);
  EXPECT_FALSE(p.hot_shared);
  EXPECT_TRUE(p.warnings.empty()) << p.warnings.front();
  EXPECT_TRUE(mentions(p.reasons, "ingest -> cpu 2: isolated, NUMA node 0 = the NIC's")) << format_plan(p);
  EXPECT_TRUE(mentions(p.reasons, "execution -> cpu 3: isolated")) << format_plan(p);
  EXPECT_TRUE(mentions(p.reasons, "housekeeping -> cpu 0: not isolated")) << format_plan(p);
}

TEST(CorePlan, NonIsolatedMachineKeepsHotRolesOffCpuZeroAndApart) {
  const CorePlan p = plan_ok(synthetic(4), CoreRequest{});
  EXPECT_EQ(p.housekeeping_cpu, 0);
  EXPECT_EQ(p.ingest_cpu, 1);
  EXPECT_EQ(p.execution_cpu, 2);
  EXPECT_FALSE(p.hot_shared);
  EXPECT_FALSE(p.housekeeping_shared_with_hot);
}

TEST(CorePlan, CpusOutsideTheAffinityMaskAreNeverChosen) {
  Machine m = synthetic(4, {2, 3});
  m.cpus[2].allowed = false;
  const CorePlan p = plan_ok(m, CoreRequest{});
  EXPECT_EQ(p.ingest_cpu, 3);
  EXPECT_NE(p.execution_cpu, 2);
  EXPECT_NE(p.housekeeping_cpu, 2);
}

TEST(CorePlan, TwoCpusShareTheHotRolesAndSaySo) {
  const CorePlan p = plan_ok(synthetic(2), CoreRequest{});
  EXPECT_EQ(p.housekeeping_cpu, 0);
  EXPECT_EQ(p.ingest_cpu, 1);
  EXPECT_EQ(p.execution_cpu, 1);
  EXPECT_TRUE(p.hot_shared);
  EXPECT_TRUE(mentions(p.reasons, "ingest and execution share cpu 1: only 2 usable cpu(s); one thread runs both poll loops"))
      << format_plan(p);
  EXPECT_TRUE(mentions(p.warnings, "not isolated"));
  EXPECT_FALSE(p.housekeeping_shared_with_hot);
}

TEST(CorePlan, OneCpuRunsEverythingThereWithWarnings) {
  const CorePlan p = plan_ok(synthetic(1), CoreRequest{});
  EXPECT_EQ(p.ingest_cpu, 0);
  EXPECT_EQ(p.execution_cpu, 0);
  EXPECT_EQ(p.housekeeping_cpu, 0);
  EXPECT_TRUE(p.housekeeping_shared_with_hot);
  EXPECT_TRUE(p.hot_shared);
  EXPECT_TRUE(p.housekeeping_shared_with_hot);
  EXPECT_TRUE(mentions(p.warnings, "housekeeping shares cpu 0"));
  EXPECT_TRUE(mentions(p.reasons, "only 1 usable cpu(s)")) << format_plan(p);
}

TEST(CorePlan, NicOnNodeOnePrefersNodeOneIsolatedCpus) {
  const Machine m = synthetic(8, {2, 3, 6, 7}, 2);
  CoreRequest r;
  r.nic_numa_node = 1;
  const CorePlan p = plan_ok(m, r);
  EXPECT_EQ(p.ingest_cpu, 6);
  EXPECT_EQ(p.execution_cpu, 7);
  EXPECT_TRUE(mentions(p.reasons, "ingest -> cpu 6: isolated, NUMA node 1 = the NIC's")) << format_plan(p);
  EXPECT_TRUE(p.warnings.empty()) << format_plan(p);
}

TEST(CorePlan, RemoteIsolatedCpusAreUsedWithAWarningWhenTheNicNodeHasNone) {
  const Machine m = synthetic(8, {2, 3}, 2);  // node 0: 0-3, node 1: 4-7
  CoreRequest r;
  r.nic_numa_node = 1;
  const CorePlan p = plan_ok(m, r);
  EXPECT_EQ(p.ingest_cpu, 2);
  EXPECT_EQ(p.execution_cpu, 3);
  EXPECT_TRUE(mentions(p.warnings, "remote to the NIC's NUMA node 1")) << format_plan(p);
}

TEST(CorePlan, SmtSiblingsAreAvoidedWhenPossible) {
  const Machine m = synthetic(8, {2, 3, 4}, 1, /*smt_pairs=*/true);  // cores {2,3} and {4,5}
  const CorePlan p = plan_ok(m, CoreRequest{});
  EXPECT_EQ(p.ingest_cpu, 2);
  EXPECT_EQ(p.execution_cpu, 4) << "cpu 3 is cpu 2's sibling";
  EXPECT_FALSE(mentions(p.warnings, "SMT sibling"));
}

TEST(CorePlan, AnIsolatedSmtSiblingBeatsANonIsolatedCpuAndItIsSaid) {
  const Machine m = synthetic(4, {2, 3}, 1, /*smt_pairs=*/true);  // cores {0,1} and {2,3}
  CoreRequest r;
  r.require_isolated = true;  // cpu 1 (another core, not isolated) would be an error
  const CorePlan p = plan_ok(m, r);
  EXPECT_EQ(p.ingest_cpu, 2);
  EXPECT_EQ(p.execution_cpu, 3);
  EXPECT_TRUE(mentions(p.warnings, "SMT sibling")) << format_plan(p);
}

TEST(CorePlan, AutoIngestStaysOffAnExplicitExecutionCpuAndItsSibling) {
  const Machine m = synthetic(8, {2, 3, 4}, 1, /*smt_pairs=*/true);
  CoreRequest r;
  r.execution = 2;
  const CorePlan p = plan_ok(m, r);
  EXPECT_EQ(p.execution_cpu, 2);
  EXPECT_EQ(p.ingest_cpu, 4);
  EXPECT_TRUE(mentions(p.reasons, "execution -> cpu 2: cores.execution")) << format_plan(p);
}

TEST(CorePlan, ExplicitlySharedHotCpuSaysItWasConfigured) {
  CoreRequest r;
  r.ingest = 2;
  r.execution = 2;
  const CorePlan p = plan_ok(synthetic(4), r);
  EXPECT_TRUE(p.hot_shared);
  EXPECT_TRUE(mentions(p.reasons, "share cpu 2: cores.ingest = cores.execution")) << format_plan(p);
}

TEST(CorePlan, ExplicitCpuThatDoesNotExistNamesTheKey) {
  CoreRequest r;
  r.execution = 9;
  const std::string e = plan_error(synthetic(4), r);
  EXPECT_NE(e.find("cores.execution = 9: no such cpu"), std::string::npos) << e;
  r = CoreRequest{};
  r.housekeeping = 4;
  EXPECT_NE(plan_error(synthetic(4), r).find("cores.housekeeping = 4"), std::string::npos);
  r = CoreRequest{};
  r.ingest = 7;
  EXPECT_NE(plan_error(synthetic(4), r).find("cores.ingest = 7"), std::string::npos);
}

TEST(CorePlan, ExplicitCpuOutsideTheAffinityMaskIsRejected) {
  Machine m = synthetic(4);
  m.cpus[3].allowed = false;
  CoreRequest r;
  r.ingest = 3;
  EXPECT_NE(plan_error(m, r).find("affinity"), std::string::npos);
}

TEST(CorePlan, RequireIsolatedTurnsANonIsolatedHotCpuIntoAnError) {
  CoreRequest r;
  r.require_isolated = true;
  const std::string e = plan_error(synthetic(4, {2}), r);
  EXPECT_NE(e.find("not isolated"), std::string::npos) << e;
  EXPECT_NE(e.find("isolcpus="), std::string::npos) << e;
  EXPECT_NE(e.find("nohz_full="), std::string::npos) << e;
  EXPECT_NE(e.find("execution cpu 1"), std::string::npos) << e;  // ingest got 2, the only isolated one
  EXPECT_TRUE(std::holds_alternative<CorePlan>(plan_cores(synthetic(4, {2, 3}), r)));
}

TEST(CorePlan, ExplicitCpusAreKept) {
  CoreRequest r;
  r.ingest = 3;
  r.execution = 1;
  r.housekeeping = 2;
  const CorePlan p = plan_ok(synthetic(4), r);
  EXPECT_EQ(p.ingest_cpu, 3);
  EXPECT_EQ(p.execution_cpu, 1);
  EXPECT_EQ(p.housekeeping_cpu, 2);
  EXPECT_EQ(to_json(p)["cores"]["ingest"], 3);
}

TEST(Format, PlanTextAndJsonCarryEveryDecision) {
  const CorePlan p = plan_ok(synthetic(2), CoreRequest{});
  const std::string text = format_plan(p);
  EXPECT_EQ(text.rfind("core plan:\n", 0), 0u) << text;
  for (const std::string& r : p.reasons) EXPECT_NE(text.find(r), std::string::npos) << r;
  for (const std::string& w : p.warnings) EXPECT_NE(text.find(w), std::string::npos) << w;
  const nlohmann::json j = to_json(p);
  EXPECT_EQ(j["cores"]["ingest"], 1);
  EXPECT_EQ(j["cores"]["execution"], 1);
  EXPECT_EQ(j["cores"]["housekeeping"], 0);
  EXPECT_EQ(j["hot_shared"], true);
  EXPECT_EQ(j["reasons"].size(), p.reasons.size());
  EXPECT_EQ(j["warnings"].size(), p.warnings.size());
}

TEST(Machine, DiscoveryOnThisMachineFindsUsableCpus) {
  const Machine m = discover_machine();
  ASSERT_FALSE(m.cpus.empty());
  EXPECT_TRUE(std::any_of(m.cpus.begin(), m.cpus.end(), [](const Cpu& c) { return c.allowed; }));
  EXPECT_EQ(to_json(m)["cpus"].size(), m.cpus.size());
  EXPECT_NE(format_machine(m).find("cpu"), std::string::npos);
}

TEST(Machine, IsolatedAndNohzFullComeFromSysfs) {
  // One directory per process: several build dirs may run this suite at once.
  const auto root = std::filesystem::temp_directory_path() / ("tp-fake-sysfs-" + std::to_string(getpid()));
  std::filesystem::create_directories(root / "devices/system/cpu");
  std::ofstream(root / "devices/system/cpu/isolated") << "1\n";
  std::ofstream(root / "devices/system/cpu/nohz_full") << "1\n";
  std::filesystem::create_directories(root / "bus/pci/devices/0000:3b:00.0");
  std::ofstream(root / "bus/pci/devices/0000:3b:00.0/numa_node") << "1\n";
  const Machine m = discover_machine(root.string());
  EXPECT_EQ(m.isolated, std::vector<int>{1});
  EXPECT_EQ(m.nohz_full, std::vector<int>{1});
  if (const Cpu* c = m.find(1)) {
    EXPECT_TRUE(c->isolated);
  }
  EXPECT_EQ(pci_numa_node("0000:3b:00.0", root.string()), 1);
  EXPECT_EQ(pci_numa_node("0000:00:00.9", root.string()), -1);
  std::filesystem::remove_all(root);
}

TEST(Thread, PinsToAnAllowedCpuAndRefusesANonexistentOne) {
  const Machine m = discover_machine();
  const auto allowed = std::find_if(m.cpus.begin(), m.cpus.end(), [](const Cpu& c) { return c.allowed; });
  ASSERT_NE(allowed, m.cpus.end());
  EXPECT_FALSE(pin_current_thread(allowed->os_index).has_value());
  const auto error = pin_current_thread(9999);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("9999"), std::string::npos);
}

TEST(Thread, NamesAreTruncatedToFifteenCharacters) {
  std::thread([] {
    name_current_thread("tp-pmd-ingest-and-more");
    char name[32] = {};
    ASSERT_EQ(pthread_getname_np(pthread_self(), name, sizeof name), 0);
    EXPECT_STREQ(name, "tp-pmd-ingest-a");
  }).join();
}

}  // namespace
}  // namespace tickpath::platform

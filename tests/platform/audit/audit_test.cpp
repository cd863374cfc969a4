// `tickpath audit` against the three fixture hosts in fixtures/ (README.md there): the expected
// status of every check on each, the exit code, the JSON schema, and the sysfs-only machine the
// plan is computed on under --root.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "platform/audit/audit.hpp"
#include "platform/audit/host_fs.hpp"
#include "platform/audit/host_machine.hpp"

namespace tickpath::platform::audit {
namespace {

namespace fs = std::filesystem;

const std::string kFixtures = TICKPATH_AUDIT_FIXTURES;

// What `tickpath audit --config config/baremetal.toml` asks for.
AuditRequest baremetal(const std::string& root) {
  AuditRequest r;
  r.root = root;
  r.cores.ingest = 2;
  r.cores.execution = 4;
  r.cores.housekeeping = 0;
  r.pci = "0000:3b:00.0";
  r.hugepages_required = true;
  return r;
}

// What `tickpath audit` with the built-in config asks for: cores chosen, the null PMD.
AuditRequest laptop(const std::string& root) {
  AuditRequest r;
  r.root = root;
  r.vdev = "net_null0,size=64,copy=0";
  return r;
}

using Expected = std::map<std::string, Status>;
constexpr Status P = Status::pass, W = Status::warn, F = Status::fail, S = Status::skip;

const Expected kTuned = {
    {"cores.plan", P},           {"tsc.invariant", P},         {"tsc.frequency", S},       {"clocksource", P},
    {"cpu.isolated", P},         {"cpu.nohz_full", P},         {"cpu.rcu_nocbs", P},       {"cpufreq.governor", P},
    {"cpufreq.range", P},        {"cpufreq.turbo", P},         {"cpuidle.deep_states", P}, {"smt.siblings", P},
    {"irq.default_affinity", P}, {"irq.affinity", P},          {"irq.irqbalance", P},      {"hugepages.node", P},
    {"hugepages.mount", P},      {"mm.thp", P},                {"mm.swap", P},             {"vm.swappiness", P},
    {"mm.ksm", P},               {"vm.stat_interval", P},      {"kernel.timer_migration", P},
    {"kernel.nmi_watchdog", P},  {"kernel.soft_watchdog", P},  {"kernel.sched_rt_runtime_us", P},
    {"port.numa", P},            {"port.driver", P},           {"port.iommu", P},
};

const Expected kUntuned = {
    {"cores.plan", P},           {"tsc.invariant", P},         {"tsc.frequency", S},       {"clocksource", P},
    {"cpu.isolated", F},         {"cpu.nohz_full", W},         {"cpu.rcu_nocbs", W},       {"cpufreq.governor", W},
    {"cpufreq.range", W},        {"cpufreq.turbo", W},         {"cpuidle.deep_states", W}, {"smt.siblings", W},
    {"irq.default_affinity", F}, {"irq.affinity", F},          {"irq.irqbalance", W},      {"hugepages.node", F},
    {"hugepages.mount", F},      {"mm.thp", W},                {"mm.swap", W},             {"vm.swappiness", W},
    {"mm.ksm", W},               {"vm.stat_interval", W},      {"kernel.timer_migration", W},
    {"kernel.nmi_watchdog", W},  {"kernel.soft_watchdog", W},  {"kernel.sched_rt_runtime_us", W},
    {"port.numa", F},            {"port.driver", F},           {"port.iommu", F},
};

const Expected kVm = {
    {"cores.plan", P},           {"tsc.invariant", F},         {"tsc.frequency", S},       {"clocksource", W},
    {"cpu.isolated", P},         {"cpu.nohz_full", P},         {"cpu.rcu_nocbs", P},       {"cpufreq.governor", S},
    {"cpufreq.range", S},        {"cpufreq.turbo", S},         {"cpuidle.deep_states", S}, {"smt.siblings", S},
    {"irq.default_affinity", P}, {"irq.affinity", P},          {"irq.irqbalance", P},      {"hugepages.node", P},
    {"hugepages.mount", P},      {"mm.thp", P},                {"mm.swap", P},             {"vm.swappiness", W},
    {"mm.ksm", S},               {"vm.stat_interval", W},      {"kernel.timer_migration", W},
    {"kernel.nmi_watchdog", S},  {"kernel.soft_watchdog", P},  {"kernel.sched_rt_runtime_us", W},
    {"port.numa", S},            {"port.driver", S},           {"port.iommu", S},
};

const Row* find_row(const AuditReport& report, const std::string& name) {
  for (const Row& r : report.rows) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// Every check the audit ran has an expectation and every expectation was run, so a new check
// cannot slip in untested.
void expect_statuses(const AuditReport& report, const Expected& expected) {
  std::set<std::string> seen;
  for (const Row& r : report.rows) {
    EXPECT_TRUE(seen.insert(r.name).second) << "duplicate row " << r.name;
    auto it = expected.find(r.name);
    if (it == expected.end()) {
      ADD_FAILURE() << "no expectation for check " << r.name;
      continue;
    }
    EXPECT_EQ(status_name(r.status), status_name(it->second))
        << r.name << ": found '" << r.found << "', expected '" << r.expected << "'";
  }
  for (const auto& entry : expected) {
    EXPECT_TRUE(seen.count(entry.first)) << "check not run: " << entry.first;
  }
}

// A SKIP says why; a WARN or FAIL says how to fix it; nothing is blank.
void expect_rows_explained(const AuditReport& report) {
  for (const Row& r : report.rows) {
    EXPECT_FALSE(r.found.empty()) << r.name;
    EXPECT_FALSE(r.expected.empty()) << r.name;
    if (r.status == Status::warn || r.status == Status::fail) {
      EXPECT_FALSE(r.hint.empty()) << r.name;
    }
  }
}

TEST(AuditFixtures, TunedHostPassesEveryCheck) {
  const AuditReport report = run_audit(baremetal(kFixtures + "/tuned"));
  expect_statuses(report, kTuned);
  expect_rows_explained(report);
  EXPECT_EQ(exit_code(report.rows), 0);
  ASSERT_TRUE(report.plan.has_value());
  EXPECT_EQ(report.hot_cpus, (std::vector<int>{2, 4}));
}

TEST(AuditFixtures, UntunedHostFails) {
  const AuditReport report = run_audit(baremetal(kFixtures + "/untuned"));
  expect_statuses(report, kUntuned);
  expect_rows_explained(report);
  EXPECT_EQ(exit_code(report.rows), 2);
  // The hints name the concrete fix for this host's hot cpus.
  EXPECT_NE(find_row(report, "cpu.isolated")->hint.find("isolcpus=managed_irq,domain,2,4"), std::string::npos);
  EXPECT_NE(find_row(report, "cpu.isolated")->hint.find("tuned-adm profile tickpath-cpu-partitioning"), std::string::npos)
      << "the hint names the tuned profile `tickpath topology --tuned` writes";
  EXPECT_NE(find_row(report, "port.driver")->hint.find("dpdk-devbind.py --bind=vfio-pci 0000:3b:00.0"), std::string::npos);
  EXPECT_NE(find_row(report, "hugepages.node")->found.find("node1"), std::string::npos)
      << "hugepages are checked on the port's node";
}

TEST(AuditFixtures, VirtualMachineSkipsWhatTheHostControls) {
  const AuditReport report = run_audit(laptop(kFixtures + "/vm"));
  expect_statuses(report, kVm);
  expect_rows_explained(report);
  EXPECT_EQ(exit_code(report.rows), 2);
  EXPECT_EQ(report.hot_cpus, (std::vector<int>{1, 2})) << "the plan prefers the isolated vCPUs";
  EXPECT_NE(find_row(report, "cpufreq.governor")->found.find("hypervisor"), std::string::npos);
  EXPECT_NE(find_row(report, "port.numa")->found.find("net_null0"), std::string::npos);
}

TEST(AuditFixtures, EveryFixtureRunsTheSameChecksInTheSameOrder) {
  auto names = [](const AuditReport& r) {
    std::vector<std::string> out;
    for (const Row& row : r.rows) out.push_back(row.name);
    return out;
  };
  const auto tuned = names(run_audit(baremetal(kFixtures + "/tuned")));
  EXPECT_EQ(tuned, names(run_audit(baremetal(kFixtures + "/untuned"))));
  EXPECT_EQ(tuned, names(run_audit(laptop(kFixtures + "/vm"))));
  EXPECT_EQ(tuned.size(), kTuned.size());
}

TEST(AuditFixtures, HugepagesMissingIsOnlyAWarningWhenNotRequired) {
  AuditRequest r = baremetal(kFixtures + "/untuned");
  r.hugepages_required = false;
  const AuditReport report = run_audit(r);
  EXPECT_EQ(find_row(report, "hugepages.node")->status, Status::warn);
  EXPECT_EQ(find_row(report, "hugepages.mount")->status, Status::warn);
}

TEST(AuditFixtures, UnplannableCoresFailThePlanAndSkipTheHotCoreChecks) {
  AuditRequest r = baremetal(kFixtures + "/tuned");
  r.cores.ingest = 99;
  const AuditReport report = run_audit(r);
  EXPECT_FALSE(report.plan.has_value());
  EXPECT_EQ(find_row(report, "cores.plan")->status, Status::fail);
  EXPECT_NE(find_row(report, "cores.plan")->found.find("cores.ingest = 99"), std::string::npos);
  for (const char* name : {"cpu.isolated", "cpufreq.governor", "smt.siblings", "irq.affinity", "port.numa"}) {
    EXPECT_EQ(find_row(report, name)->status, Status::skip) << name;
    EXPECT_NE(find_row(report, name)->found.find("no core plan"), std::string::npos) << name;
  }
  // Host-wide checks still run.
  EXPECT_EQ(find_row(report, "mm.thp")->status, Status::pass);
  EXPECT_EQ(exit_code(report.rows), 2);
}

// A copy of a fixture with one file changed: the kernel command line is the other way to limit
// C-states, and the audit must accept it.
TEST(AuditFixtures, MaxCstateOnTheCommandLineLimitsDeepStates) {
  const fs::path tree = fs::temp_directory_path() / ("tickpath-audit-test-" + std::to_string(::getpid()));
  fs::remove_all(tree);
  fs::copy(kFixtures + "/untuned", tree, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  {
    std::ofstream cmdline(tree / "proc/cmdline", std::ios::trunc);
    cmdline << "root=/dev/sda1 ro intel_idle.max_cstate=1\n";
  }
  const AuditReport report = run_audit(baremetal(tree.string()));
  fs::remove_all(tree);
  EXPECT_EQ(find_row(report, "cpuidle.deep_states")->status, Status::pass);
  EXPECT_NE(find_row(report, "cpuidle.deep_states")->found.find("intel_idle.max_cstate=1"), std::string::npos);
}

// rcu_nocbs= takes "all" and "N" (the last cpu) as well as plain lists.
TEST(AuditFixtures, RcuNocbsAcceptsTheKernelsListShorthands) {
  const fs::path tree = fs::temp_directory_path() / ("tickpath-audit-rcu-" + std::to_string(::getpid()));
  fs::remove_all(tree);
  fs::copy(kFixtures + "/untuned", tree, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  auto status_with = [&](const char* cmdline) {
    std::ofstream(tree / "proc/cmdline", std::ios::trunc) << cmdline << "\n";
    return find_row(run_audit(baremetal(tree.string())), "cpu.rcu_nocbs")->status;
  };
  const Status all = status_with("ro rcu_nocbs=all");
  const Status to_last = status_with("ro rcu_nocbs=2-N");
  const Status too_few = status_with("ro rcu_nocbs=3-N");
  fs::remove_all(tree);
  EXPECT_EQ(all, Status::pass);
  EXPECT_EQ(to_last, Status::pass);
  EXPECT_EQ(too_few, Status::warn);
}

// tuned's latency profiles limit C-states through PM QoS (/dev/cpu_dma_latency held open), not
// the per-state disable files: states above the limit are never chosen, so they do not count.
TEST(AuditFixtures, PmQosLatencyLimitHoldsOffDeepStates) {
  const fs::path tree = fs::temp_directory_path() / ("tickpath-audit-qos-" + std::to_string(::getpid()));
  fs::remove_all(tree);
  fs::copy(kFixtures + "/untuned", tree, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  fs::create_directories(tree / "dev");
  auto audit_with_limit = [&](const char* us) {
    std::ofstream(tree / "dev/cpu_dma_latency", std::ios::trunc) << us << "\n";
    const AuditReport report = run_audit(baremetal(tree.string()));
    return *find_row(report, "cpuidle.deep_states");
  };
  const Row held = audit_with_limit("2");     // C1E (10 us) and C6 (133 us) both above
  const Row partial = audit_with_limit("20");  // C1E allowed, C6 held off
  fs::remove_all(tree);
  EXPECT_EQ(held.status, Status::pass);
  EXPECT_NE(held.found.find("PM QoS"), std::string::npos);
  EXPECT_EQ(partial.status, Status::warn);
  EXPECT_NE(partial.found.find("C1E"), std::string::npos);
  EXPECT_EQ(partial.found.find("C6"), std::string::npos);
}

TEST(AuditMachine, SysfsTreeGivesTopologyForThePlan) {
  const Machine m = machine_from_sysfs(HostFs(kFixtures + "/tuned"));
  ASSERT_EQ(m.cpus.size(), 12U);
  EXPECT_EQ(m.numa_nodes, 2);
  ASSERT_NE(m.find(2), nullptr);
  EXPECT_EQ(m.find(2)->smt_siblings, (std::vector<int>{8}));
  EXPECT_EQ(m.find(2)->numa_node, 0);
  EXPECT_EQ(m.find(3)->numa_node, 1);
  EXPECT_TRUE(m.find(4)->isolated);
  EXPECT_FALSE(m.find(6)->isolated);
  EXPECT_TRUE(m.find(9)->nohz_full);
}

TEST(AuditReportTest, ExitCodeIsTheWorstStatus) {
  auto rows = [](std::initializer_list<Status> statuses) {
    std::vector<Row> out;
    for (Status s : statuses) out.push_back(Row{s, "x", "f", "e", "h"});
    return out;
  };
  EXPECT_EQ(exit_code(rows({})), 0);
  EXPECT_EQ(exit_code(rows({P, S, P})), 0);
  EXPECT_EQ(exit_code(rows({P, W, S})), 1);
  EXPECT_EQ(exit_code(rows({W, F, P})), 2);
  EXPECT_EQ(exit_code(rows({F})), 2);
}

TEST(AuditReportTest, JsonCarriesEveryRowAndConsistentCounts) {
  const AuditReport report = run_audit(baremetal(kFixtures + "/untuned"));
  const nlohmann::ordered_json j = to_json(report);
  EXPECT_EQ(j.at("schema"), "tickpath.audit/1");
  EXPECT_EQ(j.at("root"), kFixtures + "/untuned");
  EXPECT_EQ(j.at("plan").at("ingest_cpu"), 2);
  EXPECT_EQ(j.at("plan").at("execution_cpu"), 4);
  EXPECT_EQ(j.at("plan").at("housekeeping_cpu"), 0);
  EXPECT_EQ(j.at("hot_cpus"), nlohmann::ordered_json({2, 4}));
  const auto& checks = j.at("checks");
  ASSERT_EQ(checks.size(), report.rows.size());
  std::map<std::string, int> counted;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& c = checks[i];
    for (const char* key : {"status", "name", "found", "expected", "hint"}) {
      ASSERT_TRUE(c.contains(key) && c.at(key).is_string()) << key;
    }
    EXPECT_EQ(c.at("name"), report.rows[i].name);
    ++counted[c.at("status").get<std::string>()];
  }
  const auto& summary = j.at("summary");
  EXPECT_EQ(summary.at("pass"), counted["PASS"]);
  EXPECT_EQ(summary.at("warn"), counted["WARN"]);
  EXPECT_EQ(summary.at("fail"), counted["FAIL"]);
  EXPECT_EQ(summary.at("skip"), counted["SKIP"]);
  EXPECT_EQ(counted.size(), 4U) << "untuned has every status";
  EXPECT_EQ(summary.at("exit_code"), 2);
}

TEST(AuditReportTest, JsonPlanIsNullWithoutAPlan) {
  AuditRequest r = baremetal(kFixtures + "/tuned");
  r.cores.execution = 1000;
  const nlohmann::ordered_json j = to_json(run_audit(r));
  EXPECT_TRUE(j.at("plan").is_null());
  EXPECT_TRUE(j.at("hot_cpus").empty());
}

TEST(AuditReportTest, TableHasOneLinePerCheckWithItsStatus) {
  const AuditReport report = run_audit(laptop(kFixtures + "/vm"));
  const std::string table = format_table(report);
  for (const Row& r : report.rows) {
    const std::string prefix = std::string(status_name(r.status)) + " ";
    const auto at = table.find(" " + r.name + " ");
    ASSERT_NE(at, std::string::npos) << r.name;
    const auto line_start = table.rfind('\n', at) + 1;
    EXPECT_EQ(table.compare(line_start, prefix.size(), prefix), 0) << r.name;
  }
  EXPECT_NE(table.find("-> exit 2"), std::string::npos);
}

TEST(AuditHostFs, ParsesKernelCpuMasks) {
  EXPECT_EQ(parse_cpu_mask("0c3\n"), (std::vector<int>{0, 1, 6, 7}));
  EXPECT_EQ(parse_cpu_mask("1"), (std::vector<int>{0}));
  const auto wide = parse_cpu_mask("ff,00000003");
  ASSERT_TRUE(wide.has_value());
  EXPECT_EQ(wide->front(), 0);
  EXPECT_EQ(wide->size(), 10U);
  EXPECT_EQ(wide->back(), 39);
  EXPECT_FALSE(parse_cpu_mask("xyz").has_value());
  EXPECT_FALSE(parse_cpu_mask("").has_value());
  EXPECT_FALSE(parse_cpu_mask("123456789").has_value()) << "a group holds 32 bits";
}

TEST(AuditHostFs, ReadsUnderTheRootOnly) {
  const HostFs fixture(kFixtures + "/vm/");
  EXPECT_FALSE(fixture.is_live());
  EXPECT_EQ(fixture.read_line("/sys/devices/system/cpu/isolated"), "1-3");
  EXPECT_EQ(fixture.read_int("/proc/sys/vm/swappiness"), 60);
  EXPECT_FALSE(fixture.read("/etc/hostname").has_value()) << "the real /etc must not leak in";
  EXPECT_TRUE(HostFs("/").is_live());
}

// The real host: structure only, its statuses depend on the machine.
TEST(AuditLive, RealRootRunsEveryCheck) {
  const AuditReport report = run_audit(laptop("/"));
  ASSERT_EQ(report.rows.size(), kTuned.size());
  for (const Row& r : report.rows) {
    EXPECT_TRUE(kTuned.count(r.name)) << r.name;
  }
  const Row* tsc = find_row(report, "tsc.frequency");
  EXPECT_EQ(tsc->found.find("--root"), std::string::npos) << "the live root measures";
}

}  // namespace
}  // namespace tickpath::platform::audit

// jitter and c2c on this machine's own cpus: no timed assertion (the machine is shared and
// noisy); only what must hold on any machine: figures present, positive and ordered, and a stall
// injected into the measurement coming out as a hiccup at least as long as the stall.
#include <sched.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "control/metrics/histogram.hpp"
#include "platform/floor/c2c.hpp"
#include "platform/floor/jitter.hpp"
#include "platform/floor/preflight.hpp"
#include "platform/floor/spin_gaps.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::platform {
namespace {

core::TscCalibration calibration() {
  static const core::TscCalibration cal =
      core::kClockIsTsc ? core::TscCalibration::measure(std::chrono::milliseconds(100)) : core::TscCalibration{};
  return cal;
}

std::vector<int> allowed_cpus() {
  std::vector<int> out;
  for (const Cpu& c : discover_machine().cpus) {
    if (c.allowed) out.push_back(c.os_index);
  }
  return out;
}

void expect_ordered(const control::LatencySummary& s) {
  EXPECT_GT(s.count, 0u);
  EXPECT_GT(s.min, 0.0);
  EXPECT_LE(s.min, s.p50);
  EXPECT_LE(s.p50, s.p99);
  EXPECT_LE(s.p99, s.p99_9);
  EXPECT_LE(s.p99_9, s.p99_99);
  EXPECT_LE(s.p99_99, s.max);
}

TEST(Jitter, EveryAllowedCpuReportsOrderedPositiveGaps) {
  const std::vector<int> cpus = allowed_cpus();
  ASSERT_FALSE(cpus.empty());
  auto r = measure_jitter({cpus, 0.2, 1000}, calibration());
  ASSERT_TRUE(std::holds_alternative<JitterReport>(r)) << std::get<std::string>(r);
  const JitterReport& report = std::get<JitterReport>(r);
  ASSERT_EQ(report.cores.size(), cpus.size());
  for (const CoreJitter& c : report.cores) {
    ASSERT_TRUE(c.error.empty()) << c.error;
    EXPECT_EQ(c.samples, c.gaps.count());
    expect_ordered(control::summarize(c.gaps, report.calibration));
    std::uint64_t by_size = 0;
    for (std::uint64_t d : c.decades) by_size += d;
    // threshold == 1 us: the hiccups are exactly the gaps of the four decades.
    EXPECT_EQ(c.hiccups, by_size);
  }
  const nlohmann::json j = to_json(report);
  EXPECT_EQ(j["cores"].size(), cpus.size());
  EXPECT_TRUE(j["cores"][0].contains("p99_99_ns"));
  EXPECT_TRUE(j["cores"][0]["hiccups_by_size"].contains("1ms"));
  EXPECT_NE(format_jitter(report).find("p99.99"), std::string::npos);
}

TEST(Jitter, AStallInjectedIntoOneReadIsAHiccupAtLeastThatLong) {
  const core::TscCalibration cal = calibration();
  constexpr auto kStall = std::chrono::milliseconds(3);
  control::Histogram gaps;
  GapTally tally;
  HiccupEdges edges;
  edges.threshold = cal.to_ticks(1e5);  // 100 us
  edges.decade = {cal.to_ticks(1e3), cal.to_ticks(1e4), cal.to_ticks(1e5), cal.to_ticks(1e6)};
  edges.slow = edges.decade[0];
  int reads = 0;
  // The 1000th read sleeps: the loop sees one gap of at least the sleep.
  auto read = [&] {
    if (++reads == 1000) std::this_thread::sleep_for(kStall);
    return core::tsc_now();
  };
  spin_gaps(read, cal.to_ticks(50e6), edges, gaps, tally);
  const control::HistogramSnapshot s = gaps.snapshot();
  EXPECT_GE(cal.to_ns(s.max()), 3e6);
  EXPECT_GE(tally.hiccups, 1u);
  EXPECT_GE(tally.decades[3], 1u) << "a 3 ms stall belongs to the >= 1 ms decade";
  EXPECT_GE(cal.to_ns(tally.hiccup_ticks), 3e6);
  EXPECT_EQ(tally.samples, s.count());
}

TEST(Jitter, ASleepingThreadOnTheMeasuredCpuShowsUp) {
  // The other way to inject: a thread sharing the measured cpu, asleep most of the time and
  // busy for 2 ms when it wakes. The spinning thread loses the cpu to it at least once.
  const std::vector<int> cpus = allowed_cpus();
  ASSERT_FALSE(cpus.empty());
  const int cpu = cpus.back();
  std::atomic<bool> done{false};
  std::thread intruder([&] {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
    while (!done.load(std::memory_order_relaxed)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
      while (std::chrono::steady_clock::now() < until) {
      }
    }
  });
  auto r = measure_jitter({{cpu}, 0.3, 1000}, calibration());
  done.store(true, std::memory_order_relaxed);
  intruder.join();
  ASSERT_TRUE(std::holds_alternative<JitterReport>(r));
  const CoreJitter& c = std::get<JitterReport>(r).cores.at(0);
  ASSERT_TRUE(c.error.empty()) << c.error;
  // CFS shares the cpu between two runnable threads: the spinner is descheduled for at least one
  // scheduler slice while the intruder spins; a gap of >= 100 us is certain, the exact size not.
  EXPECT_GE(c.decades[2] + c.decades[3], 1u);
  EXPECT_GE(c.hiccups, 1u);
}

TEST(Jitter, RejectsBadOptionsBeforeStartingAnything) {
  EXPECT_TRUE(std::holds_alternative<std::string>(measure_jitter({{}, 1, 1000}, calibration())));
  EXPECT_TRUE(std::holds_alternative<std::string>(measure_jitter({{0}, 0, 1000}, calibration())));
  EXPECT_TRUE(std::holds_alternative<std::string>(measure_jitter({{0}, 1, 0}, calibration())));
}

TEST(Jitter, AnUnpinnableCpuIsReportedNotMeasured) {
  auto r = measure_jitter({{4095}, 0.05, 1000}, calibration());
  ASSERT_TRUE(std::holds_alternative<JitterReport>(r));
  const CoreJitter& c = std::get<JitterReport>(r).cores.at(0);
  EXPECT_FALSE(c.error.empty());
  EXPECT_EQ(c.samples, 0u);
  EXPECT_TRUE(to_json(std::get<JitterReport>(r))["cores"][0].contains("error"));
}

TEST(C2c, EveryPairOfAllowedCpusHasOrderedPositiveOneWayTimes) {
  const std::vector<int> cpus = allowed_cpus();
  if (cpus.size() < 2) GTEST_SKIP() << "one cpu: no pair to measure";
  auto r = measure_c2c(cpus, 2000, calibration(), discover_machine());
  ASSERT_TRUE(std::holds_alternative<C2cReport>(r)) << std::get<std::string>(r);
  const C2cReport& report = std::get<C2cReport>(r);
  EXPECT_EQ(report.pairs.size(), cpus.size() * (cpus.size() - 1) / 2);
  for (const C2cPair& p : report.pairs) {
    ASSERT_TRUE(p.error.empty()) << p.error;
    EXPECT_LT(p.a, p.b);
    EXPECT_EQ(p.one_way.count, 2000u);
    expect_ordered(p.one_way);
  }
  const std::string table = format_c2c(report);
  EXPECT_NE(table.find("p50"), std::string::npos);
  EXPECT_NE(table.find("p99"), std::string::npos);
  EXPECT_EQ(to_json(report)["pairs"].size(), report.pairs.size());
}

TEST(C2c, RejectsFewerThanTwoCpusAndDuplicates) {
  const Machine m = discover_machine();
  EXPECT_TRUE(std::holds_alternative<std::string>(measure_c2c({0}, 10, calibration(), m)));
  EXPECT_TRUE(std::holds_alternative<std::string>(measure_c2c({0, 0}, 10, calibration(), m)));
  EXPECT_TRUE(std::holds_alternative<std::string>(measure_c2c({0, 1}, 0, calibration(), m)));
}

TEST(C2c, AnUnpinnableCpuIsAnErrorNotAHang) {
  const C2cPair p = measure_c2c_pair(0, 4095, 100, calibration());
  EXPECT_FALSE(p.error.empty());
  EXPECT_EQ(p.one_way.count, 0u);
}

// A run's preflight: what it records and says in each case, never how fast the machine is.
struct Said {
  std::vector<std::string> lines;
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
};

TEST(Preflight, BothMeasurementsOffRecordSkippedAndSayNothing) {
  Said said;
  const nlohmann::json facts = measure_preflight({0, 0, 0, 0}, calibration(), said.sink());
  EXPECT_TRUE(facts["jitter"].is_null());
  EXPECT_TRUE(facts["c2c_ns"].is_null());
  EXPECT_EQ(facts["c2c"], nlohmann::json({{"skipped", true}}));
  EXPECT_TRUE(said.lines.empty());
}

TEST(Preflight, OneSharedHotCpuHasNoCoreToCoreFloorAndSaysWhy) {
  Said said;
  const nlohmann::json facts = measure_preflight({0, 0, 0, 1000}, calibration(), said.sink());
  EXPECT_TRUE(facts["c2c"]["same_cpu"].get<bool>());
  EXPECT_EQ(facts["c2c"]["cpu"], 0);
  EXPECT_TRUE(facts["c2c_ns"].is_null()) << "no figure where nothing crossed a core";
  ASSERT_EQ(said.lines.size(), 1u);
  EXPECT_NE(said.lines[0].find("share cpu 0"), std::string::npos) << said.lines[0];
}

TEST(Preflight, TwoHotCpusRecordJitterForEachAndTheOneWayFloorBetweenThem) {
  const std::vector<int> cpus = allowed_cpus();
  if (cpus.size() < 2 || !core::kClockIsTsc) GTEST_SKIP() << "needs two allowed cpus and the TSC";
  Said said;
  const nlohmann::json facts = measure_preflight({cpus[0], cpus[1], 0.02, 200}, calibration(), said.sink());
  ASSERT_TRUE(facts["jitter"].is_object());
  EXPECT_EQ(facts["jitter"]["cores"].size(), 2u);
  ASSERT_TRUE(facts["c2c_ns"].is_number()) << facts["c2c"].dump();
  EXPECT_GT(facts["c2c_ns"].get<double>(), 0.0);
  ASSERT_EQ(said.lines.size(), 3u) << "one line per hot cpu's jitter, one for c2c";
  EXPECT_EQ(said.lines[2].rfind("preflight: c2c cpu ", 0), 0u) << said.lines[2];
}

}  // namespace
}  // namespace tickpath::platform

// The hugepage policy and the EAL arguments, decided before the EAL exists: a fake /proc stands
// in for the kernel.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/dpdk/eal_args.hpp"
#include "platform/dpdk/hugepages.hpp"

namespace tickpath::platform {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

class FakeProc : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("tp-proc-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(root_ / name) << text; }
  std::filesystem::path root_;
};

TEST_F(FakeProc, ProbeReadsPagesSizeAndHugetlbfsMounts) {
  write("meminfo", "MemTotal:       24000000 kB\nHugePages_Total:     512\nHugePages_Free:      500\n"
                   "Hugepagesize:       2048 kB\n");
  write("mounts", "proc /proc proc rw 0 0\nnodev /dev/hugepages hugetlbfs rw,relatime 0 0\n");
  const HugepageProbe p = probe_hugepages(root_.string());
  EXPECT_EQ(p.total_pages, 512u);
  EXPECT_EQ(p.free_pages, 500u);
  EXPECT_EQ(p.page_bytes, 2 * kMiB);
  ASSERT_EQ(p.mounts.size(), 1u);
  EXPECT_EQ(p.mounts[0], "/dev/hugepages");
  EXPECT_EQ(p.free_bytes(), 1000 * kMiB);
}

TEST_F(FakeProc, ProbeOfAMachineWithoutHugepages) {
  write("meminfo", "HugePages_Total:       0\nHugePages_Free:        0\nHugepagesize:       2048 kB\n");
  write("mounts", "proc /proc proc rw 0 0\n");
  const HugepageProbe p = probe_hugepages(root_.string());
  EXPECT_EQ(p.free_bytes(), 0u);
  EXPECT_TRUE(p.mounts.empty());
}

HugepageProbe with_pages(std::uint64_t free_pages, bool mounted) {
  HugepageProbe p;
  p.page_bytes = 2 * kMiB;
  p.total_pages = free_pages;
  p.free_pages = free_pages;
  if (mounted) p.mounts.push_back("/dev/hugepages");
  return p;
}

TEST(Hugepages, AutoUsesHugepagesWhenEnoughAreFreeAndMounted) {
  const auto d = decide_hugepages(HugepagePolicy::automatic, with_pages(512, true), 100 * kMiB, 0);
  EXPECT_TRUE(d.use_hugepages);
  EXPECT_TRUE(d.warning.empty());
  EXPECT_TRUE(d.error.empty());
}

TEST(Hugepages, AutoFallsBackToNoHugeWithOneWarningWhenTooFewAreFree) {
  const auto d = decide_hugepages(HugepagePolicy::automatic, with_pages(10, true), 100 * kMiB, 0);
  EXPECT_FALSE(d.use_hugepages);
  EXPECT_EQ(d.no_huge_memory_mb, 100u);
  EXPECT_NE(d.warning.find("--no-huge"), std::string::npos) << d.warning;
  EXPECT_NE(d.warning.find("20 MiB of hugepages free"), std::string::npos) << d.warning;
  EXPECT_TRUE(d.error.empty());
}

TEST(Hugepages, AutoFallsBackWhenNothingIsMountedEvenWithPagesReserved) {
  const auto d = decide_hugepages(HugepagePolicy::automatic, with_pages(512, false), 100 * kMiB, 0);
  EXPECT_FALSE(d.use_hugepages);
  EXPECT_NE(d.warning.find("no hugetlbfs mount"), std::string::npos) << d.warning;
}

TEST(Hugepages, RequiredRefusesWithInstructionsInsteadOfFallingBack) {
  const auto d = decide_hugepages(HugepagePolicy::required, with_pages(0, true), 100 * kMiB, 0);
  EXPECT_FALSE(d.use_hugepages);
  EXPECT_NE(d.error.find("scripts/hugepages.sh reserve"), std::string::npos) << d.error;
  EXPECT_NE(d.error.find("dpdk-hugepages.py"), std::string::npos) << d.error;
}

TEST(Hugepages, OffNeverUsesThemAndDoesNotWarn) {
  const auto d = decide_hugepages(HugepagePolicy::off, with_pages(512, true), 100 * kMiB, 0);
  EXPECT_FALSE(d.use_hugepages);
  EXPECT_TRUE(d.warning.empty());
  EXPECT_EQ(d.no_huge_memory_mb, 100u);
}

TEST(Hugepages, ConfiguredMemoryOverridesTheComputedSize) {
  const auto d = decide_hugepages(HugepagePolicy::off, with_pages(0, false), 100 * kMiB, 256);
  EXPECT_EQ(d.no_huge_memory_mb, 256u);
}

TEST(Hugepages, NeededMemoryGrowsWithRingAndPool) {
  const auto small = eal_memory_needed(4 * kMiB, 1023);
  EXPECT_GT(eal_memory_needed(64 * kMiB, 1023), small);
  EXPECT_GT(eal_memory_needed(4 * kMiB, 65535), small);
}

TEST(Hugepages, PolicyParsesOnlyTheThreeNames) {
  EXPECT_EQ(parse_hugepage_policy("auto"), HugepagePolicy::automatic);
  EXPECT_EQ(parse_hugepage_policy("required"), HugepagePolicy::required);
  EXPECT_EQ(parse_hugepage_policy("off"), HugepagePolicy::off);
  EXPECT_FALSE(parse_hugepage_policy("yes").has_value());
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(EalArgs, NoHugeFallbackCarriesMemorySizeAndNeverInMemory) {
  EalSettings s;
  s.vdev = "net_null0";
  HugepageDecision d;
  d.no_huge_memory_mb = 96;
  const auto args = build_eal_args(s, d);
  EXPECT_TRUE(contains(args, "--no-huge"));
  const auto m = std::find(args.begin(), args.end(), "-m");
  ASSERT_NE(m, args.end());
  EXPECT_EQ(*(m + 1), "96");
  EXPECT_FALSE(contains(args, "--in-memory"));
  EXPECT_TRUE(contains(args, "--vdev=net_null0"));
  EXPECT_TRUE(contains(args, "--no-pci"));
}

TEST(EalArgs, HugepageRunOnAPciPortAllowsOnlyThatDevice) {
  EalSettings s;
  s.pci = "0000:3b:00.0";
  s.main_cpu = 3;
  s.file_prefix = "tp-a";
  HugepageDecision d;
  d.use_hugepages = true;
  const auto args = build_eal_args(s, d);
  EXPECT_FALSE(contains(args, "--no-huge"));
  EXPECT_FALSE(contains(args, "--no-pci"));
  const auto a = std::find(args.begin(), args.end(), "-a");
  ASSERT_NE(a, args.end());
  EXPECT_EQ(*(a + 1), "0000:3b:00.0");
  EXPECT_TRUE(contains(args, "--file-prefix=tp-a"));
  const auto l = std::find(args.begin(), args.end(), "-l");
  ASSERT_NE(l, args.end());
  EXPECT_EQ(*(l + 1), "3");
}

TEST(EalArgs, AHugepageRunUnlinksItsPagesSoNoFileOutlivesTheProcess) {
  EalSettings s;
  s.vdev = "net_null0";
  HugepageDecision d;
  d.use_hugepages = true;
  EXPECT_TRUE(contains(build_eal_args(s, d), "--huge-unlink"));
  d.use_hugepages = false;  // the EAL refuses --huge-unlink with --no-huge
  EXPECT_FALSE(contains(build_eal_args(s, d), "--huge-unlink"));
}

TEST(EalArgs, ConfigArgumentsThenCommandLineArgumentsComeLast) {
  EalSettings s;
  s.vdev = "net_null0";
  s.config_args = {"--log-level=pmd.net.null:debug"};
  s.extra_args = {"--log-level=lib.eal:debug"};
  const auto args = build_eal_args(s, HugepageDecision{});
  ASSERT_GE(args.size(), 2u);
  EXPECT_EQ(args[args.size() - 2], "--log-level=pmd.net.null:debug");
  EXPECT_EQ(args.back(), "--log-level=lib.eal:debug");
  EXPECT_EQ(args.front(), "tickpath");
}

}  // namespace
}  // namespace tickpath::platform

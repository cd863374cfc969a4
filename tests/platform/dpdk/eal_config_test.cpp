// The EAL's and the ports' settings from the config, and the EAL arguments they become: the one
// path `run` takes from eal.*, [port] and [ingest.lines] to DPDK, checked without the EAL.
#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "platform/dpdk/eal_config.hpp"

namespace tickpath::platform {
namespace {

config::Config load(const std::vector<std::string>& sets) {
  config::LoadResult r = config::load_config("", sets);
  if (auto* e = std::get_if<config::ConfigError>(&r)) ADD_FAILURE() << e->message;
  return std::holds_alternative<config::Config>(r) ? std::get<config::Config>(r) : config::Config{};
}

std::ptrdiff_t count(const std::vector<std::string>& v, const std::string& s) { return std::count(v.begin(), v.end(), s); }

TEST(EalConfig, OneLineProbesOnlyThePortsVdevAndNamesThePortByItsFirstField) {
  const config::Config c = load({"port.vdev=\"net_pcap0,rx_pcap=x.pcap\"", "eal.file_prefix=tp-one", "eal.args=[\"--log-level=pmd:debug\"]"});
  const EalSettings eal = eal_settings(c, 1, {"--extra"});
  const std::vector<std::string> args = build_eal_args(eal, HugepageDecision{});
  EXPECT_EQ(count(args, "--vdev=net_pcap0,rx_pcap=x.pcap"), 1);
  EXPECT_EQ(std::count_if(args.begin(), args.end(), [](const std::string& a) { return a.rfind("--vdev=", 0) == 0; }), 1);
  EXPECT_EQ(count(args, "--file-prefix=tp-one"), 1);
  EXPECT_EQ(args[args.size() - 2], "--log-level=pmd:debug") << "eal.args, then the command line's";
  EXPECT_EQ(args.back(), "--extra");
  EXPECT_EQ(port_settings(c, 0).device, "net_pcap0");
}

TEST(EalConfig, TwoLinesProbeBothDevicesAndEachPortGetsItsLinesDeviceWithTheSharedPortKeys) {
  const config::Config c = load({"ingest.format=\"moldudp64\"", "ingest.lines.a.vdev=\"net_pcap1,rx_pcap=a.pcap\"",
                                 "ingest.lines.b.vdev=\"net_pcap2,rx_pcap=b.pcap\"", "port.rx_descriptors=512",
                                 "port.mbufs=4095", "port.hw_timestamps=true"});
  const std::vector<std::string> args = build_eal_args(eal_settings(c, 0, {}), HugepageDecision{});
  EXPECT_EQ(count(args, "--vdev=net_pcap1,rx_pcap=a.pcap"), 1) << "line A replaces port.vdev";
  EXPECT_EQ(count(args, "--vdev=net_pcap2,rx_pcap=b.pcap"), 1);
  EXPECT_EQ(count(args, "--vdev=net_null0"), 0);
  const PortSettings a = port_settings(c, 0);
  const PortSettings b = port_settings(c, 1);
  EXPECT_EQ(a.device, "net_pcap1");
  EXPECT_EQ(b.device, "net_pcap2");
  for (const PortSettings& p : {a, b}) {
    EXPECT_EQ(p.rx_descriptors, 512);
    EXPECT_EQ(p.mbufs, 4095u);
    EXPECT_TRUE(p.hw_timestamps);
  }
}

TEST(EalConfig, TwoPciLinesAllowBothAddressesAndNeverDisablePci) {
  const config::Config c = load({"ingest.format=\"moldudp64\"", "port.vdev=\"\"", "port.pci=\"0000:3b:00.0\"",
                                 "ingest.lines.a.pci=\"0000:3b:00.0\"", "ingest.lines.b.pci=\"0000:3b:00.1\""});
  const std::vector<std::string> args = build_eal_args(eal_settings(c, 0, {}), HugepageDecision{});
  EXPECT_EQ(count(args, "0000:3b:00.0"), 1);
  EXPECT_EQ(count(args, "0000:3b:00.1"), 1);
  EXPECT_EQ(count(args, "-a"), 2);
  EXPECT_EQ(count(args, "--no-pci"), 0);
}

TEST(EalConfig, TheHugepageDecisionSizesOneMbufPoolPerPortAndHonoursTheConfiguredPolicy) {
  const HugepageProbe none;  // no mount, no pages
  const config::Config one = load({"eal.hugepages=off"});
  const config::Config two = load({"eal.hugepages=off", "ingest.format=\"moldudp64\"", "ingest.lines.a.vdev=\"net_null1\"",
                                   "ingest.lines.b.vdev=\"net_null2\""});
  const HugepageDecision d1 = decide_hugepages(one, none, 0);
  const HugepageDecision d2 = decide_hugepages(two, none, 0);
  EXPECT_FALSE(d1.use_hugepages);
  EXPECT_TRUE(d1.warning.empty()) << "off: no warning";
  EXPECT_GT(d2.no_huge_memory_mb, d1.no_huge_memory_mb) << "two ports, two pools";
  EXPECT_FALSE(decide_hugepages(load({"eal.hugepages=required"}), none, 0).error.empty());
  EXPECT_EQ(decide_hugepages(load({"eal.hugepages=off", "eal.memory_mb=777"}), none, 0).no_huge_memory_mb, 777u);
}

TEST(EalConfig, TheTransmitterRunsItsEalOnItsCpuWithItsPrefixAndProbesOnlyItsLinesPorts) {
  wire::FeedRequest request;
  request.vdev = "net_pcap5,tx_pcap=a.pcap";
  request.lines = 2;
  request.vdev_b = "net_pcap6,tx_pcap=b.pcap";
  TransmitterEal eal;
  eal.cpu = 3;
  eal.file_prefix = "gen-7";
  eal.eal_extra = {"--log-level=8"};
  const EalSettings settings = eal_settings(request, eal);
  EXPECT_EQ(settings.main_cpu, 3);
  EXPECT_TRUE(settings.config_args.empty()) << "gen has no config file";
  const std::vector<std::string> args = build_eal_args(settings, HugepageDecision{});
  EXPECT_EQ(count(args, "--file-prefix=gen-7"), 1);
  EXPECT_EQ(count(args, "--vdev=net_pcap5,tx_pcap=a.pcap"), 1);
  EXPECT_EQ(count(args, "--vdev=net_pcap6,tx_pcap=b.pcap"), 1);
  EXPECT_EQ(args.back(), "--log-level=8");
  EXPECT_EQ(transmitter_device(request, 0), "net_pcap5,tx_pcap=a.pcap");
  EXPECT_EQ(transmitter_device(request, 1), "net_pcap6,tx_pcap=b.pcap");
  request.vdev_b.clear();
  request.pci_b = "0000:3b:00.1";
  EXPECT_EQ(transmitter_device(request, 1), "0000:3b:00.1");
}

TEST(EalConfig, TheTransmittersHugepagesAreCheckedByNameAndSizeOneTxPoolPerLine) {
  TransmitterEal eal;
  eal.hugepages = "sometimes";
  EXPECT_EQ(check_transmitter_eal(eal), "--hugepages 'sometimes' is not one of auto, required, off");
  eal.hugepages = "off";
  EXPECT_EQ(check_transmitter_eal(eal), "");
  const HugepageProbe none;
  wire::FeedRequest one;
  wire::FeedRequest two;
  two.lines = 2;
  const HugepageDecision d1 = decide_hugepages(one, eal, none);
  EXPECT_FALSE(d1.use_hugepages);
  EXPECT_GT(decide_hugepages(two, eal, none).no_huge_memory_mb, d1.no_huge_memory_mb) << "two lines, two pools";
  eal.hugepages = "required";
  EXPECT_FALSE(decide_hugepages(one, eal, none).error.empty()) << "required, and the probe found none";
}

}  // namespace
}  // namespace tickpath::platform

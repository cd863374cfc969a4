// The config model: defaults, the shipped files, and every way input can be wrong, each error
// naming the key and where it came from.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace tickpath::config {
namespace {

class TempToml {
 public:
  explicit TempToml(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("tp-config-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".toml");
    std::ofstream(path_) << text;
  }
  ~TempToml() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

Config ok(const LoadResult& r) {
  if (const auto* e = std::get_if<ConfigError>(&r)) {
    ADD_FAILURE() << "unexpected error: " << e->message;
    return {};
  }
  return std::get<Config>(r);
}

ConfigError err(const LoadResult& r) {
  if (const auto* e = std::get_if<ConfigError>(&r)) return *e;
  ADD_FAILURE() << "expected an error";
  return {};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Config, DefaultsAreTheLaptopMode) {
  const Config c = ok(load_config("", {}));
  EXPECT_EQ(c.port.vdev, "net_null0");
  EXPECT_EQ(c.port.pci, "");
  EXPECT_EQ(c.ingest.format, IngestFormat::raw);
  EXPECT_EQ(c.eal.hugepages, HugepagePolicy::automatic);
  EXPECT_EQ(c.ring.capacity, 65536);
  EXPECT_DOUBLE_EQ(c.run.duration_s, 10.0);
  EXPECT_TRUE(c.analytics.enabled);
}

TEST(Config, EveryShippedConfigLoads) {
  for (const char* name : {"laptop.toml", "baremetal.toml", "pcap.toml"}) {
    const std::string path = std::string(TICKPATH_SOURCE_ROOT) + "/config/" + name;
    const LoadResult r = load_config(path, {});
    EXPECT_TRUE(std::holds_alternative<Config>(r))
        << name << ": " << (std::holds_alternative<ConfigError>(r) ? std::get<ConfigError>(r).message : "");
  }
  const Config bare = ok(load_config(std::string(TICKPATH_SOURCE_ROOT) + "/config/baremetal.toml", {}));
  EXPECT_EQ(bare.eal.hugepages, HugepagePolicy::required);
  EXPECT_TRUE(bare.cores.require_isolated);
  EXPECT_EQ(bare.ingest.format, IngestFormat::moldudp64);
}

TEST(Config, LaptopTomlSpellsOutEveryKnownKeyInItsTable) {
  std::ifstream in(std::string(TICKPATH_SOURCE_ROOT) + "/config/laptop.toml");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string& key : known_keys()) {
    const std::string table = key.substr(0, key.find('.'));
    const std::string leaf = key.substr(key.find('.') + 1);
    const std::size_t begin = text.find("\n[" + table + "]\n");
    ASSERT_NE(begin, std::string::npos) << "[" << table << "] is missing from config/laptop.toml";
    const std::size_t end = text.find("\n[", begin + 1);
    const std::string section = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    EXPECT_TRUE(has(section, "\n" + leaf + " ")) << key << " is missing from config/laptop.toml";
  }
}

TEST(Config, LaptopTomlIsExactlyTheBuiltInDefaults) {
  const Config file = ok(load_config(std::string(TICKPATH_SOURCE_ROOT) + "/config/laptop.toml", {}));
  EXPECT_EQ(to_json(file), to_json(ok(load_config("", {}))));
}

TEST(Config, UnknownKeyIsNamedWithFileLineAndColumn) {
  TempToml f("[ring]\ncapacity = 1024\nnonsense = 3\n");
  const ConfigError e = err(load_config(f.path(), {}));
  EXPECT_EQ(e.key, "ring.nonsense");
  EXPECT_TRUE(has(e.message, "unknown key 'ring.nonsense'")) << e.message;
  EXPECT_TRUE(has(e.message, f.path() + ":3:")) << e.message;
}

TEST(Config, UnknownTableIsRejectedEvenWhenEmpty) {
  for (const char* text : {"[rings]\ncapacity = 1024\n", "[ring]\ncapacity = 1024\n[rings]\n"}) {
    TempToml f(text);
    const ConfigError e = err(load_config(f.path(), {}));
    EXPECT_EQ(e.key, "rings") << text;
    EXPECT_TRUE(has(e.message, "unknown table '[rings]'")) << e.message;
    EXPECT_TRUE(has(e.message, f.path() + ":")) << e.message;
  }
}

TEST(Config, TopLevelKeyOutsideATableIsRejected) {
  TempToml f("capacity = 1024\n");
  const ConfigError e = err(load_config(f.path(), {}));
  EXPECT_EQ(e.key, "capacity");
  EXPECT_TRUE(has(e.message, f.path() + ":1:")) << e.message;
}

TEST(Config, WrongTypeNamesExpectedAndActual) {
  TempToml f("[ring]\ncapacity = \"big\"\n");
  const ConfigError e = err(load_config(f.path(), {}));
  EXPECT_EQ(e.key, "ring.capacity");
  EXPECT_TRUE(has(e.message, "expected an integer, got string")) << e.message;
  EXPECT_TRUE(has(e.message, ":2:")) << e.message;
}

TEST(Config, NonPowerOfTwoRingIsRejected) {
  TempToml f("[ring]\ncapacity = 1000\n");
  const ConfigError e = err(load_config(f.path(), {}));
  EXPECT_TRUE(has(e.message, "ring.capacity: 1000 is not a power of two")) << e.message;
}

TEST(Config, AckLogSwitchAndItsQueueAreValidated) {
  const Config c = ok(load_config("", {"report.ack_log=true", "report.ack_queue=4096"}));
  EXPECT_TRUE(c.report.ack_log);
  EXPECT_EQ(c.report.ack_queue, 4096);
  EXPECT_FALSE(ok(load_config("", {})).report.ack_log) << "the ack log is off by default";
  EXPECT_EQ(ok(load_config("", {})).report.ack_queue, 65536);
  ConfigError e = err(load_config("", {"report.ack_queue=5000"}));
  EXPECT_EQ(e.key, "report.ack_queue");
  EXPECT_TRUE(has(e.message, "report.ack_queue: 5000 is not a power of two")) << e.message;
  e = err(load_config("", {"report.ack_queue=512"}));
  EXPECT_TRUE(has(e.message, "report.ack_queue: 512 is out of range [1024, 16777216]")) << e.message;
  e = err(load_config("", {"report.ack_log=maybe"}));
  EXPECT_EQ(e.key, "report.ack_log");
  EXPECT_TRUE(has(e.message, "expected a boolean, got string")) << e.message;
}

TEST(Config, WallClockLatencyIsOffByDefaultAndMustBeABoolean) {
  EXPECT_FALSE(ok(load_config("", {})).ingest.wall_clock_latency) << "off unless the clocks are PTP-synchronised";
  EXPECT_TRUE(ok(load_config("", {"ingest.wall_clock_latency=true"})).ingest.wall_clock_latency);
  const ConfigError e = err(load_config("", {"ingest.wall_clock_latency=1"}));
  EXPECT_EQ(e.key, "ingest.wall_clock_latency");
  EXPECT_TRUE(has(e.message, "expected a boolean")) << e.message;
  const TempToml file("[ingest]\nwall_clock_latency = \"yes\"\n");
  const ConfigError f = err(load_config(file.path(), {}));
  EXPECT_EQ(f.key, "ingest.wall_clock_latency");
  EXPECT_TRUE(has(f.message, "expected a boolean, got string")) << f.message;
}

TEST(Config, OutOfRangeNamesTheRange) {
  const ConfigError e = err(load_config("", {"ingest.burst=65"}));
  EXPECT_TRUE(has(e.message, "ingest.burst: 65 is out of range [1, 64]")) << e.message;
  EXPECT_TRUE(has(e.message, "(from --set)")) << e.message;
}

TEST(Config, RingBelowTheIngestMinimumIsRejected) {
  const ConfigError e = err(load_config("", {"ring.capacity=256"}));
  EXPECT_EQ(e.key, "ring.capacity");
  EXPECT_TRUE(has(e.message, "ring.capacity: 256 is out of range")) << e.message;
}

TEST(Config, IntegersMustFitTheirField) {
  EXPECT_TRUE(has(err(load_config("", {"cores.ingest=5000"})).message, "cores.ingest: 5000 is out of range"));
  EXPECT_TRUE(has(err(load_config("", {"ingest.udp_port=70000"})).message, "ingest.udp_port: 70000 is out of range"));
  EXPECT_TRUE(has(err(load_config("", {"port.rx_descriptors=32768"})).message, "port.rx_descriptors"));
  // Past int64: TOML cannot hold it, so it arrives as a string and is refused as one.
  EXPECT_TRUE(has(err(load_config("", {"run.events=99999999999999999999"})).message,
                  "run.events: expected an integer, got string"));
}

TEST(Config, EnumListsTheAllowedValues) {
  const ConfigError e = err(load_config("", {"eal.hugepages=\"sometimes\""}));
  EXPECT_TRUE(has(e.message, "auto | required | off")) << e.message;
}

TEST(Config, SetOverridesIntegersStringsAndBooleans) {
  const Config c = ok(load_config("", {"ring.capacity=1024", "eal.hugepages=\"off\"", "analytics.enabled=false",
                                       "run.duration_s=2.5", "run.rate_pps=1000"}));
  EXPECT_EQ(c.ring.capacity, 1024);
  EXPECT_EQ(c.eal.hugepages, HugepagePolicy::off);
  EXPECT_FALSE(c.analytics.enabled);
  EXPECT_DOUBLE_EQ(c.run.duration_s, 2.5);
  EXPECT_DOUBLE_EQ(c.run.rate_pps, 1000.0);
}

TEST(Config, EnumErrorFromAFileHasItsLocation) {
  TempToml f("[cores]\nidle = \"yield\"\n");
  const ConfigError e = err(load_config(f.path(), {}));
  EXPECT_EQ(e.key, "cores.idle");
  EXPECT_TRUE(has(e.message, "\"yield\" is not one of spin | pause")) << e.message;
  EXPECT_TRUE(has(e.message, f.path() + ":2:")) << e.message;
}

TEST(Config, BackoffIsRejectedForHotThreadsWithTheReasonAndAllowedForHousekeeping) {
  TempToml f("[cores]\nidle = \"backoff\"\n");
  const ConfigError e = err(load_config(f.path(), {}));
  EXPECT_EQ(e.key, "cores.idle");
  EXPECT_TRUE(has(e.message, "housekeeping consumers only")) << e.message;
  EXPECT_TRUE(has(e.message, "cores.housekeeping_idle")) << e.message;
  EXPECT_TRUE(has(e.message, f.path() + ":2:")) << e.message;
  for (const char* v : {"spin", "pause", "backoff"}) {
    EXPECT_EQ(to_string(ok(load_config("", {std::string("cores.housekeeping_idle=") + v})).cores.housekeeping_idle), v);
  }
  EXPECT_EQ(err(load_config("", {"cores.housekeeping_idle=\"yield\""})).key, "cores.housekeeping_idle");
}

TEST(Config, PreflightKeysAreRangeChecked) {
  const Config c = ok(load_config("", {"preflight.jitter_s=0", "preflight.c2c_samples=0"}));
  EXPECT_DOUBLE_EQ(c.preflight.jitter_s, 0.0);
  EXPECT_EQ(c.preflight.c2c_samples, 0);
  EXPECT_EQ(err(load_config("", {"preflight.jitter_s=-1"})).key, "preflight.jitter_s");
  EXPECT_EQ(err(load_config("", {"preflight.jitter_s=61"})).key, "preflight.jitter_s");
  EXPECT_EQ(err(load_config("", {"preflight.c2c_samples=-5"})).key, "preflight.c2c_samples");
}

TEST(Config, SetAcceptsABareWordAsAString) {
  const Config c = ok(load_config("", {"eal.hugepages=off", "http.listen=127.0.0.1:9100",
                                       "port.vdev=net_pcap0,rx_pcap=x.pcap"}));
  EXPECT_EQ(c.eal.hugepages, HugepagePolicy::off);
  EXPECT_EQ(c.http.listen, "127.0.0.1:9100");
  EXPECT_EQ(c.port.vdev, "net_pcap0,rx_pcap=x.pcap");
}

TEST(Config, SetBooleanAndBlanksAroundTheEqualsSign) {
  const Config c = ok(load_config("", {"port.promiscuous=false", " ring.capacity = 2048 "}));
  EXPECT_FALSE(c.port.promiscuous);
  EXPECT_EQ(c.ring.capacity, 2048);
}

TEST(Config, SetWrongTypeNamesTheKeyAndSaysFromSet) {
  const ConfigError e = err(load_config("", {"ring.capacity=big"}));
  EXPECT_EQ(e.key, "ring.capacity");
  EXPECT_EQ(e.message, "ring.capacity: expected an integer, got string (from --set)");
}

TEST(Config, SetCannotSmuggleASecondKey) {
  // A newline would otherwise make "v = 1\nring.capacity = 3" valid TOML with two keys.
  EXPECT_EQ(err(load_config("", {"run.events=1\nring.capacity = 3"})).key, "run.events");
}

TEST(Config, SetWinsOverTheFileAndLaterSetWinsOverEarlier) {
  TempToml f("[ring]\ncapacity = 1024\n");
  EXPECT_EQ(ok(load_config(f.path(), {"ring.capacity=2048", "ring.capacity=4096"})).ring.capacity, 4096);
}

TEST(Config, SetOfAnUnknownKeyOrWithoutEqualsIsRejected) {
  const ConfigError unknown = err(load_config("", {"ring.nonsense=3"}));
  EXPECT_EQ(unknown.key, "ring.nonsense");
  EXPECT_EQ(unknown.message, "unknown key 'ring.nonsense' (from --set)");
  EXPECT_TRUE(has(err(load_config("", {"ring.capacity"})).message, "expected key=value"));
  EXPECT_TRUE(has(err(load_config("", {"=3"})).message, "expected key=value"));
}

TEST(Config, MissingFileIsNamed) {
  const ConfigError e = err(load_config("/nonexistent/tickpath.toml", {}));
  EXPECT_TRUE(has(e.message, "/nonexistent/tickpath.toml")) << e.message;
}

TEST(Config, ParseErrorCarriesLineAndColumn) {
  TempToml f("[ring]\ncapacity = = 3\n");
  const ConfigError e = err(load_config(f.path(), {}));
  EXPECT_TRUE(has(e.message, f.path() + ":2:")) << e.message;
  EXPECT_GT(e.message.size(), f.path().size() + 8) << "toml++'s description is missing: " << e.message;
}

TEST(Config, ExactlyOneOfVdevAndPci) {
  EXPECT_TRUE(has(err(load_config("", {"port.pci=\"0000:3b:00.0\""})).message, "exactly one"));
  EXPECT_TRUE(has(err(load_config("", {"port.vdev=\"\""})).message, "exactly one"));
  EXPECT_EQ(ok(load_config("", {"port.vdev=\"\"", "port.pci=\"0000:3b:00.0\""})).port.pci, "0000:3b:00.0");
}

TEST(Config, EalArgsMustBeStrings) {
  TempToml f("[eal]\nargs = [\"--log-level=8\", 3]\n");
  EXPECT_TRUE(has(err(load_config(f.path(), {})).message, "array of strings"));
}

TEST(Config, JsonHasEveryKeyWithItsEffectiveValue) {
  const Config c = ok(load_config("", {"ring.capacity=4096"}));
  const nlohmann::json j = to_json(c);
  EXPECT_EQ(j["ring"]["capacity"], 4096);
  EXPECT_EQ(j["port"]["vdev"], "net_null0");
  EXPECT_EQ(j["cores"]["ingest"], -1);
  EXPECT_EQ(j["eal"]["args"], nlohmann::json::array());
  EXPECT_DOUBLE_EQ(j["run"]["duration_s"].get<double>(), 10.0);
  EXPECT_EQ(j.size(), 15u) << "one object per table";
  for (const std::string& key : known_keys()) {
    const std::string table = key.substr(0, key.find('.'));
    const std::string leaf = key.substr(key.find('.') + 1);
    // A nested key (ingest.lines.a.vdev) is a nested object: looked up by JSON pointer.
    std::string pointer = "/" + leaf;
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    EXPECT_TRUE(j.contains(table) && j[table].contains(nlohmann::json::json_pointer(pointer))) << key;
  }
}

TEST(Config, FailureScheduleParsesWindowsAndRejectsBadOnes) {
  TempToml f("[[failure.schedule]]\nscenario = \"market_data_outage\"\nat_event = 2_000_000\nfor_events = 1_000_000\n"
             "[[failure.schedule]]\nscenario = \"execution_failure\"\nat_event = 100\nfor_events = 5\n");
  const Config c = ok(load_config(f.path(), {}));
  ASSERT_EQ(c.failure.schedule.size(), 2u);
  EXPECT_EQ(c.failure.schedule[0].scenario, "market_data_outage");
  EXPECT_EQ(c.failure.schedule[0].at_event, 2'000'000);
  EXPECT_EQ(c.failure.schedule[0].for_events, 1'000'000);
  EXPECT_EQ(to_json(c)["failure"]["schedule"][1]["at_event"], 100);

  EXPECT_TRUE(has(err(load_config("", {"failure.schedule=[{scenario=\"meteor\", at_event=1, for_events=1}]"})).message,
                  "scenario must be"));
  EXPECT_TRUE(has(err(load_config("", {"failure.schedule=[{scenario=\"execution_failure\", at_event=1}]"})).message,
                  "needs scenario, at_event and for_events"));
  EXPECT_TRUE(has(err(load_config("", {"failure.schedule=[{scenario=\"execution_failure\", at_event=1, for_events=10},"
                                       "{scenario=\"execution_failure\", at_event=5, for_events=10}]"})).message,
                  "overlap"));
}

// ---- issue 14: hostile values that used to pass validation ---------------------------------------

TEST(Config, ScheduleWindowsWhoseEndOverflowsAreRejectedNotWrappedIntoNoOverlap) {
  // at_event + for_events used to overflow int64 (undefined), letting overlapping windows through.
  const ConfigError e = err(load_config("", {"failure.schedule=[{scenario=\"execution_failure\", at_event=10, for_events=10},"
                                             "{scenario=\"execution_failure\", at_event=9223372036854775800, "
                                             "for_events=9223372036854775800}]"}));
  EXPECT_EQ(e.key, "failure.schedule");
  EXPECT_TRUE(has(e.message, "past 2^63 - 1")) << e.message;
  EXPECT_TRUE(has(err(load_config("", {"failure.schedule=[{scenario=\"execution_failure\", at_event=1, for_events=1000},"
                                       "{scenario=\"execution_failure\", at_event=2, "
                                       "for_events=9223372036854775805}]"})).message,
                  "overlap"));
}

TEST(Config, WarmupStepsAndRunDurationHaveSaneRanges) {
  const ConfigError steps = err(load_config("", {"warmup.steps=9223372036854775807"}));
  EXPECT_EQ(steps.key, "warmup.steps");
  EXPECT_TRUE(has(steps.message, "out of range [0, 1000000000]")) << steps.message;
  const ConfigError tiny = err(load_config("", {"run.duration_s=1e-300"}));
  EXPECT_EQ(tiny.key, "run.duration_s");
  EXPECT_TRUE(has(tiny.message, "out of range")) << tiny.message;
  EXPECT_EQ(err(load_config("", {"run.duration_s=nan"})).key, "run.duration_s");
  EXPECT_DOUBLE_EQ(ok(load_config("", {"run.duration_s=0.1"})).run.duration_s, 0.1);
}

TEST(Config, MbufsMustCoverTheRxRingTheCacheAndABurst) {
  const ConfigError e = err(load_config("", {"port.rx_descriptors=16384", "port.mbufs=511", "port.mbuf_cache=0"}));
  EXPECT_EQ(e.key, "port.mbufs");
  EXPECT_TRUE(has(e.message, "port.rx_descriptors (16384)")) << e.message;
  ok(load_config("", {"port.rx_descriptors=512", "port.mbufs=1023", "port.mbuf_cache=128"}));
}

TEST(Config, MaxLagBeyondTheRingIsRejected) {
  const ConfigError e = err(load_config("", {"ring.capacity=4096", "health.max_lag_events=4097"}));
  EXPECT_EQ(e.key, "health.max_lag_events");
  EXPECT_TRUE(has(e.message, "beyond ring.capacity (4096)")) << e.message;
  EXPECT_EQ(ok(load_config("", {"ring.capacity=4096", "health.max_lag_events=4096"})).health.max_lag_events, 4096);
}

TEST(Config, HttpListenMustParseAsAnAddress) {
  for (const char* bad : {"http.listen=not-an-address", "http.listen=\"not-an-address:80\"", "http.listen=\"127.0.0.1\"",
                          "http.listen=\"127.0.0.1:65536\"", "http.listen=\"::1:80\"", "http.listen=\"[::zz]:80\"",
                          "http.listen=\"127.0.0.1:-1\""}) {
    const ConfigError e = err(load_config("", {bad}));
    EXPECT_EQ(e.key, "http.listen") << bad;
    EXPECT_TRUE(has(e.message, "http.listen: ")) << e.message;
  }
  for (const char* good : {"http.listen=\"\"", "http.listen=\"127.0.0.1:0\"", "http.listen=\"[::1]:9109\"",
                           "http.listen=\"localhost:9109\""}) {
    ok(load_config("", {good}));
  }
}

TEST(Config, SetValuesThatAreNotUtf8AreRejectedNamingTheKey) {
  // Used to be accepted, then abort the run at its end when summary.json was written.
  const ConfigError e = err(load_config("", {"report.dir=\xff\xfe"}));
  EXPECT_EQ(e.key, "report.dir");
  EXPECT_TRUE(has(e.message, "--set report.dir: not valid UTF-8")) << e.message;
  EXPECT_TRUE(has(err(load_config("", {"eal.file_prefix=\"a\xc3\""})).message, "eal.file_prefix"));
  EXPECT_TRUE(has(err(load_config("", {"\xff=1"})).message, "not valid UTF-8"));
  EXPECT_EQ(ok(load_config("", {"report.dir=r\xc3\xa9sultats"})).report.dir, "r\xc3\xa9sultats");
}

}  // namespace
}  // namespace tickpath::config

namespace tickpath::config {
namespace {

TEST(ConfigLines, OneLineIsTheDefaultAndLineBTurnsArbitrationOn) {
  EXPECT_FALSE(ok(load_config("", {})).ingest.lines.two());
  const Config c = ok(load_config("", {"ingest.format=\"moldudp64\"", "ingest.lines.a.vdev=\"net_pcap0,rx_pcap=a.pcap\"",
                                       "ingest.lines.b.vdev=\"net_pcap1,rx_pcap=b.pcap\"", "ingest.lines.window=65536"}));
  EXPECT_TRUE(c.ingest.lines.two());
  EXPECT_EQ(c.ingest.lines.window, 65536);
}

TEST(ConfigLines, NestedTablesInAFileLoad) {
  TempToml f("[ingest]\nformat = \"moldudp64\"\n[ingest.lines.a]\npci = \"0000:01:00.0\"\n"
             "[ingest.lines.b]\npci = \"0000:01:00.1\"\nudp_port = 30002\n");
  const Config c = ok(load_config(f.path(), {}));
  EXPECT_EQ(c.ingest.lines.b.udp_port, 30002);
  EXPECT_EQ(c.ingest.lines.a.pci, "0000:01:00.0");
}

TEST(ConfigLines, EachMistakeIsRejectedNamingTheKey) {
  const std::string mold = "ingest.format=\"moldudp64\"";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{mold, "ingest.lines.b.vdev=\"net_pcap1\""}, "ingest.lines.a.vdev"},
      {{mold, "ingest.lines.a.vdev=\"net_pcap0\""}, "ingest.lines.b.vdev"},
      {{mold, "ingest.lines.a.vdev=\"net_pcap0\"", "ingest.lines.b.vdev=\"net_pcap0,x=1\""}, "ingest.lines.b.vdev"},
      {{mold, "ingest.lines.a.vdev=\"net_pcap0\"", "ingest.lines.b.pci=\"0000:01:00.1\""}, "ingest.lines.b.pci"},
      {{"ingest.lines.a.vdev=\"net_pcap0\"", "ingest.lines.b.vdev=\"net_pcap1\""}, "ingest.format"},
      {{"ingest.lines.window=1000"}, "ingest.lines.window"},
      {{"ingest.lines.c.vdev=\"x\""}, "ingest.lines.c.vdev"},
  };
  for (const auto& [sets, key] : cases) {
    const ConfigError e = err(load_config("", sets));
    EXPECT_EQ(e.key, key) << e.message;
    EXPECT_NE(e.message.find(key.substr(0, key.rfind('.'))), std::string::npos) << e.message;
  }
}

TEST(ConfigLines, LineAIsThePortWithOneLineAndEachLineFallsBackToTheIngestUdpPort) {
  const Config one = ok(load_config("", {"port.vdev=\"net_pcap0,rx_pcap=x.pcap\"", "ingest.udp_port=31000"}));
  EXPECT_EQ(ingest_line(one, 0).vdev, "net_pcap0,rx_pcap=x.pcap");
  EXPECT_EQ(ingest_line(one, 0).udp_port, 31000);
  EXPECT_TRUE(ingest_line(one, 1).vdev.empty() && ingest_line(one, 1).pci.empty()) << "one line: no line B";

  const Config two = ok(load_config("", {"ingest.format=\"moldudp64\"", "ingest.udp_port=31000",
                                         "ingest.lines.a.vdev=\"net_pcap1\"", "ingest.lines.b.vdev=\"net_pcap2\"",
                                         "ingest.lines.b.udp_port=32000"}));
  EXPECT_EQ(ingest_line(two, 0).vdev, "net_pcap1") << "line A replaces port.vdev";
  EXPECT_EQ(ingest_line(two, 0).udp_port, 31000);
  EXPECT_EQ(ingest_line(two, 1).vdev, "net_pcap2");
  EXPECT_EQ(ingest_line(two, 1).udp_port, 32000);
}

TEST(ConfigDevices, AVdevIsNamedByItsFirstFieldAndAPciPortByItsAddress) {
  EXPECT_EQ(device_name("net_pcap0,rx_pcap=x.pcap,tx_pcap=y.pcap", ""), "net_pcap0");
  EXPECT_EQ(device_name("net_null0", ""), "net_null0");
  EXPECT_EQ(device_name("", "0000:3b:00.0"), "0000:3b:00.0");
}

TEST(ConfigChoices, EveryChoiceRoundTripsThroughItsNameAndTheEffectiveConfigPrintsTheName) {
  for (const auto& c : choices(HousekeepingIdle{})) EXPECT_EQ(parse_choice<HousekeepingIdle>(c.name), c.value);
  for (const auto& c : choices(HugepagePolicy{})) EXPECT_EQ(to_string(c.value), c.name);
  EXPECT_FALSE(parse_choice<SinkKind>("Metrics").has_value()) << "names are exact, as TOML strings are";
  const Config c = ok(load_config("", {"eal.hugepages=off", "ingest.format=\"moldudp64\"", "cores.idle=spin",
                                       "cores.housekeeping_idle=pause", "observability.sink=null"}));
  const nlohmann::json j = to_json(c);
  EXPECT_EQ(j["eal"]["hugepages"], "off");
  EXPECT_EQ(j["ingest"]["format"], "moldudp64");
  EXPECT_EQ(j["cores"]["idle"], "spin");
  EXPECT_EQ(j["cores"]["housekeeping_idle"], "pause");
  EXPECT_EQ(j["observability"]["sink"], "null");
  EXPECT_EQ(to_json(ok(load_config("", {})))["eal"]["hugepages"], "auto") << "the policy 'automatic' is spelled auto";
}

TEST(ConfigLines, RxQueueAndMulticastGroupLoadPerLine) {
  TempToml f("[ingest]\nformat = \"moldudp64\"\n[ingest.lines.a]\npci = \"0000:01:00.0\"\nrx_queue = 2\n"
             "multicast = \"239.1.1.1\"\n[ingest.lines.b]\npci = \"0000:01:00.1\"\nmulticast = \"224.0.0.0\"\n");
  const Config c = ok(load_config(f.path(), {}));
  EXPECT_EQ(c.ingest.lines.a.rx_queue, 2);
  EXPECT_EQ(c.ingest.lines.b.rx_queue, 0);
  EXPECT_EQ(c.ingest.lines.a.multicast, "239.1.1.1");
  EXPECT_EQ(c.ingest.lines.b.multicast, "224.0.0.0");
  EXPECT_EQ(to_json(c)["ingest"]["lines"]["a"]["multicast"], "239.1.1.1");
  EXPECT_EQ(to_json(c)["ingest"]["lines"]["a"]["rx_queue"], 2);
}

TEST(ConfigLines, AMulticastGroupOutside224Slash4OrNotADottedQuadIsRejectedNamingTheKey) {
  for (const char* bad : {"10.0.0.1", "240.0.0.1", "223.255.255.255", "255.255.255.255", "239.1", "239.1.1.256",
                          "0xef.1.1.1", "239.1.1.1 ", "ff02::1", "group"}) {
    for (const char* line : {"a", "b"}) {
      const std::string key = std::string("ingest.lines.") + line + ".multicast";
      const ConfigError e = err(load_config("", {key + "=\"" + bad + "\""}));
      EXPECT_EQ(e.key, key) << bad << ": " << e.message;
      EXPECT_NE(e.message.find(key), std::string::npos) << e.message;
      EXPECT_NE(e.message.find("224.0.0.0/4"), std::string::npos) << e.message;
    }
  }
  const ConfigError typed = err(load_config("", {"ingest.lines.b.multicast=239"}));
  EXPECT_EQ(typed.key, "ingest.lines.b.multicast") << typed.message;
}

TEST(ConfigLines, AnRxQueueOutOfRangeIsRejectedNamingTheKey) {
  for (const char* bad : {"-1", "1024", "\"1\"", "1.5"}) {
    for (const char* line : {"a", "b"}) {
      const std::string key = std::string("ingest.lines.") + line + ".rx_queue";
      const ConfigError e = err(load_config("", {key + "=" + bad}));
      EXPECT_EQ(e.key, key) << bad << ": " << e.message;
      EXPECT_NE(e.message.find(key), std::string::npos) << e.message;
    }
  }
}

TEST(ConfigLines, PerLineQueueOrGroupWithoutLineBIsRejectedNotIgnored) {
  for (const char* set : {"ingest.lines.a.rx_queue=1", "ingest.lines.b.rx_queue=1", "ingest.lines.a.multicast=\"239.1.1.1\"",
                          "ingest.lines.b.multicast=\"239.1.1.2\""}) {
    const std::string key = std::string(set).substr(0, std::string(set).find('='));
    const ConfigError e = err(load_config("", {"ingest.format=\"moldudp64\"", set}));
    EXPECT_EQ(e.key, key) << e.message;
    EXPECT_NE(e.message.find("no line B"), std::string::npos) << e.message;
  }
}

}  // namespace
}  // namespace tickpath::config

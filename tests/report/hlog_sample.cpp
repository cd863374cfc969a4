// Writes a latency.hlog of known histograms and what HdrHistogram should read from it, for the
// test that decodes the log with HdrHistogram's own JavaScript implementation (hdr-histogram-js):
//   hlog_sample OUT_DIR  →  OUT_DIR/sample.hlog, OUT_DIR/expected.json
#include <cstdio>
#include <fstream>
#include <random>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/hgrm.hpp"
#include "report/hlog.hpp"

int main(int argc, char** argv) {
  using namespace tickpath::report;
  if (argc != 2) {
    std::fprintf(stderr, "usage: hlog_sample OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::string log = render_hlog_header(1764000000.5);
  nlohmann::json expected = nlohmann::json::array();
  std::mt19937_64 rng(42);
  for (int interval = 0; interval < 3; ++interval) {
    for (const char* tag : {"ingest_to_ack", "queue", "empty"}) {
      HdrHistogram h;
      if (std::string(tag) != "empty") {
        std::lognormal_distribution<double> body(tag[0] == 'i' ? 7.6 : 6.5, 0.5);
        for (int i = 0; i < 20000 + 1000 * interval; ++i) h.record(static_cast<std::int64_t>(body(rng)));
        h.record(12'000'000 + 1'000'000 * interval, 2);  // a stall in the tail
        h.record(5'000'000'000'000, 1);                  // clamped to the 1 h range
      }
      const HlogEntry e{tag, interval * 1.0, 1.0, h};
      log += render_hlog_line(e);
      nlohmann::json p = nlohmann::json::object();
      for (double q : {0.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) p[std::to_string(q)] = h.value_at_percentile(q);
      std::string hgrm = render_hgrm(h, tag);
      hgrm = hgrm.substr(0, hgrm.find("#[Unit"));  // tickpath's extra comment line
      expected.push_back({{"tag", tag}, {"start_s", e.start_s}, {"total", h.total_count()}, {"max", h.max()},
                          {"percentiles", p}, {"hgrm", hgrm}});
    }
  }
  // Small data sets with outliers, where the rank rule decides whether a tail percentile shows the
  // outlier (p99 of 160 values with 2 outliers is the first outlier; round-half-up hid it).
  struct Small {
    const char* tag;
    std::vector<std::pair<std::int64_t, std::uint64_t>> values;  // value, count
  };
  const std::vector<Small> smalls = {
      {"small_160_two_outliers", {{1'000, 158}, {250'000, 1}, {9'000'000, 1}}},
      {"small_7", {{900, 1}, {1'100, 1}, {1'200, 2}, {1'500, 1}, {40'000, 1}, {77'777, 1}}},
      {"small_2", {{1'000, 1}, {1'000'000, 1}}},
      {"small_1000_one_outlier", {{2'000, 999}, {123'456'789, 1}}},
      {"small_10001_outliers", {{5'000, 9'990}, {700'000, 10}, {3'000'000'000, 1}}},
  };
  for (const Small& sm : smalls) {
    HdrHistogram h;
    for (const auto& [v, n] : sm.values) h.record(v, n);
    const HlogEntry e{sm.tag, 3.0, 1.0, h};
    log += render_hlog_line(e);
    nlohmann::json p = nlohmann::json::object();
    for (double q : {0.0, 25.0, 50.0, 75.0, 90.0, 95.0, 98.0, 99.0, 99.5, 99.9, 99.99, 99.999, 100.0}) {
      p[std::to_string(q)] = h.value_at_percentile(q);
    }
    std::string hgrm = render_hgrm(h, sm.tag);
    hgrm = hgrm.substr(0, hgrm.find("#[Unit"));
    expected.push_back({{"tag", sm.tag}, {"start_s", e.start_s}, {"total", h.total_count()}, {"max", h.max()},
                        {"percentiles", p}, {"hgrm", hgrm}});
  }
  std::ofstream(dir + "/sample.hlog") << log;
  std::ofstream(dir + "/expected.json") << expected.dump(1);
  return 0;
}

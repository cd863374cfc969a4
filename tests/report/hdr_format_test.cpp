// The HdrHistogram formats: layout, percentiles, V2 encoding, base64, .hgrm, .hlog.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "control/metrics/bucket_layout.hpp"
#include "control/metrics/histogram.hpp"
#include "control/metrics/latency_summary.hpp"
#include "report/hdr_encoding.hpp"
#include "report/hdr_histogram.hpp"
#include "report/hgrm.hpp"
#include "report/hlog.hpp"

namespace tickpath::report {
namespace {

HdrHistogram latency_like(std::uint64_t seed, int n) {
  HdrHistogram h;
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> body(7.5, 0.4);  // ~2 µs
  for (int i = 0; i < n; ++i) h.record(static_cast<std::int64_t>(body(rng)));
  h.record(28'000'000, 3);  // a stall
  return h;
}

TEST(HdrHistogramLayout, TwoSignificantDigitsIsTickpathsBucketLayoutWithSevenSubBucketBits) {
  HdrHistogram hdr(std::int64_t{1} << 40, 2);
  const control::BucketLayout ours;  // sub_bucket_bits = 7
  ASSERT_EQ(hdr.sub_bucket_count(), 256);
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t v = rng() >> (24 + rng() % 40);
    ASSERT_EQ(hdr.index_of(static_cast<std::int64_t>(v)), ours.index_of(v)) << v;
  }
}

TEST(HdrHistogramLayout, IndexAndValueRoundTripAndEquivalentRangesNest) {
  const HdrHistogram h;
  for (std::int64_t v : {0L, 1L, 2047L, 2048L, 2049L, 4095L, 4096L, 123456789L, 3'599'999'999'999L}) {
    const std::size_t i = h.index_of(v);
    EXPECT_LE(h.lowest_equivalent(v), v);
    EXPECT_GE(h.highest_equivalent(v), v);
    EXPECT_EQ(h.value_from_index(i), h.lowest_equivalent(v));
    EXPECT_EQ(h.index_of(h.highest_equivalent(v)), i);
    EXPECT_EQ(h.index_of(h.highest_equivalent(v) + 1), i + 1);
    // 3 significant digits: a bucket is never wider than 1/1024 of its lowest value.
    EXPECT_LE(h.highest_equivalent(v) - h.lowest_equivalent(v), std::max<std::int64_t>(0, h.lowest_equivalent(v) / 1024));
  }
}

TEST(HdrHistogramAnswers, PercentilesFollowHdrHistogramsRankRule) {
  HdrHistogram h;
  for (int v = 1; v <= 1000; ++v) h.record(v);
  EXPECT_EQ(h.total_count(), 1000u);
  EXPECT_EQ(h.value_at_percentile(50), 500);
  EXPECT_EQ(h.value_at_percentile(99), 990);
  EXPECT_EQ(h.value_at_percentile(100), 1000);
  EXPECT_EQ(h.value_at_percentile(0), 1);
  EXPECT_EQ(h.max(), 1000);
  EXPECT_EQ(h.min(), 1);
  EXPECT_DOUBLE_EQ(h.mean(), 500.5);
}

TEST(HdrHistogramAnswers, ValuesAboveTheRangeAreClampedNotLost) {
  HdrHistogram h(1'000'000, 3);
  h.record(5'000'000'000, 2);
  EXPECT_EQ(h.total_count(), 2u);
  EXPECT_GE(h.max(), 1'000'000);
}

TEST(FromTicks, PercentilesMatchTheSummaryWithinTheNanosecondBucket) {
  control::Histogram ticks;
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> d(8.5, 0.6);
  for (int i = 0; i < 200000; ++i) ticks.record(static_cast<std::uint64_t>(d(rng)));
  const core::TscCalibration cal(2.4e9);
  const control::HistogramSnapshot snap = ticks.snapshot();
  const control::LatencySummary s = control::summarize(snap, cal);
  const HdrHistogram ns = from_ticks(snap, cal);
  EXPECT_EQ(ns.total_count(), s.count);
  for (const auto& [p, expected] : {std::pair{50.0, s.p50}, {99.0, s.p99}, {99.9, s.p99_9}, {100.0, s.max}}) {
    const double got = static_cast<double>(ns.value_at_percentile(p));
    EXPECT_NEAR(got, expected, expected / 1024 + 1.0) << "p" << p;
  }
}

TEST(Base64, EncodesTheRfc4648VectorsAndDecodesThemBack) {
  const std::vector<std::pair<std::string, std::string>> vectors{
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    const std::vector<std::uint8_t> bytes(plain.begin(), plain.end());
    EXPECT_EQ(base64_encode(bytes), encoded);
    std::vector<std::uint8_t> back;
    ASSERT_TRUE(base64_decode(encoded, back));
    EXPECT_EQ(back, bytes);
  }
  std::vector<std::uint8_t> out;
  EXPECT_FALSE(base64_decode("Zm9", out));
  EXPECT_FALSE(base64_decode("Zm9v!A==", out));
  EXPECT_FALSE(base64_decode("Zg==Zg==", out));
}

TEST(V2Encoding, DecodesBackToTheSameCountsAndPercentiles) {
  const HdrHistogram h = latency_like(3, 50000);
  const std::vector<std::uint8_t> bytes = encode_compressed(h);
  ASSERT_GE(bytes.size(), 8u);
  // The compressed cookie (big-endian), then zlib's header byte 0x78.
  EXPECT_EQ(bytes[0], 0x1c);
  EXPECT_EQ(bytes[3], 0x14);
  EXPECT_EQ(bytes[8], 0x78);
  auto decoded = decode_compressed(bytes);
  ASSERT_TRUE(std::holds_alternative<HdrHistogram>(decoded)) << std::get<std::string>(decoded);
  const HdrHistogram& back = std::get<HdrHistogram>(decoded);
  EXPECT_EQ(back, h);
  for (double p : {0.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) EXPECT_EQ(back.value_at_percentile(p), h.value_at_percentile(p));
  // Base64 form as it appears in a log line: "HISTF" is what every V2 compressed histogram starts with.
  EXPECT_EQ(base64_encode(bytes).substr(0, 5), "HISTF");
}

TEST(V2Encoding, AnEmptyHistogramAndLargeCountsRoundTrip) {
  HdrHistogram empty;
  auto e = decode_compressed(encode_compressed(empty));
  ASSERT_TRUE(std::holds_alternative<HdrHistogram>(e));
  EXPECT_EQ(std::get<HdrHistogram>(e).total_count(), 0u);
  HdrHistogram big;
  big.record(1000, std::uint64_t{1} << 60);  // the 9-byte LEB128 form
  big.record(1, 1);
  auto b = decode_compressed(encode_compressed(big));
  ASSERT_TRUE(std::holds_alternative<HdrHistogram>(b));
  EXPECT_EQ(std::get<HdrHistogram>(b), big);
}

TEST(V2Encoding, CorruptInputIsAnErrorThatSaysWhatIsWrong) {
  std::vector<std::uint8_t> bytes = encode_compressed(latency_like(4, 1000));
  std::vector<std::uint8_t> bad_cookie = bytes;
  bad_cookie[3] = 0x13;
  auto r1 = decode_compressed(bad_cookie);
  ASSERT_TRUE(std::holds_alternative<std::string>(r1));
  EXPECT_NE(std::get<std::string>(r1).find("cookie"), std::string::npos);
  std::vector<std::uint8_t> truncated(bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() / 2));
  auto r2 = decode_compressed(truncated);
  ASSERT_TRUE(std::holds_alternative<std::string>(r2));
  EXPECT_NE(std::get<std::string>(r2).find("length"), std::string::npos);
  std::vector<std::uint8_t> flipped = bytes;
  flipped[bytes.size() / 2] ^= 0xff;
  EXPECT_TRUE(std::holds_alternative<std::string>(decode_compressed(flipped)));
  EXPECT_TRUE(std::holds_alternative<std::string>(decode_compressed({1, 2, 3})));
}

TEST(Hgrm, ParsesBackToTheHistogramsPercentilesAndFooter) {
  HdrHistogram h;
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::int64_t> d(500, 50000);
  for (int i = 0; i < 1000; ++i) h.record(d(rng));
  const std::string text = render_hgrm(h, "ingest_to_ack");
  EXPECT_EQ(text.rfind("       Value     Percentile TotalCount 1/(1-Percentile)\n\n", 0), 0u) << text.substr(0, 80);
  auto parsed = parse_hgrm(text);
  ASSERT_TRUE(std::holds_alternative<Hgrm>(parsed)) << std::get<std::string>(parsed);
  const Hgrm& g = std::get<Hgrm>(parsed);
  ASSERT_GT(g.rows.size(), 20u);
  EXPECT_EQ(g.total_count, h.total_count());
  EXPECT_EQ(g.rows.back().total_count, h.total_count());
  EXPECT_DOUBLE_EQ(g.rows.back().percentile, 1.0);
  EXPECT_NEAR(g.max, static_cast<double>(h.max()) / 1000.0, 0.0005);
  EXPECT_NEAR(g.mean, h.mean() / 1000.0, 0.0005);
  EXPECT_NEAR(g.stddev, h.stddev() / 1000.0, 0.0005);
  EXPECT_EQ(g.buckets, h.bucket_count());
  EXPECT_EQ(g.sub_buckets, h.sub_bucket_count());
  // Where a reporting level is an exact rank of the 1000 values, the row's value is the percentile.
  int exact = 0;
  for (const HgrmRow& r : g.rows) {
    const double rank = r.percentile * 1000.0;
    if (r.percentile == 0.0 || std::fabs(rank - std::round(rank)) > 1e-6) continue;
    ++exact;
    EXPECT_NEAR(r.value, static_cast<double>(h.value_at_percentile(r.percentile * 100.0)) / 1000.0, 0.0005) << r.percentile;
  }
  EXPECT_GE(exact, 10);
}

TEST(Hgrm, MalformedTextIsRejectedWithTheLine) {
  auto r = parse_hgrm("       Value     Percentile TotalCount 1/(1-Percentile)\n\n  1.0 0.5 x\n");
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("line 3"), std::string::npos);
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_hgrm("no header\n")));
}

TEST(Hlog, EveryIntervalOfEveryTagDecodesBackWithItsTimes) {
  std::string text = render_hlog_header(1764000000.25);
  std::vector<HlogEntry> written;
  for (int i = 0; i < 3; ++i) {
    for (const char* tag : {"ingest_to_ack", "queue"}) {
      written.push_back({tag, static_cast<double>(i), 1.0, latency_like(static_cast<std::uint64_t>(10 * i + tag[0]), 2000 + i)});
      text += render_hlog_line(written.back());
    }
  }
  EXPECT_NE(text.find("#[Histogram log format version 1.3]\n"), std::string::npos);
  EXPECT_NE(text.find("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"), std::string::npos);
  auto parsed = parse_hlog(text);
  ASSERT_TRUE(std::holds_alternative<Hlog>(parsed)) << std::get<std::string>(parsed);
  const Hlog& log = std::get<Hlog>(parsed);
  EXPECT_NEAR(log.start_epoch_s, 1764000000.25, 1e-3);
  EXPECT_NEAR(log.base_epoch_s, 1764000000.25, 1e-3);
  ASSERT_EQ(log.entries.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    EXPECT_EQ(log.entries[i].tag, written[i].tag);
    EXPECT_NEAR(log.entries[i].start_s, written[i].start_s, 1e-3);
    EXPECT_NEAR(log.entries[i].length_s, written[i].length_s, 1e-3);
    EXPECT_EQ(log.entries[i].histogram, written[i].histogram);
  }
}

TEST(Hlog, ACorruptLineIsNamed) {
  std::string text = render_hlog_header(1.0) + render_hlog_line({"a", 0, 1, latency_like(1, 10)});
  text += "Tag=a,1.000,1.000,0.010,HISTFAAAAbad!\n";
  auto r = parse_hlog(text);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("line 7"), std::string::npos) << std::get<std::string>(r);
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_hlog("Tag=a,0,1,0,AAAA\n")));  // no version header
}

}  // namespace
}  // namespace tickpath::report

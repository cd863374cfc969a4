// gen's request: every option that is wrong is named, the typed specs are derived from the
// options once, and what gen prints and reports of a capture reads the same figures.
#include <string>

#include <gtest/gtest.h>

#include "wire/feed_request.hpp"

namespace tickpath::wire {
namespace {

FeedRequest usable() {
  FeedRequest r;
  r.pcap = "/tmp/feed.pcap";
  r.frames = 100;
  return r;
}

TEST(FeedRequest, AUsableRequestDerivesTheLoadAndFeedSpecsFromItsOptions) {
  FeedRequest r = usable();
  r.shape = "burst";
  r.burst_interval_us = 250;
  r.duration_s = 2.0;
  r.malformed_ratio = 0.01;
  r.session = "ABC";
  r.dst_ip = "10.1.2.3";
  ASSERT_EQ(prepare_feed_request(r), "");
  EXPECT_EQ(r.load.shape, Shape::burst);
  EXPECT_EQ(r.load.burst_interval_ns, 250'000.0);
  EXPECT_EQ(r.load.ramp_ns, 2e9);
  EXPECT_EQ(r.feed.malformed_every, 100u);
  EXPECT_EQ(r.feed.frame.session, "ABC");
  const FeedPlan plan = feed_plan(r);
  EXPECT_TRUE(plan.limit_reached(100, 0));
  EXPECT_TRUE(plan.limit_reached(0, 2e9));
  EXPECT_FALSE(plan.limit_reached(99, 1.9e9));
}

TEST(FeedRequest, EachWrongOptionIsRejectedByName) {
  const auto error = [](auto change) {
    FeedRequest r = usable();
    change(r);
    return prepare_feed_request(r);
  };
  EXPECT_EQ(error([](FeedRequest& r) { r.vdev = "net_null0"; }), "give exactly one of --pcap FILE, --vdev SPEC, --pci ADDR");
  EXPECT_EQ(error([](FeedRequest& r) { r.frames.reset(); }), "give --duration SECONDS or --frames N");
  EXPECT_EQ(error([](FeedRequest& r) { r.shape = "saw"; }), "--shape 'saw' is not one of constant, burst, ramp, poisson");
  EXPECT_EQ(error([](FeedRequest& r) { r.malformed_ratio = 0.6; }), "--malformed-ratio must be in 0..0.5 (got 0.6)");
  EXPECT_EQ(error([](FeedRequest& r) { r.dst_mac = "zz"; }), "--dst-mac 'zz' is not a MAC address (aa:bb:cc:dd:ee:ff)");
  EXPECT_EQ(error([](FeedRequest& r) { r.src_ip = "10.0.0"; }), "--src-ip '10.0.0' is not an IPv4 address");
  EXPECT_EQ(error([](FeedRequest& r) { r.lines = 3; }), "--lines must be 1 or 2 (got 3)");
  EXPECT_EQ(error([](FeedRequest& r) { r.skew_us = 5; }), "--drop-every-a/b, --reorder-every-a/b and --skew-us need --lines 2");
  EXPECT_EQ(error([](FeedRequest& r) { r.pcap.clear(), r.vdev = "net_null0", r.lines = 2; }),
            "--lines 2 sends on two ports: give --vdev-b SPEC or --pci-b ADDR for line B (or --pcap FILE)");
}

TEST(FeedRequest, TheSpecReportsTheTargetAndTheFeedAsAsked) {
  FeedRequest r = usable();
  ASSERT_EQ(prepare_feed_request(r), "");
  const nlohmann::json spec = spec_json(r);
  EXPECT_EQ(spec["target"], "pcap:/tmp/feed.pcap");
  EXPECT_EQ(spec["frames"], 100u);
  EXPECT_TRUE(spec["duration_s"].is_null());
  EXPECT_EQ(spec["session"], "TICKPATH01");
}

TEST(FeedRequest, BrokenFramesArePrintedByReasonOnlyWhenThereAreAny) {
  Injected in;
  in.frames = 10;
  EXPECT_EQ(format_injected(in).find("broken frames"), std::string::npos);
  in.broken[static_cast<std::size_t>(core::DropReason::truncated_udp)] = 2;
  EXPECT_NE(format_injected(in).find("broken frames by reason: truncated_udp=2\n"), std::string::npos);
}

TEST(FeedRequest, ATwoLineCaptureReportsEachLinesFaultsAndFiles) {
  FeedRequest r = usable();
  r.lines = 2;
  r.skew_us = 1.5;
  ASSERT_EQ(prepare_feed_request(r), "");
  PcapFeedResult w;
  w.injected.frames = 100;
  w.lines = {{100, 0, 0, 0}, {97, 3, 7, 1}};
  w.files = {"/tmp/feed.pcap-A", "/tmp/feed.pcap-B"};
  const std::string text = format_capture(r, w);
  EXPECT_EQ(text.rfind("gen: wrote /tmp/feed.pcap-A (100 frames) and /tmp/feed.pcap-B (97 frames), B +1.5us after A\n", 0), 0u);
  EXPECT_NE(text.find("line B: dropped 3 frames (7 messages)  reordered 1\n"), std::string::npos);
  const nlohmann::json report = capture_report(r, w);
  EXPECT_EQ(report["lines"]["B"]["dropped_frames"], 3u);
  EXPECT_EQ(report["lines"]["skew_us"], 1.5);
  EXPECT_FALSE(report.contains("tx"));
}

TEST(FeedRequest, AOneLineCaptureCountsEveryFrameAsSent) {
  FeedRequest r = usable();
  ASSERT_EQ(prepare_feed_request(r), "");
  PcapFeedResult w;
  w.injected.frames = 100;
  EXPECT_EQ(capture_report(r, w)["tx"], (nlohmann::json{{"sent", 100}, {"full_retries", 0}, {"no_mbuf", 0}}));
}

}  // namespace
}  // namespace tickpath::wire

// What gen prints and reports after a live send: per line, the queue's and the port's figures
// side by side, the skew as sent with two lines, and the lateness behind the schedule.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/dpdk/feed_ports.hpp"

namespace tickpath::platform {
namespace {

FeedSendResult two_line_send() {
  FeedSendResult s;
  s.injected.frames = 1000;
  s.lines = {{1000, 0, 0, 0}, {990, 10, 20, 0}};
  s.tx = {{1000, 3, 0}, {990, 0, 1}};
  s.elapsed_s = 2.0;
  s.lateness.record(100);
  s.sent_skew = {990, 990, 0, 900, 1000, 1100, 1500};
  return s;
}

TEST(FeedPorts, TheDeviceOfAVdevSpecIsItsNameBeforeTheArguments) {
  EXPECT_EQ(device_name("net_null0,size=64"), "net_null0");
  EXPECT_EQ(device_name("0000:01:00.0"), "0000:01:00.0");
}

TEST(FeedPorts, EachLinePrintsItsOwnQueueAndPortFiguresThenTheSkewAsSent) {
  const std::vector<PortStats> ports{{0, 0, 0, 0, 1000, 0}, {0, 0, 0, 0, 989, 1}};
  const std::string text = format_feed_sent(two_line_send(), ports, 1.0);
  EXPECT_NE(text.find("gen: line A sent 1000 frames in 2.00s"), std::string::npos) << text;
  EXPECT_NE(text.find("port opackets 989 oerrors 1; tx_full_retries 0  no_mbuf waits 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("line B: dropped 10 frames (20 messages)  reordered 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("B-A over 990 frames both lines sent: p50 +1000 ns"), std::string::npos) << text;
  EXPECT_NE(text.find("(asked +1.0us)"), std::string::npos) << text;
}

TEST(FeedPorts, TheReportKeepsLineAsTxAndEachLinesTxUnderLines) {
  const std::vector<PortStats> ports{{0, 0, 0, 0, 1000, 0}, {0, 0, 0, 0, 989, 1}};
  const nlohmann::json r = feed_sent_report({{"target", "vdev:x"}}, two_line_send(), ports, 1.0, true);
  EXPECT_EQ(r["spec"]["target"], "vdev:x");
  EXPECT_EQ(r["tx"]["sent"], 1000u);
  EXPECT_EQ(r["tx"]["stopped_by_signal"], true);
  EXPECT_EQ(r["lines"]["tx"]["B"]["port_oerrors"], 1u);
  EXPECT_EQ(r["lines"]["sent_skew"]["count"], 990u);
  EXPECT_EQ(r["lateness"]["count"], 1u);
}

TEST(FeedPorts, OneLineHasNoLinesSectionAndNoSkew) {
  FeedSendResult s = two_line_send();
  s.lines.clear();
  const std::vector<PortStats> ports{{0, 0, 0, 0, 1000, 0}};
  EXPECT_FALSE(feed_sent_report({}, s, ports, 0, false).contains("lines"));
  EXPECT_EQ(format_feed_sent(s, ports, 0).find("skew"), std::string::npos);
  EXPECT_EQ(format_feed_sent(s, ports, 0).rfind("gen: sent 1000 frames", 0), 0u);
}

}  // namespace
}  // namespace tickpath::platform

// The final table from one recorded summary.json (a 1 s run on the null PMD, its platform and
// config sections left out): the lines the run printed, the stages in report order.
#include <gtest/gtest.h>

#include "report/final_table.hpp"

namespace tickpath::report {
namespace {

const char* const kRecordedSummary =
    R"js({"commit": "d8a29b372614-dirty", "consumers": [{"consumed": 1372288, "idle": "pause", "lost": 0, "na)js"
    R"js(me": "execution", "overruns": 0}, {"bytes": 87826432, "consumed": 1372288, "idle": "backoff", "lost")js"
    R"js(: 0, "max_behind_ns": 28077968.702991396, "name": "analytics", "overruns": 0}], "duration_s": 1.0878)js"
    R"js(54865184674, "events": {"bursts": 42884, "drops": {"bad_ip_header": 0, "ip_fragment": 0, "ip_length_)js"
    R"js(mismatch": 0, "message_past_end": 0, "not_ipv4": 0, "not_udp": 0, "sequence_overflow": 0, "trailing_)js"
    R"js(bytes": 0, "truncated_ethernet": 0, "truncated_ip": 0, "truncated_moldudp64": 0, "truncated_udp": 0,)js"
    R"js( "udp_length_mismatch": 0, "wrong_port": 0}, "end_of_session": 0, "executed": 1362288, "feed": {"dup)js"
    R"js(licates": 0, "gaps": 0, "missing": 0, "out_of_order": 0, "recovered": 0, "untracked_frames": 0}, "fo)js"
    R"js(reign": 0, "frames": 1372288, "heartbeats": 0, "malformed": 0, "nic_errors": 0, "nic_ipackets": 1372)js"
    R"js(288, "nic_missed": 0, "nic_rx_nombuf": 0, "provisional": 10000, "published": 1372288, "received": 13)js"
    R"js(72288}, "latency": {"ack": {"count": 1362288, "max_ns": 20062959.84441076, "mean_ns": 61.99038405922)js"
    R"js(7104, "min_ns": 9.814321097330055, "negative": 0, "p50_ns": 10.22325114305214, "p90_ns": 20.03757224)js"
    R"js(0382193, "p99_99_ns": 863.2513265193227, "p99_9_ns": 370.8995514699316, "p99_ns": 70.33596786419872,)js"
    R"js( "saturated": 0}, "clock_skew_clamped": 0, "decision": {"count": 1362288, "max_ns": 24066917.8278795)js"
    R"js(5, "mean_ns": 5293.693169716639, "min_ns": 0.0, "negative": 0, "p50_ns": 752.0223540829154, "p90_ns")js"
    R"js(: 1347.424500654272, "p99_99_ns": 18545350.108768232, "p99_9_ns": 22611.78687820272, "p99_ns": 2224.)js"
    R"js(1705186824233, "saturated": 0}, "ingest_to_ack": {"count": 1362288, "max_ns": 28084250.277423732, "m)js"
    R"js(ean_ns": 17973.41309831301, "min_ns": 791.6885685179577, "negative": 0, "p50_ns": 2852.287068911547,)js"
    R"js( "p90_ns": 4762.8082425251305, "p99_99_ns": 20153328.47735479, "p99_9_ns": 43758.37740258321, "p99_n)js"
    R"js(s": 7536.989672703759, "saturated": 0}, "nic_to_ingest": {"count": 0, "max_ns": 0.0, "mean_ns": 0.0,)js"
    R"js( "min_ns": 0.0, "negative": 0, "p50_ns": 0.0, "p90_ns": 0.0, "p99_99_ns": 0.0, "p99_9_ns": 0.0, "p99)js"
    R"js(_ns": 0.0, "saturated": 0}, "queue": {"count": 1362288, "max_ns": 28077918.40459577, "mean_ns": 9365)js"
    R"js(.529711314457, "min_ns": 590.9039160684137, "negative": 0, "p50_ns": 1687.6542986950471, "p90_ns": 3)js"
    R"js(506.575142066884, "p99_99_ns": 16186981.834841285, "p99_9_ns": 31614.790764820158, "p99_ns": 5678.81)js"
    R"js(1544942602, "saturated": 0}, "wall_clock_negative": 0, "wall_to_ack": {"count": 0, "max_ns": 0.0, "m)js"
    R"js(ean_ns": 0.0, "min_ns": 0.0, "negative": 0, "p50_ns": 0.0, "p90_ns": 0.0, "p99_99_ns": 0.0, "p99_9_n)js"
    R"js(s": 0.0, "p99_ns": 0.0, "saturated": 0}, "wire_to_ack": {"count": 0, "max_ns": 0.0, "mean_ns": 0.0, )js"
    R"js("min_ns": 0.0, "negative": 0, "p50_ns": 0.0, "p90_ns": 0.0, "p99_99_ns": 0.0, "p99_9_ns": 0.0, "p99_)js"
    R"js(ns": 0.0, "saturated": 0}}, "latency_origin": {"ingest_to_ack_starts_at": "the rx burst's return: an)js"
    R"js( unpaced source has no intended time, so a stall of the ingest loop shows only in events that waited)js"
    R"js( in the ring, not in frames held before it", "paced": false}, "lifecycle": {"final": "READY", "histo)js"
    R"js(ry_dropped": 0, "transitions": [{"from": "INIT", "t_s": 1.8234190738747794e-06, "to": "WARMUP"}, {"f)js"
    R"js(rom": "WARMUP", "t_s": 0.00364583626913754, "to": "READY"}]}, "lines": null, "platform": {"hugepages)js"
    R"js(": false}, "shutdown": {"drained": true, "reason": "duration", "signal": ""}, "sink_cost": {"batches)js"
    R"js(": 42885, "max_batch_ns": 24065114.446377918, "note": "time inside sink.observe(), from the ack's co)js"
    R"js(mplete_tsc to the next stamp; in no latency stage", "ns_per_event": 228.61123311567252, "total_ns": )js"
    R"js(313720451.86984}, "throughput": {"acked_per_s": 1252269.9889463088, "events_per_s": 1252269.98894630)js"
    R"js(88, "over": "the window (window.duration_s)", "published_per_s": 1252269.9889463088}, "version": "0.)js"
    R"js(1.0", "wall_s": 1.090070336, "warmup": {"count": 10000, "max_ns": 59411.401692733205, "note": "acks )js"
    R"js(before the first READY decision: in no stage histogram and no throughput figure", "p50_ns": 3715.947)js"
    R"js(3254765917}, "window": {"acked": 1362288, "coverage": 1.0, "degraded": 0, "duration_s": 1.0878548651)js"
    R"js(84674, "end_s": 1.0915012023931177, "first_seq": 10000, "lost": 0, "open": true, "published": 136228)js"
    R"js(8, "start_s": 0.0036463372084435497, "starts_at": "the first READY decision (executor)"}})js";

// What that run printed, less the platform's nic_timestamps line (its platform is left out).
const char* const kPrinted =
    "\n"
    "================================ tickpath run ================================\n"
    "duration 1.09s  stopped by duration  lifecycle READY  hugepages no\n"
    "frames 1372288  published 1372288  malformed 0  foreign 0  nic_missed 0\n"
    "window 1.088s from the first READY (wall 1.09s)  published/s 1.25M  acked/s 1.25M  degraded acks 0\n"
    "warmup 10000 acks, outside every figure below: ingest_to_ack p50 3.72us max 59.41us\n"
    "feed gaps 0  missing 0  duplicates 0  out_of_order 0  heartbeats 0  end_of_session 0\n"
    "executed 1362288  provisional 10000\n"
    "consumer            consumed    overruns            lost\n"
    "execution            1372288           0               0\n"
    "analytics            1372288           0               0\n"
    "latency covers 100.0% of the 1362288 events published in the window: 1362288 acked, 0 lost (overwritten before the execution consumer read them)\n"
    "ingest_to_ack starts at the rx burst's return: an unpaced source has no intended time, so a stall of the ingest loop shows only in events that waited in the ring, not in frames held before it\n"
    "latency              count       min       p50       p99     p99.9    p99.99       max  satur.    neg.\n"
    "ingest_to_ack      1362288     792ns    2.85us    7.54us   43.76us    20.2ms    28.1ms       0       0\n"
    "wire_to_ack              0   (no sample: no message carried a sender timestamp)\n"
    "wall_to_ack              0   (no sample: ingest.wall_clock_latency off, or no sender wall time)\n"
    "nic_to_ingest            0   (no sample: no NIC hardware timestamp)\n"
    "queue              1362288     591ns    1.69us    5.68us   31.61us    16.2ms    28.1ms       0       0\n"
    "decision           1362288       0ns     752ns    2.22us   22.61us    18.5ms    24.1ms       0       0\n"
    "ack                1362288      10ns      10ns      70ns     371ns     863ns    20.1ms       0       0\n"
    "sink          229ns per ack (in no stage above; max 24.1ms per batch)\n";

TEST(FinalTable, ARecordedSummaryPrintsTheTableTheRunPrinted) {
  EXPECT_EQ(format_final_table(nlohmann::json::parse(kRecordedSummary)), kPrinted);
}

TEST(FinalTable, ANullSinkSaysLatencyWasNotRecorded) {
  nlohmann::json s = nlohmann::json::parse(kRecordedSummary);
  s["latency"] = nullptr;
  const std::string table = format_final_table(s);
  EXPECT_NE(table.find("latency       not recorded (observability.sink = \"null\")"), std::string::npos) << table;
  EXPECT_EQ(table.find("ingest_to_ack  "), std::string::npos) << table;
}

TEST(FinalTable, AStageUnknownToTheReportOrderFollowsTheKnownOnes) {
  nlohmann::json s = nlohmann::json::parse(kRecordedSummary);
  s["latency"]["aaa_stage"] = s["latency"]["queue"];
  const std::string table = format_final_table(s);
  EXPECT_LT(table.find("\nack "), table.find("\naaa_stage "));
}

}  // namespace
}  // namespace tickpath::report

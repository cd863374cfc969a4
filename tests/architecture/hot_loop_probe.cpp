// Instantiates the hot loop's functions with external linkage so their object code can be
// inspected: check_symbols.py asserts it references no allocation, locking, logging or I/O
// function, and check_branches.py that the null-sink executor has no branch and no call.
#include "control/metrics/line_skew.hpp"
#include "control/metrics/metrics_sink.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/execution/ack_log_sink.hpp"
#include "core/execution/execution_handler.hpp"
#include "core/ingest/arbitrated_decoder.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "core/ingest/line_pair_source.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/synthetic_source.hpp"
#if TICKPATH_PROBE_DPDK
#include "platform/dpdk/rx_source.hpp"
#endif

namespace tickpath::probe {

using namespace core;

using MoldStage = IngestStage<SyntheticSource, MoldUdp64Decoder>;
using RawStage = IngestStage<PacedSource<SyntheticSource>, RawDecoder>;
using NullHandler = ExecutionHandler<NullSink>;
using ExecLoop = ConsumerLoop<Event, NullHandler>;

bool probe_ingest_moldudp64(MoldStage& stage) noexcept { return stage.poll(); }
bool probe_ingest_raw_paced(RawStage& stage) noexcept { return stage.poll(); }
// ingest.lines: two lines, the arbiter and its skew histograms, and the end-of-run settlement.
using LinesStage = IngestStage<LinePairSource<SyntheticSource, SyntheticSource>,
                               ArbitratedMoldUdp64Decoder<control::LineSkewHistograms>>;
bool probe_ingest_two_lines(LinesStage& stage) noexcept { return stage.poll(); }
void probe_ingest_two_lines_finish(LinesStage& stage) noexcept { stage.finish(); }
// ingest.lines.<x>.multicast: the same with the per-line IPv4 destination filter.
using GroupLinesStage = IngestStage<LinePairSource<SyntheticSource, SyntheticSource>,
                                    ArbitratedMoldUdp64Decoder<control::LineSkewHistograms, LineGroupFilter>>;
bool probe_ingest_two_lines_groups(GroupLinesStage& stage) noexcept { return stage.poll(); }
bool probe_execution_loop(ExecLoop& loop) noexcept { return loop.poll(); }
using MetricsLoop = ConsumerLoop<Event, ExecutionHandler<control::MetricsSink>>;
bool probe_execution_loop_metrics(MetricsLoop& loop) noexcept { return loop.poll(); }
// report.ack_log = true: the tee's push (and its drop counter) inside the execution loop.
using AckLogLoop = ConsumerLoop<Event, ExecutionHandler<AckLogSink<control::MetricsSink>>>;
bool probe_execution_loop_ack_log(AckLogLoop& loop) noexcept { return loop.poll(); }
void probe_ack_log_observe(AckLogSink<NullSink>& sink, const Event& event, const Ack& ack) noexcept {
  sink.observe(event, ack);
}
Ack probe_execute_null_sink(Executor<NullSink>& executor, const Event& event, Ticks poll_tsc) noexcept {
  return executor.execute(event, poll_tsc);
}
void probe_publish(BroadcastRing<Event>& ring, const Event& event) noexcept { ring.publish(event); }

#if TICKPATH_PROBE_DPDK
using DpdkStage = IngestStage<platform::DpdkRxSource<false>, RawDecoder>;
using DpdkTsStage = IngestStage<platform::DpdkRxSource<true>, MoldUdp64Decoder>;
bool probe_ingest_dpdk(DpdkStage& stage) noexcept { return stage.poll(); }
bool probe_ingest_dpdk_timestamps(DpdkTsStage& stage) noexcept { return stage.poll(); }
using DpdkLinesStage = IngestStage<LinePairSource<platform::DpdkRxSource<false>, platform::DpdkRxSource<false>>,
                                   ArbitratedMoldUdp64Decoder<control::LineSkewHistograms>>;
bool probe_ingest_dpdk_two_lines(DpdkLinesStage& stage) noexcept { return stage.poll(); }
using DpdkGroupLinesStage = IngestStage<LinePairSource<platform::DpdkRxSource<false>, platform::DpdkRxSource<false>>,
                                        ArbitratedMoldUdp64Decoder<control::LineSkewHistograms, LineGroupFilter>>;
bool probe_ingest_dpdk_two_lines_groups(DpdkGroupLinesStage& stage) noexcept { return stage.poll(); }
#endif

}  // namespace tickpath::probe

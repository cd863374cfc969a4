#pragma once
// `tickpath selftest`: the instrument proving itself. Runs the pipeline (ring, ingest stage,
// executor, MetricsSink, the same threads and loops as `run`) on a truth source whose every
// frame was due at a known time -- with injected delays, rare large outliers and one stall in
// the paced run -- then compares what the histograms report with the exact values (exit 0 when
// every figure is within 1% + one bucket, 1 otherwise, naming the failed figure; 2 when the TSC
// cannot be proven, as for `run`).
namespace tickpath::app {

struct SelftestOptions {
  double rate = 200'000;       // frames per second
  double duration_s = 1.5;     // of paced load (the window; warmup comes before)
  double stall_ms = 20;        // one stall of the ingest loop, a third of the way in
  unsigned warmup_steps = 2'000;
};

[[nodiscard]] int selftest_command(const SelftestOptions& options);

}  // namespace tickpath::app

// tickpath_bench entry point: Google Benchmark's usual main, plus context lines in every report
// (console and JSON "context") saying what the numbers were measured against.
#include <string>

#include <benchmark/benchmark.h>

#include "bench/bench_support.hpp"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const auto& cal = tickpath::bench::calibration();
  benchmark::AddCustomContext("tsc_ghz", std::to_string(cal.hz() / 1e9));
  benchmark::AddCustomContext("allowed_cpus", std::to_string(tickpath::bench::allowed_cpus().size()));
#if TICKPATH_BENCH_HAVE_RTE_RING
  benchmark::AddCustomContext("rte_ring", "DPDK rte_ring SP/SC, 64-byte elements");
#else
  benchmark::AddCustomContext("rte_ring", "not built (DPDK disabled): no rte_ring baselines");
#endif
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

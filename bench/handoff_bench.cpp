// Cross-thread handoff of 64-byte events (core::Event) through the tickpath ring, one producer to
// one consumer: `Handoff/tickpath/burst:{1,32}` (throughput) and `Latency/tickpath` (ping-pong).
// The rte_ring twins live in rte_ring_bench.cpp (DPDK builds only); both use handoff_harness.hpp.
// Thread placement: producer on the first allowed CPU, consumer on the next (bench_support.hpp).
#include <benchmark/benchmark.h>

#include "bench/handoff_harness.hpp"

namespace {

using tickpath::bench::TickpathQueue;

void BM_HandoffTickpath(benchmark::State& state) {
  tickpath::bench::run_handoff<TickpathQueue>(state, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_HandoffTickpath)->Name("Handoff/tickpath")->ArgName("burst")->Arg(1)->Arg(32);

void BM_LatencyTickpath(benchmark::State& state) {
  tickpath::bench::run_latency<TickpathQueue>(state);
}
BENCHMARK(BM_LatencyTickpath)->Name("Latency/tickpath");

}  // namespace

// The clocks a stamp could be taken with, per read:
//   Clock/rdtsc                    core::tsc_now(): plain RDTSC (the hot-path stamp)
//   Clock/rdtsc_fenced             core::tsc_now_fenced(): LFENCE; RDTSC (benchmark edges)
//   Clock/rdtscp                   __rdtscp: waits for earlier instructions to retire
//   Clock/clock_gettime_monotonic  clock_gettime(CLOCK_MONOTONIC) through the vDSO
//   Clock/steady_clock             std::chrono::steady_clock::now() (the same clock, via libstdc++)
// Back-to-back reads: this is throughput cost per read, not the latency of one isolated read.
#include <time.h>

#include <chrono>
#include <cstdint>

#include <benchmark/benchmark.h>

#include "core/time/tsc.hpp"

namespace {

namespace core = tickpath::core;

void BM_Rdtsc(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(core::tsc_now());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Rdtsc)->Name("Clock/rdtsc");

void BM_RdtscFenced(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(core::tsc_now_fenced());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RdtscFenced)->Name("Clock/rdtsc_fenced");

#if TICKPATH_HAVE_TSC
void BM_Rdtscp(benchmark::State& state) {
  unsigned aux = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(__rdtscp(&aux));
    benchmark::DoNotOptimize(aux);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Rdtscp)->Name("Clock/rdtscp");
#endif

void BM_ClockGettimeMonotonic(benchmark::State& state) {
  timespec ts{};
  for (auto _ : state) {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    benchmark::DoNotOptimize(ts);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClockGettimeMonotonic)->Name("Clock/clock_gettime_monotonic");

void BM_SteadyClock(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(std::chrono::steady_clock::now());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SteadyClock)->Name("Clock/steady_clock");

}  // namespace

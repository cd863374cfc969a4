// Budget/<kernel>: the cycle budget's kernels (budget_kernels.hpp) timed, one benchmark each, so
// the ns/event column of docs/performance.md's budget table describes the very code whose
// instructions callgrind counted. Items are events; compare them as ratios within one run.
#include <string>

#include <benchmark/benchmark.h>

#include "bench/budget_kernels.hpp"

namespace {

namespace budget = tickpath::bench::budget;

// Built on first use: the other families of tickpath_bench never pay for it.
budget::Fixture& fixture() {
  static budget::Fixture f;
  return f;
}

// Events per iteration: 32 bursts, and a whole number of MoldUDP64 passes (1024 messages).
constexpr std::uint64_t kEventsPerIteration = 1024;

const bool registered = [] {
  for (const budget::Kernel& k : budget::kKernels) {
    benchmark::RegisterBenchmark((std::string("Budget/") + k.name).c_str(), [run = k.run](benchmark::State& state) {
      budget::Fixture& f = fixture();
      std::uint64_t events = 0;
      for (auto _ : state) events += run(f, kEventsPerIteration);
      state.SetItemsProcessed(static_cast<std::int64_t>(events));
    });
  }
  return true;
}();

}  // namespace

// Executor::execute per event, with the sink chosen at compile time: `Executor/null_sink`
// (NullSink, inlines to nothing) vs `Executor/counting_sink` (a local sink that bumps a
// single-writer core::Counter per ack, the cheapest real sink). The lifecycle is READY, so every
// ack is an executed one. Events are executed the way ExecutionHandler does it in a batch: when
// the executor has the batch overload execute(event, poll_tsc, decision_tsc), the decision stamp
// of each event is the previous ack's completion stamp (one TSC read per event); otherwise the
// single-event form (two reads). Either way, with Clock/rdtsc at ~10 ns the stamps are a large
// part of the cost, and the ratio measures what a sink adds on top.
#include <cstdint>

#include <benchmark/benchmark.h>

#include "core/counter.hpp"
#include "control/metrics/metrics_sink.hpp"
#include "core/execution/executor.hpp"
#include "core/state/lifecycle.hpp"
#include "core/time/tsc.hpp"

namespace {

namespace core = tickpath::core;

struct CountingSink {
  core::Counter observed;
  core::Counter executed;
  void observe(const core::Event&, const core::Ack& ack) noexcept {
    observed.add();
    executed.add(ack.executed);
  }
};
static_assert(core::ObservabilitySink<CountingSink>);

template <class Sink>
void run_executor(benchmark::State& state) {
  core::Lifecycle lifecycle;
  if (!lifecycle.transition(core::LifecycleState::warmup) || !lifecycle.transition(core::LifecycleState::ready)) {
    state.SkipWithError("lifecycle did not reach READY");
    return;
  }
  Sink sink;
  core::Executor<Sink> executor(lifecycle.view(), sink);
  core::Event event{};
  std::uint64_t executed = 0;
  const core::Ticks poll_tsc = core::tsc_now();
  core::Ticks decision_tsc = poll_tsc;
  for (auto _ : state) {
    ++event.seq;
    // Realistic stage values for sinks that bucket them (a histogram's cost depends on which
    // buckets are touched): rx a few microseconds and publish ~1 us before the decision.
    event.rx_tsc = decision_tsc - 5000 - (event.seq & 1023);
    event.publish_tsc = decision_tsc - 2000 - (event.seq & 511);
    benchmark::DoNotOptimize(event);
    core::Ack ack;
    if constexpr (requires { executor.execute(event, poll_tsc, decision_tsc); }) {
      ack = executor.execute(event, poll_tsc, decision_tsc);
      decision_tsc = ack.complete_tsc;
    } else {
      ack = executor.execute(event, poll_tsc);
    }
    executed += ack.executed;
    benchmark::DoNotOptimize(ack);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["executed"] = static_cast<double>(executed);
}

void BM_ExecutorNullSink(benchmark::State& state) { run_executor<core::NullSink>(state); }
BENCHMARK(BM_ExecutorNullSink)->Name("Executor/null_sink");

void BM_ExecutorCountingSink(benchmark::State& state) { run_executor<CountingSink>(state); }
BENCHMARK(BM_ExecutorCountingSink)->Name("Executor/counting_sink");

// The real sink: four per-stage histograms (lib/control/metrics/metrics_sink.hpp).
void BM_ExecutorMetricsSink(benchmark::State& state) { run_executor<tickpath::control::MetricsSink>(state); }
BENCHMARK(BM_ExecutorMetricsSink)->Name("Executor/metrics_sink");

}  // namespace

// Producer publish cost while N consumer threads poll the same ring concurrently:
// `Publish/consumers:{0,1,2,4}` (one event per publish) and `Publish/consumers:N/burst:32`.
// Time and items are per publish call / per event on the producer (the benchmark thread).
//
// The ring's producer never reads consumer state, so the cost should not depend on N: what a
// consumer does to the producer is pull the lines it writes (claimed_/published_ and the slot)
// into the shared state, so the next store needs a coherence round trip. consumers:0 is the
// uncontended baseline.
//
// Consumers are the real ConsumerLoop (overrun -> resync -> count lost), started before and
// stopped after the timed loop. The producer is not throttled: slow consumers get lapped, which
// is the ring's designed behaviour; their share of events is reported (consumed_pct, lost_pct).
//
// Placement: the producer gets the first allowed CPU to itself and the consumers are spread over
// the others. On a 2-vCPU machine all N consumers share the one remaining vCPU, so only one of
// them runs (and touches the producer's lines) at any instant: consumers:4 there measures the
// time-shared case, not four readers in parallel. Results from such a machine say nothing about
// N truly parallel readers on separate cores.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/bench_support.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/execution/event.hpp"

namespace {

using tickpath::bench::CpuPlan;
using tickpath::bench::Crew;
using tickpath::bench::kRingCapacity;
using tickpath::bench::RingHarness;
namespace core = tickpath::core;

// Touches every event it is given, so the consumer really reads the slots.
struct SumHandler {
  std::uint64_t sum = 0;
  void operator()(std::span<const core::Event> batch, core::Ticks) noexcept {
    for (const core::Event& e : batch) sum += e.seq;
  }
};

void run_publish(benchmark::State& state, std::size_t burst) {
  const auto consumers = static_cast<std::size_t>(state.range(0));
  CpuPlan plan;
  RingHarness<core::Event> harness(kRingCapacity);
  core::BroadcastRing<core::Event>& ring = harness.ring;
  auto counters = std::make_unique<core::ConsumerCounters[]>(consumers);
  Crew crew;
  std::vector<std::thread> threads;
  threads.reserve(consumers);
  for (std::size_t i = 0; i < consumers; ++i) {
    threads.emplace_back([&, i] {
      plan.pin_helper(i);
      SumHandler handler;
      core::ConsumerLoop<core::Event, SumHandler> loop(ring, handler, counters[i]);
      crew.ready();
      while (!crew.stopping()) {
        if (!loop.poll()) tickpath::bench::cpu_relax();
      }
      benchmark::DoNotOptimize(handler.sum);
    });
  }
  crew.wait_ready(static_cast<int>(consumers));

  std::vector<core::Event> batch(burst);
  for (std::size_t i = 0; i < burst; ++i) batch[i].seq = i;
  const std::span<const core::Event> events(batch);
  for (auto _ : state) {
    ring.publish_burst(events);
  }
  const std::uint64_t published = ring.published();
  crew.stop();
  for (std::thread& t : threads) t.join();

  state.SetItemsProcessed(static_cast<std::int64_t>(published));
  std::uint64_t consumed = 0;
  std::uint64_t lost = 0;
  for (std::size_t i = 0; i < consumers; ++i) {
    consumed += counters[i].consumed.load();
    lost += counters[i].lost.load();
  }
  const double per_consumer = consumers == 0 ? 0.0 : static_cast<double>(published) * static_cast<double>(consumers);
  state.counters["consumers"] = static_cast<double>(consumers);
  state.counters["consumer_cpus"] = static_cast<double>(plan.helper_cpus());
  state.counters["consumed_pct"] = per_consumer == 0 ? 0.0 : 100.0 * static_cast<double>(consumed) / per_consumer;
  state.counters["lost_pct"] = per_consumer == 0 ? 0.0 : 100.0 * static_cast<double>(lost) / per_consumer;
  // Copies of each published event taken by all consumers together: every slot some consumer
  // read is a line the producer must take back (invalidate) before it rewrites it a lap later.
  state.counters["reads_per_event"] =
      published == 0 ? 0.0 : static_cast<double>(consumed) / static_cast<double>(published);
}

void BM_Publish(benchmark::State& state) { run_publish(state, 1); }
BENCHMARK(BM_Publish)->Name("Publish")->ArgName("consumers")->Arg(0)->Arg(1)->Arg(2)->Arg(4);

void BM_PublishBurst(benchmark::State& state) {
  run_publish(state, static_cast<std::size_t>(state.range(1)));
}
BENCHMARK(BM_PublishBurst)
    ->Name("Publish")
    ->ArgNames({"consumers", "burst"})
    ->Args({0, 32})
    ->Args({1, 32})
    ->Args({2, 32})
    ->Args({4, 32});

}  // namespace

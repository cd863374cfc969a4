#pragma once
// One harness, two queues: the cross-thread handoff and latency benchmarks are written once
// against this interface and instantiated for the tickpath ring (handoff_bench.cpp) and for
// DPDK's rte_ring (rte_ring_bench.cpp, built only with DPDK), so both run the same loops,
// the same element (core::Event, 64 bytes), the same capacity and the same thread placement.
//
//   Queue(std::size_t capacity, bool throttle)
//   void push(std::span<const core::Event>) noexcept   producer; returns once all are accepted
//   std::size_t pop(std::span<core::Event>) noexcept   consumer; 0 when nothing is available
//   std::uint64_t lost() const noexcept                events the consumer lost (read after join)
//   std::uint64_t overruns() const noexcept
//   std::uint64_t producer_stalls() const noexcept     push() calls that had to wait for room
//
// Fairness rules: rte_ring refuses an enqueue when full and the producer spins; the tickpath ring
// never refuses (it overwrites and the reader detects the lap), so its benchmark producer is
// throttled instead: it waits while more than capacity/2 events are unconsumed, reading a cursor
// the consumer publishes (benchmark-only shared state, the analogue of rte_ring's cons.tail).
// Both producers pause (`pause`) only when they could make no progress.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/bench_support.hpp"
#include "core/execution/event.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::bench {

// The tickpath broadcast ring with one consumer, as a queue.
class TickpathQueue {
 public:
  TickpathQueue(std::size_t capacity, bool throttle)
      : harness_(capacity),
        consumer_(harness_.ring),
        limit_(throttle ? capacity / 2 : std::numeric_limits<std::uint64_t>::max()) {}

  [[nodiscard]] bool ok() const noexcept { return true; }

  void push(std::span<const core::Event> batch) noexcept {
    const std::uint64_t end = harness_.ring.next_sequence() + batch.size();
    if (end - seen_cursor_ > limit_) [[unlikely]] {
      // acquire: the consumer finished reading every slot below the cursor it published.
      seen_cursor_ = cursor_.load(std::memory_order_acquire);
      if (end - seen_cursor_ > limit_) {
        ++stalls_;
        do {
          cpu_relax();
          seen_cursor_ = cursor_.load(std::memory_order_acquire);
        } while (end - seen_cursor_ > limit_);
      }
    }
    harness_.ring.publish_burst(batch);
  }

  std::size_t pop(std::span<core::Event> out) noexcept {
    const core::BurstResult r = consumer_.poll_burst(out);
    if (r.status == core::PollStatus::events) [[likely]] {
      // release: pairs with the producer's acquire in push().
      cursor_.store(consumer_.cursor(), std::memory_order_release);
      return r.count;
    }
    if (r.status == core::PollStatus::overrun) {
      ++overruns_;
      lost_ += consumer_.resync();
      cursor_.store(consumer_.cursor(), std::memory_order_release);
    }
    return 0;
  }

  [[nodiscard]] std::uint64_t lost() const noexcept { return lost_; }
  [[nodiscard]] std::uint64_t overruns() const noexcept { return overruns_; }
  [[nodiscard]] std::uint64_t producer_stalls() const noexcept { return stalls_; }

 private:
  RingHarness<core::Event> harness_;
  // Consumer side.
  core::RingConsumer<core::Event> consumer_;
  std::uint64_t lost_ = 0;
  std::uint64_t overruns_ = 0;
  // Written by the consumer, read by the producer (benchmark-only throttle).
  alignas(core::kFalseSharingRange) std::atomic<std::uint64_t> cursor_{0};
  // Producer side: the last cursor value it read, and the in-flight limit.
  alignas(core::kFalseSharingRange) std::uint64_t seen_cursor_ = 0;
  std::uint64_t stalls_ = 0;
  const std::uint64_t limit_;
};

// Throughput: one producer (the benchmark thread) hands `burst`-sized batches to one consumer
// thread that polls `burst` at a time and checks the sequence numbers. Items are events handed
// off. At the end of the timed loop at most capacity/2 (tickpath) or capacity-1 (rte_ring) events
// are still in flight, under 0.1% of a normal run.
template <class Queue>
void run_handoff(benchmark::State& state, std::size_t burst) {
  CpuPlan plan;
  Queue queue(kRingCapacity, /*throttle=*/true);
  if (!queue.ok()) {
    state.SkipWithError("queue initialisation failed");
    return;
  }
  Crew crew;
  std::uint64_t consumed = 0;
  std::uint64_t polls = 0;
  std::uint64_t empty_polls = 0;
  std::uint64_t seq_gaps = 0;
  std::thread consumer([&] {
    plan.pin_helper(0);
    std::vector<core::Event> buffer(burst);
    std::uint64_t expected = 0;
    crew.ready();
    for (;;) {
      const std::size_t n = queue.pop(std::span<core::Event>(buffer));
      ++polls;
      if (n == 0) {
        if (crew.stopping()) break;
        ++empty_polls;
        cpu_relax();
        continue;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t seq = buffer[i].seq;
        if (seq != expected) [[unlikely]] seq_gaps += seq > expected ? seq - expected : 1;
        expected = seq + 1;
      }
      consumed += n;
    }
  });
  crew.wait_ready(1);

  std::vector<core::Event> batch(burst);
  std::uint64_t seq = 0;
  const core::Ticks t0 = core::tsc_now_fenced();
  for (auto _ : state) {
    for (core::Event& e : batch) e.seq = seq++;
    queue.push(std::span<const core::Event>(batch));
  }
  const core::Ticks t1 = core::tsc_now_fenced();
  crew.stop();
  consumer.join();

  const auto events = static_cast<std::int64_t>(seq);
  state.SetItemsProcessed(events);
  state.counters["lost"] = static_cast<double>(queue.lost());
  state.counters["overruns"] = static_cast<double>(queue.overruns());
  state.counters["seq_gaps"] = static_cast<double>(seq_gaps);
  state.counters["consumed"] = static_cast<double>(consumed);
  state.counters["tsc_per_event"] =
      seq == 0 ? 0.0 : static_cast<double>(t1 - t0) / static_cast<double>(seq);
  // Which side limits the pipeline: a producer that often finds no room is waiting for the
  // consumer; a consumer that often finds nothing is waiting for the producer.
  const double pushes = static_cast<double>(state.iterations());
  state.counters["producer_stall_pct"] =
      pushes == 0 ? 0.0 : 100.0 * static_cast<double>(queue.producer_stalls()) / pushes;
  state.counters["consumer_empty_pct"] =
      polls == 0 ? 0.0 : 100.0 * static_cast<double>(empty_polls) / static_cast<double>(polls);
}

namespace detail {
inline double percentile(std::vector<std::int64_t>& v, double p) {
  if (v.empty()) return 0.0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]);
}
inline double mean(const std::vector<std::int64_t>& v) {
  if (v.empty()) return 0.0;
  long double sum = 0;
  for (std::int64_t x : v) sum += static_cast<long double>(x);
  return static_cast<double>(sum / static_cast<long double>(v.size()));
}
}  // namespace detail

// Latency: ping-pong of one event over two queues (benchmark thread -> echo thread -> back).
// The benchmark thread stamps publish_tsc and pushes; the echo thread stamps rx_tsc the moment
// its pop returns and pushes the event back. One-way = rx_tsc - publish_tsc (TSC is invariant
// and shared by the cores; on a VM a host-side skew would show up here), round trip = back at the
// benchmark thread - publish_tsc. Both loops spin without `pause`: this is the latency path.
// The benchmark's time per iteration is the round trip.
template <class Queue>
void run_latency(benchmark::State& state) {
  const core::TscCalibration& cal = calibration();
  CpuPlan plan;
  Queue ping(kRingCapacity, /*throttle=*/false);
  Queue pong(kRingCapacity, /*throttle=*/false);
  if (!ping.ok() || !pong.ok()) {
    state.SkipWithError("queue initialisation failed");
    return;
  }
  Crew crew;
  std::thread echo([&] {
    plan.pin_helper(0);
    core::Event e{};
    crew.ready();
    for (;;) {
      if (ping.pop(std::span<core::Event>(&e, 1)) == 0) {
        if (crew.stopping()) break;
        continue;
      }
      e.rx_tsc = core::tsc_now();
      pong.push(std::span<const core::Event>(&e, 1));
    }
  });
  crew.wait_ready(1);

  std::vector<std::int64_t> oneway;
  std::vector<std::int64_t> rtt;
  oneway.reserve(static_cast<std::size_t>(state.max_iterations));
  rtt.reserve(static_cast<std::size_t>(state.max_iterations));
  core::Event out{};
  core::Event back{};
  for (auto _ : state) {
    ++out.seq;
    out.publish_tsc = core::tsc_now();
    ping.push(std::span<const core::Event>(&out, 1));
    while (pong.pop(std::span<core::Event>(&back, 1)) == 0) {
    }
    const core::Ticks t2 = core::tsc_now();
    oneway.push_back(static_cast<std::int64_t>(back.rx_tsc - back.publish_tsc));
    rtt.push_back(static_cast<std::int64_t>(t2 - back.publish_tsc));
  }
  crew.stop();
  echo.join();

  const double ns = cal.ns_per_tick();
  state.counters["oneway_ns"] = detail::mean(oneway) * ns;
  state.counters["oneway_p50_ns"] = detail::percentile(oneway, 0.50) * ns;
  state.counters["oneway_p99_ns"] = detail::percentile(oneway, 0.99) * ns;
  state.counters["rtt_ns"] = detail::mean(rtt) * ns;
  state.counters["rtt_p50_ns"] = detail::percentile(rtt, 0.50) * ns;
  state.counters["lost"] = static_cast<double>(ping.lost() + pong.lost());
}

}  // namespace tickpath::bench

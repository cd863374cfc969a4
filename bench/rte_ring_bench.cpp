// DPDK's rte_ring as the baseline for the handoff benchmarks: `Handoff/rte_ring/burst:{1,32}` and
// `Latency/rte_ring`, the same harness as handoff_bench.cpp (handoff_harness.hpp).
//
// The ring is SP/SC (RING_F_SP_ENQ | RING_F_SC_DEQ) with 64-byte elements, built in plain memory
// without the EAL: rte_ring_get_memsize_elem() sizes it and rte_ring_init() fills the header
// (22.11's rte_ring_init only checks the flags, copies the name and sets the head/tail fields; it
// touches no EAL state, no memzone, no hugepage). The element size is not stored in the ring: it
// is passed to every *_elem call, here sizeof(core::Event) == 64. The explicit sp/sc burst
// variants are used, as an SP/SC user would write them.
//
// Built only when DPDK is found, into its own static library so DPDK's pkg-config flags
// (-include rte_config.h, -march=corei7) apply to this file alone.
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include <cstdlib>
#include <span>

#include <benchmark/benchmark.h>

#include "bench/handoff_harness.hpp"

namespace tickpath::bench {
namespace {

class RteRingQueue {
 public:
  RteRingQueue(std::size_t capacity, bool /*throttle: rte_ring refuses when full*/) {
    constexpr unsigned kEsize = sizeof(core::Event);
    const ssize_t bytes = rte_ring_get_memsize_elem(kEsize, static_cast<unsigned>(capacity));
    if (bytes <= 0) return;
    const std::size_t size = (static_cast<std::size_t>(bytes) + core::kFalseSharingRange - 1) &
                             ~(core::kFalseSharingRange - 1);
    void* mem = std::aligned_alloc(core::kFalseSharingRange, size);
    if (mem == nullptr) return;
    auto* ring = static_cast<rte_ring*>(mem);
    if (rte_ring_init(ring, "bench", static_cast<unsigned>(capacity), RING_F_SP_ENQ | RING_F_SC_DEQ) != 0) {
      std::free(mem);
      return;
    }
    ring_ = ring;
  }
  ~RteRingQueue() { std::free(ring_); }
  RteRingQueue(const RteRingQueue&) = delete;
  RteRingQueue& operator=(const RteRingQueue&) = delete;

  [[nodiscard]] bool ok() const noexcept { return ring_ != nullptr; }

  void push(std::span<const core::Event> batch) noexcept {
    const auto n = static_cast<unsigned>(batch.size());
    unsigned done = 0;
    bool stalled = false;
    while (done < n) {
      const unsigned k = rte_ring_sp_enqueue_burst_elem(ring_, batch.data() + done, sizeof(core::Event),
                                                        n - done, nullptr);
      done += k;
      if (k == 0) {  // full: spin
        stalled = true;
        cpu_relax();
      }
    }
    stalls_ += stalled;
  }

  std::size_t pop(std::span<core::Event> out) noexcept {
    return rte_ring_sc_dequeue_burst_elem(ring_, out.data(), sizeof(core::Event),
                                          static_cast<unsigned>(out.size()), nullptr);
  }

  [[nodiscard]] std::uint64_t lost() const noexcept { return 0; }  // a queue never loses
  [[nodiscard]] std::uint64_t overruns() const noexcept { return 0; }
  [[nodiscard]] std::uint64_t producer_stalls() const noexcept { return stalls_; }

 private:
  rte_ring* ring_ = nullptr;
  std::uint64_t stalls_ = 0;  // producer-only
};

void BM_HandoffRteRing(benchmark::State& state) {
  run_handoff<RteRingQueue>(state, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_HandoffRteRing)->Name("Handoff/rte_ring")->ArgName("burst")->Arg(1)->Arg(32);

void BM_LatencyRteRing(benchmark::State& state) { run_latency<RteRingQueue>(state); }
BENCHMARK(BM_LatencyRteRing)->Name("Latency/rte_ring");

}  // namespace
}  // namespace tickpath::bench

// record() and MetricsSink::observe() never allocate: this executable replaces the global
// operator new/delete with counting versions and compares the count around a million calls.
// (The replacements apply to the whole program, so they live in this test file only.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "control/metrics/histogram.hpp"
#include "control/metrics/metrics_sink.hpp"

namespace {

std::atomic<std::uint64_t> g_allocations{0};

void* counted_alloc(std::size_t size, std::size_t align) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (size == 0) size = 1;
  void* p = align <= alignof(std::max_align_t)
                ? std::malloc(size)
                : std::aligned_alloc(align, (size + align - 1) / align * align);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size, alignof(std::max_align_t)); }
void* operator new[](std::size_t size) { return counted_alloc(size, alignof(std::max_align_t)); }
void* operator new(std::size_t size, std::align_val_t align) {
  return counted_alloc(size, static_cast<std::size_t>(align));
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return counted_alloc(size, static_cast<std::size_t>(align));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace tickpath::control {
namespace {

TEST(NoAllocation, TheCounterSeesAnAllocation) {
  // Guards the guard: if the replacement were not linked in, the tests below would pass vacuously.
  const std::uint64_t before = g_allocations.load();
  auto* p = new Histogram();
  delete p;
  EXPECT_GT(g_allocations.load(), before);
}

TEST(NoAllocation, RecordNeverAllocates) {
  Histogram h;  // allocates its buckets here, at construction
  const std::uint64_t before = g_allocations.load();
  for (std::uint64_t i = 0; i < 1'000'000; ++i) h.record(i * 1'048'573);  // spans every octave
  h.record(~std::uint64_t{0});                                             // and saturation
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_EQ(h.saturated(), 1u);
}

TEST(NoAllocation, MetricsSinkObserveNeverAllocates) {
  MetricsSink sink;
  core::Event event{};
  core::Ack ack{};
  ack.in_window = ack.executed = 1;  // inside the measured window, READY
  const std::uint64_t before = g_allocations.load();
  for (std::uint64_t i = 0; i < 1'000'000; ++i) {
    event.rx_tsc = ack.rx_tsc = i * 1'000;
    ack.publish_tsc = ack.rx_tsc + 30;
    ack.poll_tsc = ack.publish_tsc + (i % 500);
    ack.decision_tsc = ack.poll_tsc + 5;
    ack.complete_tsc = (i % 1'000 == 0) ? ack.rx_tsc - 1 : ack.decision_tsc + 20;  // some skew
    sink.observe(event, ack);
  }
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_EQ(sink.ingest_to_ack().snapshot().count(), 1'000'000u);
  EXPECT_GT(sink.clock_skew(), 0u);
}

}  // namespace
}  // namespace tickpath::control

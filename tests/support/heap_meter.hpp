#pragma once
// Counts the heap this test binary holds by replacing the global operator new and delete, so a
// memory bound is asserted in bytes, deterministically, never in time. Include it in exactly ONE
// translation unit of an executable of its own: the replacement operators are defined here.
#include <malloc.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace tickpath::test_support {
namespace heap_meter_detail {

inline std::atomic<std::size_t> live{0};
inline std::atomic<std::size_t> peak{0};

inline void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  const std::size_t size = malloc_usable_size(p);
  const std::size_t now = live.fetch_add(size, std::memory_order_relaxed) + size;
  std::size_t seen = peak.load(std::memory_order_relaxed);
  while (now > seen && !peak.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
  }
  return p;
}

inline void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  live.fetch_sub(malloc_usable_size(p), std::memory_order_relaxed);
  std::free(p);
}

}  // namespace heap_meter_detail

// Bytes of heap held right now (malloc's usable sizes, so allocator rounding counts).
inline std::size_t heap_live() { return heap_meter_detail::live.load(std::memory_order_relaxed); }

// The heap `f` needed above what was live when it started (its peak, not what it kept).
template <class F>
std::size_t peak_heap_growth(F&& f) {
  const std::size_t before = heap_live();
  heap_meter_detail::peak.store(before, std::memory_order_relaxed);
  f();
  return heap_meter_detail::peak.load(std::memory_order_relaxed) - before;
}

}  // namespace tickpath::test_support

void* operator new(std::size_t n) { return tickpath::test_support::heap_meter_detail::counted_alloc(n); }
void* operator new[](std::size_t n) { return tickpath::test_support::heap_meter_detail::counted_alloc(n); }
void operator delete(void* p) noexcept { tickpath::test_support::heap_meter_detail::counted_free(p); }
void operator delete[](void* p) noexcept { tickpath::test_support::heap_meter_detail::counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { tickpath::test_support::heap_meter_detail::counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { tickpath::test_support::heap_meter_detail::counted_free(p); }

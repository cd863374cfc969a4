#pragma once
// Single-writer counters: written by exactly one thread, read by any (the control plane).
// The writer does a relaxed load + store, not fetch_add: with one writer nothing can be lost,
// and the store compiles to a plain add on x86 instead of a LOCK-prefixed one. Readers get a
// value the writer really stored (atomic, so never torn), possibly a few events old.
#include <atomic>
#include <cstdint>

namespace tickpath::core {

class Counter {
 public:
  // release: partner of the control plane's acquire loads (load_acquire(),
  // lib/control/plane/aggregator.cpp). A reader that sees this value also sees every counter the
  // writer stored before it, which makes the accounting invariants exact bounds
  // (control/health/invariants.hpp). On x86-64 a release store is the same plain MOV as a
  // relaxed one: it only stops the compiler from sinking earlier stores below it.
  // always_inline: one add on the hot path. GCC 12 left it out of line in the appliance's hot
  // loop (perf: Counter::add as its own symbol), a call per counted event.
  [[gnu::always_inline]] void add(std::uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_release);
  }
  [[gnu::always_inline]] void set(std::uint64_t v) noexcept { value_.store(v, std::memory_order_release); }
  [[nodiscard, gnu::always_inline]] std::uint64_t load() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }
  // For a reader whose later loads must see at least what the writer stored before this value
  // (the aggregator's ordered reads). A plain MOV on x86-64, like load(); an acquire load rather
  // than a relaxed load plus a fence, because ThreadSanitizer models the one and not the other.
  [[nodiscard]] std::uint64_t load_acquire() const noexcept {
    return value_.load(std::memory_order_acquire);
  }

 private:
  std::atomic<std::uint64_t> value_{0};
  static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "counters must be lock-free");
};

}  // namespace tickpath::core

#pragma once
// A bounded single-producer, single-consumer queue: the hand-off from a hot thread to a
// housekeeping thread that may fall behind (the ack log). Pushing never blocks and never waits:
// a full queue is reported to the caller, who drops and counts (lossy by design, like every
// observation path off the hot core). Closest relative: rigtorp/SPSCQueue, with the consumer's
// side batched so one acquire/release pair covers many elements.
//
// Layout (storage allocated once, in the constructor; nothing allocates afterwards):
//
//   ┌─ 128 B, producer-owned ─────────┐  tail_        written by the producer only
//   │ tail_   head_cache_             │  head_cache_  producer-private copy of head_
//   ├─ 128 B, consumer-owned ─────────┤  head_        written by the consumer only
//   │ head_   tail_cache_             │  tail_cache_  consumer-private copy of tail_
//   ├─ 128 B, read-only ──────────────┤
//   │ slots_  mask_                   │  element i lives in slots_[i & mask_]
//   └─────────────────────────────────┘
//
// Protocol. head_ and tail_ are free-running 64-bit counts (2^64 elements at 1e9/s is 584
// years); only slot indices are masked. Elements [head_, tail_) are readable by the consumer;
// elements [tail_, head_ + capacity) are writable by the producer. Nothing else is shared.
//   Producer push(v) at t = tail_:
//     P1. full iff t - head_ >= capacity; head_ is re-read (acquire, partner C3) only when the
//         private cache says full: most pushes touch no consumer line at all.
//     P2. slots_[t & mask_] = v          plain store: the slot is the producer's until P3
//     P3. tail_ = t + 1       (release)  publishes the slot's contents (partner: C1)
//   Consumer consume(max, f) at h = head_:
//     C1. tail_ (acquire, partner P3) re-read only when the private cache holds less than max
//     C2. f(slots_[i & mask_]) for i in [h, h + n)   plain loads, ordered after C1
//     C3. head_ = h + n       (release)  hands the slots back: the reads of C2 happen-before a
//         producer's overwrite of them that read this head_ in P1 (partner: P1)
// Neither side ever writes the other's line, so the only coherence traffic is one line per
// batch on the consumer side and one line per lap on the producer side.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include "core/cacheline.hpp"

namespace tickpath::core {

template <class T>
class SpscQueue {
  static_assert(std::is_trivially_copyable_v<T>, "elements are copied as plain bytes");
  static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "the protocol needs lock-free 64-bit atomics");

 public:
  // Start-up check, as an error value (nullptr when fine).
  [[nodiscard]] static constexpr const char* check_capacity(std::size_t capacity) noexcept {
    if (capacity < 2) return "queue capacity must be at least 2";
    if (!std::has_single_bit(capacity)) return "queue capacity must be a power of two";
    return nullptr;
  }

  // Start-up only: allocates the slots; throws std::invalid_argument on a bad capacity.
  explicit SpscQueue(std::size_t capacity) : mask_(capacity - 1) {
    if (const char* error = check_capacity(capacity)) throw std::invalid_argument(error);
    slots_ = std::make_unique<T[]>(capacity);
  }

  SpscQueue(const SpscQueue&) = delete;
  SpscQueue& operator=(const SpscQueue&) = delete;

  [[nodiscard]] std::size_t capacity() const noexcept { return mask_ + 1; }

  // ---- producer (one thread) ----

  // false: the queue is full and `value` was not queued (the caller counts the drop).
  [[nodiscard]] bool try_push(const T& value) noexcept {
    // relaxed: tail_ is written by this thread only.
    const std::uint64_t t = producer_.tail.load(std::memory_order_relaxed);
    if (t - producer_.head_cache >= capacity()) [[unlikely]] {
      // acquire: P1 — the consumer's reads of the slots below head_ happen-before our
      // overwrite of them (partner: C3).
      producer_.head_cache = consumer_.head.load(std::memory_order_acquire);
      if (t - producer_.head_cache >= capacity()) return false;
    }
    slots_[t & mask_] = value;
    // release: P3 — publishes the slot written above (partner: C1).
    producer_.tail.store(t + 1, std::memory_order_release);
    return true;
  }

  // Elements pushed so far (producer thread: exact; any other thread: a recent value).
  [[nodiscard]] std::uint64_t pushed() const noexcept {
    // relaxed: a count for reports; it orders no data.
    return producer_.tail.load(std::memory_order_relaxed);
  }

  // ---- consumer (one thread) ----

  // Calls f(const T&) for up to `max` elements, oldest first, then hands their slots back.
  // Returns how many were consumed (0: empty). f must not throw.
  template <class F>
  std::size_t consume(std::size_t max, F&& f) noexcept {
    // relaxed: head_ is written by this thread only.
    const std::uint64_t h = consumer_.head.load(std::memory_order_relaxed);
    if (consumer_.tail_cache - h < max) {
      // acquire: C1 — the slots below tail_ were fully written (partner: P3). Re-read whenever
      // the cached tail offers less than a full batch: one load per batch, not per element.
      consumer_.tail_cache = producer_.tail.load(std::memory_order_acquire);
      if (consumer_.tail_cache == h) return 0;
    }
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(consumer_.tail_cache - h, max));
    for (std::size_t i = 0; i < n; ++i) f(static_cast<const T&>(slots_[(h + i) & mask_]));
    // release: C3 — our reads of these slots happen-before the producer reuses them (partner: P1).
    consumer_.head.store(h + n, std::memory_order_release);
    return n;
  }

  // Elements consumed so far (consumer thread: exact; any other thread: a recent value).
  [[nodiscard]] std::uint64_t consumed() const noexcept {
    // relaxed: a count for reports; it orders no data.
    return consumer_.head.load(std::memory_order_relaxed);
  }

 private:
  struct alignas(kFalseSharingRange) ProducerSide {
    std::atomic<std::uint64_t> tail{0};
    std::uint64_t head_cache = 0;
  };
  struct alignas(kFalseSharingRange) ConsumerSide {
    std::atomic<std::uint64_t> head{0};
    std::uint64_t tail_cache = 0;
  };

  ProducerSide producer_;
  ConsumerSide consumer_;
  alignas(kFalseSharingRange) std::unique_ptr<T[]> slots_;
  std::uint64_t mask_;

  static_assert(sizeof(ProducerSide) == kFalseSharingRange && sizeof(ConsumerSide) == kFalseSharingRange,
                "each side owns exactly one false-sharing range: no line is written by both threads");
};

}  // namespace tickpath::core

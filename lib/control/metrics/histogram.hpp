#pragma once
// An HDR-style log-linear histogram of tick values (layout: bucket_layout.hpp), written by one
// thread on the hot path and read by the control plane with snapshot().
//
// Protocol (same as core::Counter): exactly one thread calls record(); it updates every field with
// a relaxed load + store, which is enough because no other thread writes. Readers load each field
// relaxed: each value is one the writer really stored (never torn), but fields may be a few events
// apart from each other; snapshot() makes its copy self-consistent (HistogramSnapshot::settle).
// The writer compares against its own plain copies of min and max (min_seen_, max_seen_), never
// read by another thread, and stores the atomic only when the extreme moves.
//
// Memory: the bucket array is allocated once, in the constructor. record() never allocates,
// locks, branches on configuration or calls the OS.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "control/metrics/bucket_layout.hpp"
#include "control/metrics/histogram_snapshot.hpp"
#include "core/cacheline.hpp"
#include "core/counter.hpp"

namespace tickpath::control {

class alignas(core::kCacheLine) Histogram {
 public:
  // Start-up: allocates the buckets; throws std::invalid_argument for a config outside
  // BucketLayout's limits.
  explicit Histogram(HistogramConfig config = {});
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Writer thread only.
  void record(std::uint64_t value) noexcept {
    value = clamped(value);
    count(counts_[layout_.index_of(value)], value);
  }

  // record() for a histogram whose layout().sub_bucket_bits() is S, known at compile time (the
  // caller checked it at start-up: MetricsSink's constructor): the same bucket, fewer instructions.
  template <unsigned S>
  void record_fixed(std::uint64_t value) noexcept {
    value = clamped(value);
    count(*BucketLayout::bucket_fixed<S>(counts_.get(), value), value);
  }

  // Any thread. Allocates a copy of the buckets (control plane only).
  [[nodiscard]] HistogramSnapshot snapshot() const;

  [[nodiscard]] const BucketLayout& layout() const noexcept { return layout_; }
  [[nodiscard]] std::uint64_t saturated() const noexcept { return saturated_.load(); }

 private:
  std::uint64_t clamped(std::uint64_t value) noexcept {
    if (value > layout_.max_value()) [[unlikely]] {
      saturated_.add();
      return layout_.max_value();
    }
    return value;
  }

  void count(std::atomic<std::uint64_t>& bucket, std::uint64_t value) noexcept {
    // Relaxed: single writer (see top); readers tolerate a count a few events old.
    bucket.store(bucket.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    sum_.add(value);
    // Against the plain copies: GCC never folds an atomic load into the cmp (it loads min_ into a
    // register first), so comparing min_ and max_ themselves cost one MOV more each, per record.
    // A new extreme is rare after the first few records.
    if (value < min_seen_) [[unlikely]] {
      min_seen_ = value;
      min_.set(value);
    }
    if (value > max_seen_) [[unlikely]] {
      max_seen_ = value;
      max_.set(value);
    }
  }

  // The first cache line: everything record() reads or writes on its common path, besides the
  // bucket itself.
  BucketLayout layout_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  core::Counter sum_;
  core::Counter min_;  // UINT64_MAX until the first record
  core::Counter max_;
  std::uint64_t min_seen_ = ~std::uint64_t{0};  // writer thread only: min_'s value
  std::uint64_t max_seen_ = 0;                  // writer thread only: max_'s value
  // The second: only a value above max_value() touches it. Aligned to its own line, so the size
  // check below fails if the first line's members ever outgrow it (no offsetof: clang does not
  // count the class, with its unique_ptr, as standard-layout).
  alignas(core::kCacheLine) core::Counter saturated_;
};

static_assert(sizeof(Histogram) == 2 * core::kCacheLine,
              "one hot line for record(), one for the saturation count");

}  // namespace tickpath::control

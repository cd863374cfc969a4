#pragma once
// An HDR-style log-linear histogram of tick values (layout: bucket_layout.hpp), written by one
// thread on the hot path and read by the control plane with snapshot().
//
// Protocol (same as core::Counter): exactly one thread calls record(); it updates every field with
// a relaxed load + store, which is enough because no other thread writes. Readers load each field
// relaxed: each value is one the writer really stored (never torn), but fields may be a few events
// apart from each other; snapshot() makes its copy self-consistent (HistogramSnapshot::settle).
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
    if (value < min_.load()) min_.set(value);
    if (value > max_.load()) max_.set(value);
  }

  BucketLayout layout_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  core::Counter sum_;
  core::Counter min_;  // UINT64_MAX until the first record
  core::Counter max_;
  core::Counter saturated_;
};

static_assert(sizeof(Histogram) == core::kCacheLine,
              "everything record() touches besides its bucket sits on one cache line");

}  // namespace tickpath::control

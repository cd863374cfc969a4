#include "control/metrics/histogram.hpp"

#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace tickpath::control {

namespace {

[[gnu::cold]] BucketLayout checked_layout(HistogramConfig config) {
  if (!BucketLayout::valid(config)) {
    throw std::invalid_argument(
        "histogram: sub_bucket_bits must be in [" + std::to_string(BucketLayout::kMinSubBucketBits) +
        ", " + std::to_string(BucketLayout::kMaxSubBucketBits) + "] and max_value >= 1 (got " +
        std::to_string(config.sub_bucket_bits) + ", " + std::to_string(config.max_value) + ")");
  }
  return BucketLayout(config);
}

}  // namespace

Histogram::Histogram(HistogramConfig config)
    : layout_(checked_layout(config)),
      // make_unique<T[]> value-initialises: every std::atomic<uint64_t> starts at 0.
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(layout_.bucket_count())) {
  // Here, not in the header: offsetof needs the complete class and access to its members.
  static_assert(std::is_standard_layout_v<Histogram>, "offsetof below is well-defined");
  static_assert(offsetof(Histogram, saturated_) == core::kCacheLine,
                "everything record() touches besides its bucket and the saturation count sits on "
                "the first cache line");
  min_.set(std::numeric_limits<std::uint64_t>::max());
}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot s(layout_);
  for (std::size_t i = 0; i < layout_.bucket_count(); ++i) {
    s.counts_[i] = counts_[i].load(std::memory_order_relaxed);  // see the protocol in the header
  }
  s.min_ = min_.load();
  s.max_ = max_.load();
  s.sum_ = sum_.load();
  s.saturated_ = saturated_.load();
  s.settle();
  return s;
}

}  // namespace tickpath::control

#include "control/metrics/histogram.hpp"

#include <limits>
#include <stdexcept>
#include <string>

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

#pragma once
// The log-linear bucket layout shared by Histogram (the writer) and HistogramSnapshot (readers):
// the same idea as HdrHistogram, written out for uint64 ticks.
//
//   value v, S = sub_bucket_bits, shift = max(0, bit_width(v) - (S + 1))
//   index(v) = shift * 2^S + (v >> shift)
//
//   index:   0 ........ 2^(S+1)-1 | 2^(S+1) .. 3*2^S-1 | 3*2^S .. 2^(S+2)-1 | ...
//   width:   1 (exact)            | 2                  | 4                  | doubles per octave
//
// Values below 2^(S+1) get a bucket each; above that, every power-of-two octave is split into
// 2^S equal buckets, so a bucket is never wider than 2^-S of its lowest value (S = 7: < 0.79%).
// The index is a bit_width, a shift and an add: no loop, no table, no branch.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace tickpath::control {

struct HistogramConfig {
  // Linear sub-buckets per octave, as a power of two: relative error < 2^-sub_bucket_bits.
  unsigned sub_bucket_bits = 7;
  // Largest value kept apart; larger ones are clamped to it (and counted as saturated).
  std::uint64_t max_value = std::uint64_t{1} << 40;
};

class BucketLayout {
 public:
  // Limits, checked by Histogram's constructor (start-up). 16 sub-bucket bits over the whole
  // uint64 range is ~3.3 M buckets (26 MiB): past that a histogram is a configuration mistake.
  static constexpr unsigned kMinSubBucketBits = 1;
  static constexpr unsigned kMaxSubBucketBits = 16;

  constexpr BucketLayout() noexcept : BucketLayout(HistogramConfig{}) {}
  constexpr explicit BucketLayout(HistogramConfig config) noexcept
      : sub_bucket_bits_(config.sub_bucket_bits),
        octave_offset_(config.sub_bucket_bits << config.sub_bucket_bits),
        max_value_(config.max_value) {}

  [[nodiscard]] static constexpr bool valid(HistogramConfig config) noexcept {
    return config.sub_bucket_bits >= kMinSubBucketBits &&
           config.sub_bucket_bits <= kMaxSubBucketBits && config.max_value >= 1;
  }

  [[nodiscard]] constexpr unsigned sub_bucket_bits() const noexcept { return sub_bucket_bits_; }
  [[nodiscard]] constexpr std::uint64_t max_value() const noexcept { return max_value_; }
  // Derived, not stored: a 16-byte layout leaves Histogram's hot cache line room for the
  // writer's own min and max (histogram.hpp). A few instructions, on the control plane only.
  [[nodiscard]] constexpr std::size_t bucket_count() const noexcept { return index_of(max_value_) + 1; }

  // The bucket of v; callers clamp v to max_value() first (index_of(max_value) is the top one).
  [[nodiscard]] constexpr std::size_t index_of(std::uint64_t v) const noexcept {
    return bucket_index(v, sub_bucket_bits_, octave_offset_);
  }

  // index_of for a layout whose sub_bucket_bits() is S, with S known at compile time: the shifts
  // become immediates and shift = msb - S needs no S << S subtracted (BucketLayout tests compare
  // it with index_of over every S).
  template <unsigned S>
  [[nodiscard]] static constexpr std::size_t index_of_fixed(std::uint64_t v) noexcept {
    const unsigned shift = shift_of_value<S>(v);
    return (static_cast<std::size_t>(shift) << S) + static_cast<std::size_t>(v >> shift);
  }

  // &buckets[index_of_fixed<S>(v)], for an array of bucket_count() elements: the same sum,
  // associated the other way. The first bucket of v's octave as a pointer, then v's place from
  // it, is one shl by S + log2(sizeof(T)) and one scaled address for GCC; the index summed first
  // cost a shl by S, an add, then a shl and an add to scale it into an address (the ~2
  // instructions per record in the cycle budget's sink row). Histogram::record_fixed. The two
  // pointer steps stay here, after the shift: handed the index, or its two parts as a struct,
  // GCC 12 summed them first again.
  template <unsigned S, class T>
  [[nodiscard]] static constexpr T* bucket_fixed(T* buckets, std::uint64_t v) noexcept {
    const unsigned shift = shift_of_value<S>(v);
    T* const octave = buckets + (static_cast<std::size_t>(shift) << S);
    return octave + static_cast<std::size_t>(v >> shift);
  }

  // Smallest value that maps to bucket `index`.
  [[nodiscard]] constexpr std::uint64_t lowest(std::size_t index) const noexcept {
    const unsigned shift = shift_of(index);
    return static_cast<std::uint64_t>(index - (static_cast<std::size_t>(shift) << sub_bucket_bits_))
           << shift;
  }

  // Largest value that maps to bucket `index` (HdrHistogram's "highest equivalent value").
  [[nodiscard]] constexpr std::uint64_t highest(std::size_t index) const noexcept {
    return lowest(index) + ((std::uint64_t{1} << shift_of(index)) - 1);
  }

  friend constexpr bool operator==(const BucketLayout&, const BucketLayout&) noexcept = default;

 private:
  // The octave's shift for a compile-time S: max(0, bit_width(v) - (S + 1)), as in the header.
  template <unsigned S>
  [[nodiscard]] static constexpr unsigned shift_of_value(std::uint64_t v) noexcept {
    static_assert(S >= kMinSubBucketBits && S <= kMaxSubBucketBits);
    return top_bit(v | (std::uint64_t{1} << S)) - S;
  }

  // The top bit's position, 63 - countl_zero, written as 63 ^ countl_zero (the same for 0..63):
  // GCC turns it into one bsr, where bit_width (64 - countl_zero) cost three more instructions
  // per record (the cycle budget's sink row). v must not be 0.
  [[nodiscard]] static constexpr unsigned top_bit(std::uint64_t v) noexcept {
    return 63u ^ static_cast<unsigned>(std::countl_zero(v));
  }

  [[nodiscard]] static constexpr std::size_t bucket_index(std::uint64_t v, unsigned sub_bucket_bits,
                                                  unsigned octave_offset) noexcept {
    // OR-ing in 2^S makes every v below 2^(S+1) land on shift 0 without a branch (and keeps
    // top_bit's argument non-zero). shift = msb - S, and shift << S = (msb << S) - (S << S), the
    // latter precomputed (octave_offset).
    const std::size_t msb = top_bit(v | (std::uint64_t{1} << sub_bucket_bits));
    return (msb << sub_bucket_bits) - octave_offset +
           static_cast<std::size_t>(v >> (msb - sub_bucket_bits));
  }

  // Buckets [0, 2^(S+1)) have shift 0; from there each run of 2^S buckets doubles the width.
  [[nodiscard]] constexpr unsigned shift_of(std::size_t index) const noexcept {
    const std::size_t octave = index >> sub_bucket_bits_;
    return octave == 0 ? 0u : static_cast<unsigned>(octave - 1);
  }

  unsigned sub_bucket_bits_;
  unsigned octave_offset_;  // S << S (at most 16 << 16): fits beside sub_bucket_bits_ in 8 bytes
  std::uint64_t max_value_;
};

// The layout is plain arithmetic: check it where it is cheapest, at compile time.
static_assert(BucketLayout{}.index_of(0) == 0);
static_assert(BucketLayout{}.index_of(255) == 255, "below 2^(S+1) every value has its own bucket");
static_assert(BucketLayout{}.index_of(256) == 256 && BucketLayout{}.index_of(257) == 256);
static_assert(BucketLayout{}.lowest(256) == 256 && BucketLayout{}.highest(256) == 257);
static_assert(BucketLayout::index_of_fixed<7>(257) == BucketLayout{}.index_of(257));
static_assert(BucketLayout{}.bucket_count() == 33 * 128 + 128 + 1, "2^40 opens the 34th octave");
static_assert(sizeof(BucketLayout) == 16, "Histogram's hot line holds the layout and six 8-byte fields");

}  // namespace tickpath::control

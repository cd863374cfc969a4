#pragma once
// Test support: a BroadcastRing together with the slot storage it needs (tests own the storage,
// as the appliance owns hugepage memory), and a 64-byte instrumented element.
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "core/bus/broadcast_ring.hpp"

namespace tickpath::core::testing {

template <RingElement T>
struct RingHarness {
  explicit RingHarness(std::size_t capacity) : storage(capacity), ring(std::span(storage)) {}
  RingHarness(const RingHarness&) = delete;
  RingHarness& operator=(const RingHarness&) = delete;

  std::vector<RingSlot<T>> storage;
  BroadcastRing<T> ring;
};

// One cache line: a sequence number, six words derived from it and a checksum over all seven.
// A delivered element is intact iff is_intact(); mixing words of two sequences breaks it.
struct Probe {
  std::uint64_t seq;
  std::uint64_t body[6];
  std::uint64_t checksum;

  static constexpr std::uint64_t mix(std::uint64_t x) noexcept {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
  }

  static constexpr Probe make(std::uint64_t seq) noexcept {
    Probe p{};
    p.seq = seq;
    std::uint64_t sum = mix(seq);
    for (std::size_t i = 0; i < 6; ++i) {
      p.body[i] = mix(seq * 7 + i + 1);
      sum = mix(sum ^ p.body[i]);
    }
    p.checksum = sum;
    return p;
  }

  [[nodiscard]] bool is_intact() const noexcept {
    const Probe expected = make(seq);
    for (std::size_t i = 0; i < 6; ++i) {
      if (body[i] != expected.body[i]) return false;
    }
    return checksum == expected.checksum;
  }
};

static_assert(sizeof(Probe) == 64);
static_assert(std::is_trivially_copyable_v<Probe>);
static_assert(RingElement<Probe>);

}  // namespace tickpath::core::testing

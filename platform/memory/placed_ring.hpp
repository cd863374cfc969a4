#pragma once
// The broadcast ring placed whole in RingMemory: its control words (the producer's claimed and
// published cursors, on their own 128-byte line) first, then the slots. The cursors every
// consumer polls thus live on the same pages as the slots (hugepages on the NIC's node when there
// are some), not on the heap or a stack wherever the caller happened to be.
//
//   [ BroadcastRing<T>: claimed_/published_/head_ | slots_/mask_ ][ pad to 128 ][ slot 0 ] ... [ slot n-1 ]
//
// Start-up only: place() allocates, constructs every atomic and returns errors as values.
#include <cstddef>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>

#include "core/bus/broadcast_ring.hpp"
#include "platform/memory/ring_memory.hpp"

namespace tickpath::platform {

template <core::RingElement T>
class PlacedRing {
 public:
  using Ring = core::BroadcastRing<T>;
  using Slot = typename Ring::Slot;
  // The slots start on a 128-byte boundary after the ring object, so the last control word and
  // the first slot never share a false-sharing range.
  static constexpr std::size_t kHeaderBytes = (sizeof(Ring) + core::kFalseSharingRange - 1) /
                                              core::kFalseSharingRange * core::kFalseSharingRange;
  static_assert(alignof(Ring) <= core::kFalseSharingRange, "RingMemory aligns to 128 bytes");
  static_assert(kHeaderBytes % alignof(Slot) == 0, "the slots after the header stay line-aligned");

  // Bytes to reserve (hugepage sizing) for a ring of `slots` slots: control words and slots.
  [[nodiscard]] static constexpr std::size_t bytes(std::size_t slots) noexcept {
    return kHeaderBytes + Ring::storage_bytes(slots);
  }

  [[nodiscard]] static std::variant<std::unique_ptr<PlacedRing>, std::string> place(std::size_t slots, int numa_node,
                                                                                  bool use_hugepages) {
    if (const char* error = Ring::check_capacity(slots)) return std::string("ring memory: ") + error;
    auto allocated = RingMemory::allocate(bytes(slots), numa_node, use_hugepages);
    if (auto* error = std::get_if<std::string>(&allocated)) return std::move(*error);
    std::unique_ptr<PlacedRing> placed(new PlacedRing(std::move(std::get<std::unique_ptr<RingMemory>>(allocated))));
    auto* base = static_cast<std::byte*>(placed->memory_->data());
    auto* first = reinterpret_cast<Slot*>(base + kHeaderBytes);
    // Atomics need construction before use; the pages were prefaulted by allocate().
    for (std::size_t i = 0; i < slots; ++i) new (first + i) Slot;
    placed->ring_ = new (base) Ring(std::span<Slot>(first, slots));
    return placed;
  }

  PlacedRing(const PlacedRing&) = delete;
  PlacedRing& operator=(const PlacedRing&) = delete;
  ~PlacedRing() {
    if (ring_ != nullptr) ring_->~Ring();  // slots and atomics are trivially destructible
  }

  [[nodiscard]] Ring& ring() noexcept { return *ring_; }
  [[nodiscard]] const RingMemory& memory() const noexcept { return *memory_; }

 private:
  explicit PlacedRing(std::unique_ptr<RingMemory> memory) : memory_(std::move(memory)) {}
  std::unique_ptr<RingMemory> memory_;
  Ring* ring_ = nullptr;
};

}  // namespace tickpath::platform

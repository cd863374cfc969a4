#include "platform/memory/placed_ring.hpp"

#include <array>
#include <cstdint>
#include <span>

#include <gtest/gtest.h>

#include "core/bus/broadcast_ring.hpp"

namespace tickpath::platform {
namespace {

struct Event {
  std::uint64_t a;
  std::uint64_t b;
};
using Placed = PlacedRing<Event>;

std::unique_ptr<Placed> place(std::size_t slots) {
  auto placed = Placed::place(slots, -1, /*use_hugepages=*/false);
  if (auto* error = std::get_if<std::string>(&placed)) ADD_FAILURE() << *error;
  return std::move(std::get<std::unique_ptr<Placed>>(placed));
}

TEST(PlacedRing, ControlWordsLiveAtTheStartOfTheRingMemoryBeforeTheSlots) {
  const auto placed = place(16);
  const auto* base = static_cast<const std::byte*>(placed->memory().data());
  const auto* ring = reinterpret_cast<const std::byte*>(&placed->ring());
  EXPECT_EQ(ring, base);
  EXPECT_EQ(placed->memory().bytes(), Placed::bytes(16));
  EXPECT_EQ(Placed::bytes(16), Placed::kHeaderBytes + core::BroadcastRing<Event>::storage_bytes(16));
  EXPECT_EQ(Placed::kHeaderBytes % core::kFalseSharingRange, 0u);
  EXPECT_GE(Placed::kHeaderBytes, sizeof(core::BroadcastRing<Event>));
}

TEST(PlacedRing, PublishedEventsAreReadBackThroughTheSlotsInRingMemory) {
  const auto placed = place(8);
  core::BroadcastRing<Event>& ring = placed->ring();
  core::RingConsumer<Event> consumer(ring);
  for (std::uint64_t i = 0; i < 12; ++i) ring.publish(Event{i, ~i});  // laps the ring once
  EXPECT_EQ(ring.published(), 12u);
  EXPECT_EQ(ring.capacity(), 8u);
  const auto r = consumer.poll_burst(std::span<Event>(std::array<Event, 1>{}.data(), 1));
  ASSERT_EQ(r.status, core::PollStatus::overrun);
  EXPECT_EQ(r.lost, 4u);  // lapped: the oldest four were overwritten
  consumer.skip_lost(r);
  for (std::uint64_t i = 4; i < 12; ++i) {
    const auto polled = consumer.poll();
    ASSERT_EQ(polled.status, core::PollStatus::events) << "event " << i;
    EXPECT_EQ(polled.event.a, i);
    EXPECT_EQ(polled.event.b, ~i);
  }
  EXPECT_EQ(consumer.poll().status, core::PollStatus::empty);
}

TEST(PlacedRing, ACapacityThatIsNoPowerOfTwoIsRefusedBeforeAnyMemoryIsTaken) {
  auto placed = Placed::place(12, -1, false);
  ASSERT_TRUE(std::holds_alternative<std::string>(placed));
  EXPECT_EQ(std::get<std::string>(placed), "ring memory: ring capacity must be a power of two");
}

}  // namespace
}  // namespace tickpath::platform

#pragma once
// The ack: a fixed-layout record built in place by the executor (seed step 6). No allocation, no
// serialisation; the same bytes go to the sink and (optionally) to the ack log.
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "core/cacheline.hpp"
#include "core/state/lifecycle.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

struct alignas(kCacheLine) Ack {
  std::uint64_t event_seq;   // ring sequence of the event
  std::uint64_t feed_seq;    // feed sequence of the event
  Ticks rx_tsc;              // copied from the event: ingest_to_ack starts here
  Ticks publish_tsc;         // copied from the event: queue stage starts here
  Ticks poll_tsc;            // when the consumer's poll returned the event: queue stage ends
  Ticks decision_tsc;        // when the lifecycle was read and the decision made
  Ticks complete_tsc;        // when the ack was complete: ingest_to_ack ends here
  std::uint8_t executed;     // 1 only when the state read was READY
  LifecycleState state;      // the state the decision saw
  std::uint8_t in_window;    // 1 from the first READY decision on: the measured window (executor.hpp)
  std::uint8_t reserved[5];
};

static_assert(sizeof(Ack) == kCacheLine, "an ack is exactly one cache line");
static_assert(std::is_trivially_copyable_v<Ack>, "acks are plain records");
static_assert(std::is_standard_layout_v<Ack>, "fixed layout");
static_assert(sizeof(LifecycleState) == 1, "state is stored as one byte");

}  // namespace tickpath::core

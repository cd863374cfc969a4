#pragma once
// What a consumer's poll returns. Always a value: nothing on the poll path throws, and an overrun
// cannot be ignored silently ([[nodiscard]]).
#include <cstdint>

namespace tickpath::core {

enum class PollStatus : std::uint8_t {
  empty,    // nothing new was published; nothing was consumed
  events,   // `count` events were copied out and the cursor advanced past them
  overrun,  // the producer lapped this consumer: `lost` events at the cursor are gone. The
            // cursor did not move; recovery is the consumer's explicit call (skip_lost() or resync()).
};

struct [[nodiscard]] BurstResult {
  PollStatus status;
  std::uint32_t count;  // events copied (status == events)
  std::uint64_t lost;   // events overwritten at the cursor when detected (status == overrun)
};

template <class T>
struct [[nodiscard]] Polled {
  PollStatus status;
  std::uint64_t lost;  // as in BurstResult
  T event;             // valid only when status == events

  [[nodiscard]] bool has_event() const noexcept { return status == PollStatus::events; }
};

}  // namespace tickpath::core

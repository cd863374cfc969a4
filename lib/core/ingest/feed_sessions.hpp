#pragma once
// One SequenceTracker per MoldUDP64 session, looked up by the 10-byte session id. A fixed table
// (a feed has one session per day per channel; a few cover a session roll-over and an A/B pair
// sharing the port); the last session used is checked first, so a steady feed costs one compare.
// A frame of a session that finds the table full is published but not tracked, and counted.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/ingest/sequence_tracker.hpp"

namespace tickpath::core {

inline constexpr std::size_t kMaxFeedSessions = 4;
inline constexpr std::size_t kSessionIdBytes = 10;

class FeedSessions {
 public:
  // The tracker of `session` (kSessionIdBytes bytes), or nullptr when the table is full.
  SequenceTracker* find(const std::byte* session) noexcept {
    if (used_ != 0 && same(slots_[last_].id, session)) [[likely]] return &slots_[last_].tracker;
    for (std::size_t i = 0; i < used_; ++i) {
      if (same(slots_[i].id, session)) {
        last_ = i;
        return &slots_[i].tracker;
      }
    }
    if (used_ == kMaxFeedSessions) [[unlikely]] return nullptr;
    Slot& s = slots_[used_];
    std::memcpy(s.id.data(), session, kSessionIdBytes);
    last_ = used_++;
    return &s.tracker;
  }

  [[nodiscard]] std::size_t sessions() const noexcept { return used_; }

 private:
  struct Slot {
    std::array<std::byte, kSessionIdBytes> id{};
    SequenceTracker tracker;
  };
  static bool same(const std::array<std::byte, kSessionIdBytes>& id, const std::byte* session) noexcept {
    return std::memcmp(id.data(), session, kSessionIdBytes) == 0;
  }

  std::array<Slot, kMaxFeedSessions> slots_{};
  std::size_t used_ = 0;
  std::size_t last_ = 0;
};

}  // namespace tickpath::core

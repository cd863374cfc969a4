#pragma once
// The lifecycle state machine:
//
//   INIT ──► WARMUP ──► READY ◄──► DEGRADED
//              │                    ▲  │
//              └────────────────────┘  └──► WARMUP (full restart)
//
// One atomic enum. Runtime and control write it through Lifecycle::transition(); the hot path
// holds a LifecycleView, which can only read, and reads with one relaxed load: a stale read is
// safe by design (an event decided a few nanoseconds after a transition is marked with the state
// the executor saw, and the ack records that state).
#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tickpath::core {

enum class LifecycleState : std::uint8_t { init = 0, warmup = 1, ready = 2, degraded = 3 };

inline constexpr std::array<LifecycleState, 4> kAllLifecycleStates = {
    LifecycleState::init, LifecycleState::warmup, LifecycleState::ready, LifecycleState::degraded};

[[nodiscard]] constexpr std::string_view to_string(LifecycleState s) noexcept {
  switch (s) {
    case LifecycleState::init: return "INIT";
    case LifecycleState::warmup: return "WARMUP";
    case LifecycleState::ready: return "READY";
    case LifecycleState::degraded: return "DEGRADED";
  }
  return "UNKNOWN";
}

// Exactly the seed's edges; everything else, including a state to itself, is invalid.
[[nodiscard]] constexpr bool is_valid_transition(LifecycleState from, LifecycleState to) noexcept {
  using enum LifecycleState;
  switch (from) {
    case init: return to == warmup;
    case warmup: return to == ready || to == degraded;
    case ready: return to == degraded;
    case degraded: return to == ready || to == warmup;
  }
  return false;
}

// The explicit error value of a rejected transition. `from` is the state actually observed at
// the moment of the attempt, which may differ from what the caller expected.
struct TransitionError {
  LifecycleState from;
  LifecycleState to;
  [[nodiscard]] std::string message() const;
};

// Outcome of Lifecycle::transition(): either the edge taken or the error naming both states.
struct [[nodiscard]] TransitionResult {
  bool ok;
  LifecycleState from;
  LifecycleState to;
  [[nodiscard]] explicit operator bool() const noexcept { return ok; }
  [[nodiscard]] TransitionError error() const noexcept { return {from, to}; }
};

// One recorded edge. `tsc` is when the CAS succeeded.
struct TransitionRecord {
  std::uint64_t tsc;
  LifecycleState from;
  LifecycleState to;
};

// Fixed-capacity record of the edges taken, for the summary's timeline. Lock-free and
// allocation-free; transitions are rare (a handful per run), so a full history stops recording
// and counts what it could not keep instead of wrapping.
class TransitionHistory {
 public:
  static constexpr std::size_t kCapacity = 256;

  void record(TransitionRecord r) noexcept {
    // relaxed: the index only has to be unique; the entry is published by `ready`'s release.
    const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= kCapacity) return;
    entries_[i].tsc = r.tsc;
    entries_[i].edge = static_cast<std::uint16_t>(static_cast<unsigned>(r.from) << 8 |
                                                  static_cast<unsigned>(r.to));
    // release: partner of the acquire in snapshot(); the entry's fields are visible first.
    entries_[i].ready.store(true, std::memory_order_release);
  }

  // Entries recorded so far, in recording order (callers sort by tsc when threads raced).
  template <class Out>
  void snapshot(Out&& out) const {
    const std::size_t n = std::min(next_.load(std::memory_order_relaxed), kCapacity);
    for (std::size_t i = 0; i < n; ++i) {
      if (!entries_[i].ready.load(std::memory_order_acquire)) continue;
      const unsigned edge = entries_[i].edge;
      out(TransitionRecord{entries_[i].tsc, static_cast<LifecycleState>(edge >> 8),
                           static_cast<LifecycleState>(edge & 0xFF)});
    }
  }

  [[nodiscard]] std::size_t dropped() const noexcept {
    const std::size_t n = next_.load(std::memory_order_relaxed);
    return n > kCapacity ? n - kCapacity : 0;
  }

 private:
  struct Entry {
    std::uint64_t tsc = 0;
    std::uint16_t edge = 0;
    std::atomic<bool> ready{false};
  };
  std::array<Entry, kCapacity> entries_{};
  std::atomic<std::size_t> next_{0};
};

class LifecycleView;

class Lifecycle {
 public:
  Lifecycle() noexcept = default;
  Lifecycle(const Lifecycle&) = delete;
  Lifecycle& operator=(const Lifecycle&) = delete;

  [[nodiscard]] LifecycleState current() const noexcept {
    // acquire: pairs with the acq_rel exchange in transition(), so a control-plane reader that
    // sees READY also sees everything the transitioning thread wrote before it.
    return state_.load(std::memory_order_acquire);
  }

  // Validates and applies from -> to atomically with respect to other writers (a CAS: two control
  // threads racing cannot both take an edge from the same state).
  TransitionResult transition(LifecycleState to) noexcept;

  // Applies only when the current state is exactly `expected` (used by failure scenarios to
  // restore a remembered state without clobbering a concurrent change).
  TransitionResult transition_from(LifecycleState expected, LifecycleState to) noexcept;

  [[nodiscard]] LifecycleView view() const noexcept;

  // Every edge taken so far, with its TSC stamp.
  [[nodiscard]] const TransitionHistory& history() const noexcept { return history_; }

 private:
  friend class LifecycleView;
  std::atomic<LifecycleState> state_{LifecycleState::init};
  TransitionHistory history_;
  static_assert(std::atomic<LifecycleState>::is_always_lock_free,
                "the hot path reads the state with one plain load: it must be lock-free");
};

// What the hot path holds: a read-only handle. It has no way to transition.
class LifecycleView {
 public:
  explicit LifecycleView(const Lifecycle& lifecycle) noexcept : state_(&lifecycle.state_) {}

  [[nodiscard]] LifecycleState load() const noexcept {
    // relaxed: the executor only needs *a* recent state, and records the one it saw in the ack;
    // no other data is published through this variable.
    return state_->load(std::memory_order_relaxed);
  }

 private:
  const std::atomic<LifecycleState>* state_;
};

inline LifecycleView Lifecycle::view() const noexcept { return LifecycleView{*this}; }

}  // namespace tickpath::core

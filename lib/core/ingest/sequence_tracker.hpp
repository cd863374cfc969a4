#pragma once
// Feed sequence tracking for one MoldUDP64 session: gaps, duplicates and out-of-order frames,
// counted exactly within a window of the last kSequenceWindow sequence numbers.
//
//   next_ - kSequenceWindow            next_ (the next sequence number expected)
//   |<──────── seen_: one bit per number, bit (s % W) ───────>|
//
// A frame at or beyond next_ advances the window: the numbers it skipped are a gap (counted now,
// as the feed handler would detect it) and their bits are cleared. A frame behind next_ is looked
// up bit by bit: if it fills numbers that were never seen it arrived out of order and those
// numbers are `recovered` (gaps - recovered = numbers really missing); if every number was seen
// it is a duplicate. Numbers older than the window cannot be told apart and count as seen: a
// frame that old is reported as a duplicate (documented in docs/wire.md).
//
// Ingest thread only; fixed size, no allocation. In order, a frame's numbers are marked a word
// at a time; behind next_, looked up bit by bit (the rare path). Every loop is bounded by the window.
//
// Wrap safety: numbers live in [0, 2^64). A frame whose numbers would run past 2^64 - 1 is the
// decoder's to drop (DropReason::sequence_overflow); should one reach the tracker anyway its
// range is cut at 2^64 - 1, so `next_ <= first <= end` holds wherever advance() runs. Every loop
// below walks at most kSequenceWindow numbers, whatever the input: no frame can stall the thread.
#include <array>
#include <cstddef>
#include <cstdint>

namespace tickpath::core {

inline constexpr std::uint64_t kSequenceWindow = 4096;
static_assert((kSequenceWindow & (kSequenceWindow - 1)) == 0, "the window is indexed by a mask");

// What one frame did to the session's sequence.
struct SequenceVerdict {
  std::uint64_t gap = 0;        // numbers skipped before this frame (detected now)
  std::uint64_t recovered = 0;  // numbers counted as a gap earlier that this frame delivered
  bool duplicate = false;       // every number of the frame had been received already
  bool out_of_order = false;    // behind the expected number, delivering at least one missing one
};

// The exclusive end of `count` numbers from `first`, cut at the last representable number.
[[nodiscard]] constexpr std::uint64_t sequence_end(std::uint64_t first, std::uint64_t count) noexcept {
  constexpr std::uint64_t kLast = ~std::uint64_t{0};
  return count > kLast - first ? kLast : first + count;
}

class SequenceTracker {
 public:
  // A frame carrying messages `first` .. `first + count - 1` (count >= 1).
  SequenceVerdict frame(std::uint64_t first, std::uint64_t count) noexcept {
    SequenceVerdict v;
    if (!started_) [[unlikely]] {
      started_ = true;
      next_ = first;  // the first frame sets the expectation: joining mid-session is not a gap
    }
    const std::uint64_t end = sequence_end(first, count);
    if (first >= next_) {
      v.gap = first - next_;
      advance(first, end);
      return v;
    }
    // Behind next_: look up what was already received.
    const std::uint64_t old_end = end < next_ ? end : next_;
    const std::uint64_t oldest = next_ > kSequenceWindow ? next_ - kSequenceWindow : 0;
    // Numbers older than the window count as seen: start at the window, so the loop is bounded
    // by it even for a (hostile) count of 2^63.
    for (std::uint64_t s = first > oldest ? first : oldest; s < old_end; ++s) {
      if (test(s)) continue;  // seen
      set(s);
      ++v.recovered;
    }
    const bool extends = end > next_;
    if (extends) advance(next_, end);  // an overlapping frame: the new part is in order
    v.out_of_order = v.recovered != 0;
    v.duplicate = v.recovered == 0 && !extends;
    return v;
  }

  // A heartbeat or end of session announcing `next` as the next number: it can reveal a gap,
  // never a duplicate (it carries no message).
  SequenceVerdict announce(std::uint64_t next) noexcept {
    SequenceVerdict v;
    if (!started_) [[unlikely]] {
      started_ = true;
      next_ = next;
    }
    if (next > next_) {
      v.gap = next - next_;
      advance(next, next);
    }
    return v;
  }

  [[nodiscard]] std::uint64_t next_expected() const noexcept { return next_; }

 private:
  // Numbers [next_, first) were skipped (cleared), [first, end) received (set); next_ = end.
  // Requires next_ <= first <= end (sequence_end guarantees it): then both loops below walk fewer
  // than kSequenceWindow numbers, as distances, never as a comparison that a wrap could defeat.
  void advance(std::uint64_t first, std::uint64_t end) noexcept {
    if (end - next_ >= kSequenceWindow) {
      seen_.fill(0);  // the whole window turns over
      const std::uint64_t received = end - first < kSequenceWindow ? end - first : kSequenceWindow;
      mark_range(end - received, received, true);
    } else {
      mark_range(next_, first - next_, false);
      mark_range(first, end - first, true);
    }
    next_ = end;
  }

  // Sets (received) or clears (skipped) the bits of numbers [from, from + n), n <= kSequenceWindow,
  // a 64-bit word at a time: an in-order frame of a few messages is one masked OR, where a bit
  // per number cost 9 instructions per message (the cycle budget's decode row).
  void mark_range(std::uint64_t from, std::uint64_t n, bool received) noexcept {
    while (n != 0) {
      const unsigned b = bit(from);
      const std::uint64_t take = n < 64u - b ? n : 64u - b;  // 1..64 bits, within one word
      const std::uint64_t mask = (~std::uint64_t{0} >> (64u - take)) << b;
      std::uint64_t& w = seen_[word(from)];
      w = received ? (w | mask) : (w & ~mask);
      from += take;
      n -= take;
    }
  }

  [[nodiscard]] bool test(std::uint64_t s) const noexcept {
    return (seen_[word(s)] >> bit(s)) & 1u;
  }
  void set(std::uint64_t s) noexcept { seen_[word(s)] |= std::uint64_t{1} << bit(s); }
  static std::size_t word(std::uint64_t s) noexcept { return (s & (kSequenceWindow - 1)) / 64; }
  static unsigned bit(std::uint64_t s) noexcept { return static_cast<unsigned>(s & 63); }

  std::array<std::uint64_t, kSequenceWindow / 64> seen_{};
  std::uint64_t next_ = 0;
  bool started_ = false;
};

}  // namespace tickpath::core

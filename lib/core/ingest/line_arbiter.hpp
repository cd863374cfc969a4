#pragma once
// A/B line arbitration for one feed published twice: the first copy of each (session, sequence
// number) to arrive wins and is published; the second is a duplicate, counted on its line; a
// number neither line delivered before the window moved past it is lost (a true gap).
//
// One window per session, W slots (a power of two, sized in the config, allocated at start-up):
//
//   head_ - span_                              head_ (one past the highest number seen, any line)
//   |<──── slot (s & (W-1)): which lines delivered s, the TSC of the first copy ────>|
//
// A number stays in the window until W newer numbers have been seen; when it leaves, its slot is
// settled once and for all: delivered by A only → a gap on B filled by A; B only → a gap on A
// filled by B; neither → a gap on both lines, lost. settle_all() settles what is still in the
// window when the run ends. So every figure is exact, and a loss is declared W numbers late: the
// other line had that long to fill it.
//
// Sequence arithmetic is modulo 2^64 (a window may straddle the wrap): positions are compared by
// the signed difference to head_, never by `<` on raw numbers, and slots are indexed by a mask
// (2^64 is a multiple of W). A jump of d numbers costs at most W settlements: the numbers that
// never entered the window are counted lost in one addition, so no input makes the loop long.
//
// Skew: for a number both lines delivered, B's arrival minus A's, in TSC ticks, signed. The
// recorder (a template parameter, like the sink) gets it as two magnitudes: record_b_later(B-A)
// when B - A >= 0, record_a_later(A-B) when B came first. Both copies stamped by the same poll
// give 0: the resolution is one poll of both lines.
//
// Ingest thread only (single writer of every counter); no allocation after the constructor, no
// lock, no system call.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "core/cacheline.hpp"
#include "core/counter.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

enum class Line : std::uint8_t { a = 0, b = 1 };
inline constexpr std::size_t kLines = 2;
inline constexpr std::size_t kMaxArbitratedSessions = 4;
inline constexpr std::size_t kArbiterSessionIdBytes = 10;
inline constexpr std::uint64_t kMinArbiterWindow = 64;
inline constexpr std::uint64_t kMaxArbiterWindow = std::uint64_t{1} << 22;

[[nodiscard]] constexpr char line_letter(Line l) noexcept { return l == Line::a ? 'A' : 'B'; }

// Written by the ingest thread only; read by the control plane.
struct alignas(kFalseSharingRange) LineCounters {
  Counter frames;          // frames this line delivered (valid MoldUDP64, messages or not)
  Counter won;             // messages this line delivered first: published
  Counter duplicate;       // messages this line delivered after the other line (or twice)
  Counter late;            // messages behind the window: too old to arbitrate, not published
  Counter gaps;            // numbers this line had not delivered when they left the window
  Counter filled_by_other; // of those, numbers the other line delivered
  Counter untracked;       // messages of a session beyond the session table
  Counter last_rx_tsc;     // rx stamp of the newest frame of this line: how fresh the line is
};

struct alignas(kFalseSharingRange) ArbiterCounters {
  std::array<LineCounters, kLines> lines;
  Counter lost;            // numbers neither line delivered within the window (true loss)
  Counter both_delivered;  // numbers both lines delivered: one skew sample each

  [[nodiscard]] const LineCounters& line(Line l) const noexcept { return lines[static_cast<std::size_t>(l)]; }
};

// Whether a message is to be published.
enum class Arbitration : std::uint8_t { won, duplicate, late, untracked };

template <class R>
concept SkewRecorder = requires(R r, Ticks t) {
  { r.record_b_later(t) } noexcept;
  { r.record_a_later(t) } noexcept;
};

// Records nothing: for benchmarks and tests of the counters alone.
struct NullSkewRecorder {
  void record_b_later(Ticks) noexcept {}
  void record_a_later(Ticks) noexcept {}
};

template <SkewRecorder Recorder>
class LineArbiter {
 public:
  // Start-up: allocates kMaxArbitratedSessions windows of `window` slots. Throws
  // std::invalid_argument unless window is a power of two in [64, 2^22].
  LineArbiter(std::uint64_t window, Recorder& recorder, ArbiterCounters& counters)
      : window_(window), mask_(window - 1), recorder_(&recorder), counters_(&counters) {
    if (window < kMinArbiterWindow || window > kMaxArbiterWindow || (window & (window - 1)) != 0) {
      throw std::invalid_argument("arbiter window must be a power of two in [64, 4194304]");
    }
    slots_ = std::make_unique<Slot[]>(kMaxArbitratedSessions * window);
  }

  // A message `seq` of `session` (kArbiterSessionIdBytes bytes) arrived on `line`, stamped `rx`.
  Arbitration message(Line line, const std::byte* session, std::uint64_t seq, Ticks rx) noexcept {
    Session* s = find(session);
    if (s == nullptr) [[unlikely]] {
      counter(line).untracked.add();
      return line == Line::a ? Arbitration::won : Arbitration::untracked;
    }
    if (!s->started) [[unlikely]] start(*s, seq);
    const std::uint64_t ahead = seq - s->head;  // modulo 2^64
    if (static_cast<std::int64_t>(ahead) >= 0) {
      advance(*s, ahead + 1);
      return win(*s, line, seq, rx);
    }
    const std::uint64_t back = s->head - seq;
    if (back > s->span) [[unlikely]] {
      // Behind the oldest number in the window. Early in a session the window may still grow
      // downwards (a line that joined a few numbers earlier than the first one seen); after
      // that, the number's slot was settled (or never existed): too late to arbitrate.
      if (back > window_ || s->settled_any) {
        counter(line).late.add();
        return Arbitration::late;
      }
      s->span = back;
      return win(*s, line, seq, rx);
    }
    Slot& slot = slot_of(*s, seq);
    const std::uint8_t mine = bit(line);
    if (slot.lines == 0) return win(*s, line, seq, rx);
    if ((slot.lines & mine) != 0) {
      counter(line).duplicate.add();  // this line's second copy
      return Arbitration::duplicate;
    }
    slot.lines |= mine;
    counter(line).duplicate.add();
    counters_->both_delivered.add();
    // B - A: positive when B came second. A copy stamped earlier than the first (cannot happen
    // with one monotonic clock read per poll) would be a negative magnitude: clamp it to 0.
    const Ticks since_first = rx >= slot.first_rx ? rx - slot.first_rx : 0;
    if (line == Line::b) {
      recorder_->record_b_later(since_first);
    } else if (since_first == 0) {
      recorder_->record_b_later(0);
    } else {
      recorder_->record_a_later(since_first);
    }
    return Arbitration::duplicate;
  }

  // A heartbeat or end of session on `line` announcing `next` as the next number: the window
  // moves to it (numbers before it exist, whether or not a line delivered them).
  void announce(const std::byte* session, std::uint64_t next) noexcept {
    Session* s = find(session);
    if (s == nullptr) [[unlikely]] return;
    if (!s->started) [[unlikely]] {
      start(*s, next);
      return;
    }
    const std::uint64_t ahead = next - s->head;
    if (static_cast<std::int64_t>(ahead) > 0) advance(*s, ahead);
  }

  // End of run (ingest thread, after its last poll): settles every number still in a window.
  void settle_all() noexcept {
    for (std::size_t i = 0; i < used_; ++i) {
      Session& s = sessions_[i];
      while (s.span != 0) settle_oldest(s);
    }
  }

  [[nodiscard]] std::uint64_t window() const noexcept { return window_; }
  [[nodiscard]] std::size_t sessions() const noexcept { return used_; }

 private:
  struct Slot {
    Ticks first_rx = 0;
    std::uint8_t lines = 0;  // bit 0: A delivered, bit 1: B delivered; 0 = nobody yet
  };
  struct Session {
    std::array<std::byte, kArbiterSessionIdBytes> id{};
    Slot* slots = nullptr;
    std::uint64_t head = 0;  // one past the highest number seen on either line
    std::uint64_t span = 0;  // numbers in the window: [head - span, head), span <= W
    bool started = false;
    bool settled_any = false;  // the window has moved past a number: it no longer grows downwards
  };

  static constexpr std::uint8_t bit(Line l) noexcept { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(l)); }
  LineCounters& counter(Line l) noexcept { return counters_->lines[static_cast<std::size_t>(l)]; }
  Slot& slot_of(Session& s, std::uint64_t seq) noexcept { return s.slots[seq & mask_]; }

  static void start(Session& s, std::uint64_t seq) noexcept {
    s.started = true;
    s.head = seq;  // joining mid-session is not a gap
    s.span = 0;
  }

  Arbitration win(Session& s, Line line, std::uint64_t seq, Ticks rx) noexcept {
    Slot& slot = slot_of(s, seq);
    slot.lines = bit(line);
    slot.first_rx = rx;
    counter(line).won.add();
    return Arbitration::won;
  }

  // head moves `by` numbers forward; the window keeps at most W of them.
  void advance(Session& s, std::uint64_t by) noexcept {
    const std::uint64_t room = window_ - s.span;
    if (by > room) {
      const std::uint64_t out = by - room;  // numbers that must leave the window
      if (out > s.span) {
        // Some skipped numbers never entered the window: nobody delivered them, and anything
        // that brings them now is late. The whole window settles first.
        while (s.span != 0) settle_oldest(s);
        const std::uint64_t never_in = out - (window_ - room);
        lose(never_in);
        s.settled_any = true;
      } else {
        for (std::uint64_t i = 0; i < out; ++i) settle_oldest(s);
      }
    }
    s.span = s.span + by > window_ ? window_ : s.span + by;
    s.head += by;
  }

  void settle_oldest(Session& s) noexcept {
    Slot& slot = slot_of(s, s.head - s.span);
    switch (slot.lines) {
      case 0b11: break;
      case 0b01: missed(Line::b); break;
      case 0b10: missed(Line::a); break;
      default: lose(1); break;
    }
    slot = Slot{};
    --s.span;
    s.settled_any = true;
  }

  void missed(Line l) noexcept {
    counter(l).gaps.add();
    counter(l).filled_by_other.add();
  }
  void lose(std::uint64_t n) noexcept {
    counters_->lost.add(n);
    counter(Line::a).gaps.add(n);
    counter(Line::b).gaps.add(n);
  }

  Session* find(const std::byte* id) noexcept {
    if (used_ != 0 && same(sessions_[last_], id)) [[likely]] return &sessions_[last_];
    for (std::size_t i = 0; i < used_; ++i) {
      if (same(sessions_[i], id)) {
        last_ = i;
        return &sessions_[i];
      }
    }
    if (used_ == kMaxArbitratedSessions) [[unlikely]] return nullptr;
    Session& s = sessions_[used_];
    std::memcpy(s.id.data(), id, kArbiterSessionIdBytes);
    s.slots = slots_.get() + used_ * window_;
    last_ = used_++;
    return &s;
  }
  static bool same(const Session& s, const std::byte* id) noexcept {
    return std::memcmp(s.id.data(), id, kArbiterSessionIdBytes) == 0;
  }

  std::uint64_t window_;
  std::uint64_t mask_;
  Recorder* recorder_;
  ArbiterCounters* counters_;
  std::unique_ptr<Slot[]> slots_;
  std::array<Session, kMaxArbitratedSessions> sessions_{};
  std::size_t used_ = 0;
  std::size_t last_ = 0;
};

}  // namespace tickpath::core

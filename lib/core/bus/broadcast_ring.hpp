#pragma once
// The single-producer, multi-consumer broadcast ring.
// Closest relative: Aeron/Agrona's broadcast buffer (writer announces intent, reader copies then
// checks it was not lapped), with every access a std::atomic so ThreadSanitizer sees the protocol.
//
// Layout (the slot array is handed in by the caller: hugepage memory on the NIC's NUMA node):
//
//   BroadcastRing                          slots_ (capacity = 2^k, one or more lines each)
//   ┌─ 128 B ─────────────────────┐        ┌──────┬──────┬──────┬─ ─ ─┬──────┐
//   │ claimed_   published_  head_│  ───►  │ s[0] │ s[1] │ s[2] │     │s[N-1]│
//   ├─ 128 B ─────────────────────┤        └──────┴──────┴──────┴─ ─ ─┴──────┘
//   │ slots_  mask_ (read-only)   │        sequence q lives in s[q & mask_]
//   └─────────────────────────────┘
//
// Protocol. Sequences are free-running 64-bit counters (never wrap in practice: 2^64 events at
// 1e9/s is 584 years); only slot indices are masked.
//   Producer, per burst of n at head h:
//     1. claimed_   = h + n   (relaxed)   "slots of h-N .. h+n-1-N may be overwritten from now"
//     2. each slot word      (release)    orders step 1 before the new data (partner: 4)
//     3. published_ = h + n   (release)   publishes the data of h .. h+n-1 (partner: A)
//   Consumer at cursor c (private to the consumer):
//     A. p = published_      (acquire)    sequences < p are readable (partner: 3)
//     B. copy slots c .. c+k-1, each word with acquire loads (partner: 2)
//     C. q = claimed_        (relaxed)    ordered after B by B's acquire loads
//     D. the copy of sequence i is intact iff no writer had claimed i + N, i.e. q <= i + N.
//        The oldest copied sequence is c, so the whole batch is intact iff q <= c + N;
//        otherwise the consumer was lapped (possibly mid-copy) and q - N - c events are gone.
//   Why D is sound: if any word copied in B came from a newer sequence j = i + N, that store was
//   a release (2) sequenced after claimed_ >= j + 1 (1); B's acquire load read it, so C reads
//   claimed_ >= j + 1 > i + N and the batch is rejected. If every word was old, the copy is
//   intact whatever C reads; a rejection is then conservative by at most one burst.
// The producer never reads consumer state: publishing never blocks and costs the same with one
// consumer or forty.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "core/bus/poll_result.hpp"
#include "core/cacheline.hpp"

namespace tickpath::core {

template <class T>
concept RingElement = std::is_trivially_copyable_v<T> && sizeof(T) % sizeof(std::uint64_t) == 0 &&
                      alignof(T) <= kCacheLine;

// One slot: the element stored as 64-bit atomic words, so a reader racing the writer is a
// well-defined (and TSan-visible) atomic race instead of a data race on a memcpy.
template <RingElement T>
struct alignas(kCacheLine) RingSlot {
  static constexpr std::size_t kWords = sizeof(T) / sizeof(std::uint64_t);
  std::atomic<std::uint64_t> words[kWords];

  // Both copies are unrolled at compile time (a fold over the word indices): GCC keeps a loop of
  // atomic stores or loads as a loop, 6 instructions per word where the copy itself is 2 (the
  // cycle budget's publish and poll rows).
  void store(const T& value) noexcept { store_words(value, std::make_index_sequence<kWords>{}); }

  // One word of the element, for a producer that builds the element in the slot itself (the
  // ingest stage's decode-into-slot): the same release store as store() (step 2).
  template <std::size_t W>
  void store_word(std::uint64_t word) noexcept {
    static_assert(W < kWords);
    words[W].store(word, std::memory_order_release);
  }

  void load(T& out) const noexcept { load_words(out, std::make_index_sequence<kWords>{}); }

 private:
  template <std::size_t... W>
  void store_words(const T& value, std::index_sequence<W...>) noexcept {
    const auto* src = reinterpret_cast<const unsigned char*>(&value);
    // Word by word straight from `value`, as load() does: a staged copy cost 16 extra
    // instructions per event (the cycle budget's publish row) and mixes vector stores with
    // 8-byte reloads of the same bytes.
    // release: step 2 — orders the earlier claimed_ store before each word (partner: step B).
    (words[W].store(word_at(src, W), std::memory_order_release), ...);
  }

  template <std::size_t... W>
  void load_words(T& out, std::index_sequence<W...>) const noexcept {
    auto* dst = reinterpret_cast<unsigned char*>(&out);
    // acquire: step B — if a word is newer than the cursor's sequence, the claim that preceded
    // it is visible to step C (partner: step 2). Straight into `out`, word by word: staging
    // through a local array made the compiler re-read it with 16-byte loads that cannot be
    // forwarded from 8-byte stores (a store-forwarding stall per event, 11% of the hot thread).
    (put_word(dst, W, words[W].load(std::memory_order_acquire)), ...);
  }

  static std::uint64_t word_at(const unsigned char* src, std::size_t w) noexcept {
    std::uint64_t word;
    std::memcpy(&word, src + w * sizeof(std::uint64_t), sizeof word);
    return word;
  }
  static void put_word(unsigned char* dst, std::size_t w, std::uint64_t word) noexcept {
    std::memcpy(dst + w * sizeof(std::uint64_t), &word, sizeof word);
  }
};

template <RingElement T>
class RingConsumer;

template <RingElement T>
class BroadcastRing {
 public:
  using Slot = RingSlot<T>;
  static_assert(sizeof(Slot) % kCacheLine == 0, "slots are whole cache lines: no false sharing");
  static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                "the protocol needs lock-free 64-bit atomics");

  // Start-up check, as an error value (nullptr when fine).
  [[nodiscard]] static constexpr const char* check_capacity(std::size_t slots) noexcept {
    if (slots < 2) return "ring capacity must be at least 2 slots";
    if (!std::has_single_bit(slots)) return "ring capacity must be a power of two";
    return nullptr;
  }

  // Bytes the caller must provide for `slots` slots, aligned to kCacheLine.
  [[nodiscard]] static constexpr std::size_t storage_bytes(std::size_t slots) noexcept {
    return slots * sizeof(Slot);
  }

  // `storage` must outlive the ring. Start-up only: throws std::invalid_argument on a bad size.
  explicit BroadcastRing(std::span<Slot> storage)
      : slots_(storage.data()), mask_(storage.size() - 1) {
    if (const char* error = check_capacity(storage.size())) throw std::invalid_argument(error);
    for (auto& slot : storage) {
      for (auto& word : slot.words) word.store(0, std::memory_order_relaxed);
    }
  }

  BroadcastRing(const BroadcastRing&) = delete;
  BroadcastRing& operator=(const BroadcastRing&) = delete;

  [[nodiscard]] std::uint64_t capacity() const noexcept { return mask_ + 1; }

  // ---- producer (one thread) ----

  // Sequence the next published event will get.
  [[nodiscard]] std::uint64_t next_sequence() const noexcept { return head_; }

  void publish(const T& value) noexcept { publish_burst(std::span<const T>(&value, 1)); }

  // Precondition: values.size() <= capacity(). Keep bursts <= capacity() / 2: while a burst of
  // n is being written, the newest published event is safe to read only if n <= capacity - 1,
  // and a consumer that resyncs mid-burst makes progress only if the burst leaves the newest
  // event alone with room to spare (with n == capacity every resync lands on a slot being
  // overwritten and the same overrun is reported until the burst completes).
  void publish_burst(std::span<const T> values) noexcept {
    const std::uint64_t head = head_;
    const std::uint64_t end = head + values.size();
    claim(end);
    for (std::size_t i = 0; i < values.size(); ++i) slot(head + i).store(values[i]);
    publish_to(end);
  }

  // The same three steps for a producer that writes the slots itself (core/ingest/event_writer.hpp).
  //   claim(end)      step 1: the slots of next_sequence() .. end-1 are about to be written.
  //                   Every slot write must come after a claim that covers it. A claim may run
  //                   ahead of what is written (a rejection is then conservative, see D) and
  //                   may be lowered again, but never below a slot already written: a consumer
  //                   that copied an overwritten word must still find the claim that preceded it.
  //   slot(seq)       the slot of sequence seq, written word by word (RingSlot::store_word).
  //   publish_to(end) step 3: sequences < end are readable. Precondition: claimed >= end.
  void claim(std::uint64_t end) noexcept {
    // relaxed: step 1. Made visible before the data by the release stores of step 2.
    claimed_.store(end, std::memory_order_relaxed);
  }

  [[nodiscard]] Slot& slot(std::uint64_t sequence) noexcept { return slots_[sequence & mask_]; }

  // The slot array (capacity() slots; sequence q in slot q & (capacity() - 1)), for a producer
  // that keeps the geometry in registers across its slot stores.
  [[nodiscard]] Slot* slots() noexcept { return slots_; }

  void publish_to(std::uint64_t end) noexcept {
    // release: step 3 — the data above is visible to any consumer that acquires `end` (step A).
    published_.store(end, std::memory_order_release);
    head_ = end;
  }

  // ---- any thread ----

  [[nodiscard]] std::uint64_t published() const noexcept {
    // acquire: partner of step 3.
    return published_.load(std::memory_order_acquire);
  }

 private:
  friend class RingConsumer<T>;

  // Producer line: written by the producer only, read by every consumer.
  alignas(kFalseSharingRange) std::atomic<std::uint64_t> claimed_{0};
  std::atomic<std::uint64_t> published_{0};
  std::uint64_t head_ = 0;  // producer-private copy of published_
  // Read-only after construction: kept off the producer's line so consumers' reads of the
  // geometry never contend with the producer's stores.
  alignas(kFalseSharingRange) Slot* const slots_;
  const std::uint64_t mask_;
};

// A consumer's private cursor. One object per consumer thread; consumers never write shared
// state, so adding one changes nothing for the producer or the others.
template <RingElement T>
class alignas(kFalseSharingRange) RingConsumer {
 public:
  // Joins at the current end of the ring: the first event delivered is the next one published.
  explicit RingConsumer(const BroadcastRing<T>& ring) noexcept
      : ring_(&ring), cursor_(ring.published()) {}

  [[nodiscard]] std::uint64_t cursor() const noexcept { return cursor_; }

  // Events published but not yet consumed (may exceed capacity when lapped).
  [[nodiscard]] std::uint64_t lag() const noexcept { return ring_->published() - cursor_; }

  [[nodiscard]] Polled<T> poll() noexcept {
    Polled<T> result{};
    const BurstResult burst = poll_burst(std::span<T>(&result.event, 1));
    result.status = burst.status;
    result.lost = burst.lost;
    return result;
  }

  // Copies up to out.size() consecutive events. out.size() must be >= 1.
  BurstResult poll_burst(std::span<T> out) noexcept {
    const std::uint64_t published = ring_->published();  // step A (acquire inside)
    const std::uint64_t cursor = cursor_;
    if (published == cursor) return {PollStatus::empty, 0, 0};
    const std::uint64_t capacity = ring_->mask_ + 1;
    const std::uint64_t count = std::min<std::uint64_t>(published - cursor, out.size());
    if (published - cursor <= capacity) [[likely]] {
      for (std::uint64_t i = 0; i < count; ++i) {
        ring_->slots_[(cursor + i) & ring_->mask_].load(out[i]);  // step B
      }
    }
    // relaxed: step C, ordered after step B's acquire loads.
    const std::uint64_t claimed = ring_->claimed_.load(std::memory_order_relaxed);
    if (claimed > cursor + capacity) [[unlikely]] {  // step D
      return {PollStatus::overrun, 0, claimed - capacity - cursor};
    }
    cursor_ = cursor + count;
    return {PollStatus::events, static_cast<std::uint32_t>(count), 0};
  }

  // Explicit recovery that loses nothing intact: move the cursor past exactly the `overrun.lost`
  // events the poll found overwritten, to the oldest event still intact (claimed - capacity when
  // detected, which is <= published while bursts are <= capacity). If more were overwritten
  // since, the next poll reports them as another overrun, exactly. Precondition:
  // overrun.status == PollStatus::overrun (lost > 0 then, so every call makes progress).
  void skip_lost(const BurstResult& overrun) noexcept { cursor_ += overrun.lost; }

  // Explicit recovery: move the cursor to the newest published event (the next poll returns it)
  // and return how many events were skipped. Those are the events this consumer lost.
  std::uint64_t resync() noexcept {
    const std::uint64_t published = ring_->published();
    if (published == 0 || cursor_ + 1 >= published) return 0;
    const std::uint64_t skipped = (published - 1) - cursor_;
    cursor_ = published - 1;
    return skipped;
  }

 private:
  const BroadcastRing<T>* ring_;
  std::uint64_t cursor_;
};

}  // namespace tickpath::core

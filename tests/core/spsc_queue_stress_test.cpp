// The SPSC queue under real concurrency (also run under ThreadSanitizer, suite concurrency): a
// producer thread and a consumer thread on a tiny queue, so it is full and empty all the time.
// Every element is 64 bytes whose words all derive from its sequence: a torn or stale read is
// detected. Lossless mode (the producer retries) must deliver exactly 0..N-1 in order; lossy
// mode (the producer drops, like the ack log) must deliver an increasing subsequence whose
// length plus the drops is exactly N.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include <gtest/gtest.h>

#include "core/bus/spsc_queue.hpp"
#include "tests/core/sanitized.hpp"

namespace tickpath::core {
namespace {

constexpr std::uint64_t kElements = TICKPATH_SANITIZED ? 100'000 : 500'000;

struct alignas(64) Element {
  std::array<std::uint64_t, 8> words;
  static Element make(std::uint64_t seq) {
    Element e{};
    for (std::size_t i = 0; i < e.words.size(); ++i) e.words[i] = seq * 0x9E3779B97F4A7C15ull + i;
    return e;
  }
  [[nodiscard]] bool intact() const {
    const std::uint64_t seq = seq_of();
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (words[i] != seq * 0x9E3779B97F4A7C15ull + i) return false;
    }
    return true;
  }
  // words[0] = seq * K and K is odd, so the sequence is recoverable with K's inverse mod 2^64.
  [[nodiscard]] std::uint64_t seq_of() const {
    std::uint64_t inv = 0x9E3779B97F4A7C15ull;  // Newton's iteration for the inverse of an odd K
    for (int i = 0; i < 5; ++i) inv *= 2 - 0x9E3779B97F4A7C15ull * inv;
    return words[0] * inv;
  }
};

struct Seen {
  std::uint64_t delivered = 0;
  std::uint64_t damaged = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t last = UINT64_MAX;
};

Seen consume_until(SpscQueue<Element>& q, const std::atomic<bool>& producer_done, bool lossless) {
  Seen s;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::uint64_t expected = 0;
  for (;;) {
    // acquire: partner of the producer's release store after its last push.
    const bool done = producer_done.load(std::memory_order_acquire);
    const std::size_t n = q.consume(37, [&](const Element& e) {
      ++s.delivered;
      if (!e.intact()) ++s.damaged;
      const std::uint64_t seq = e.seq_of();
      if (lossless ? seq != expected : (s.last != UINT64_MAX && seq <= s.last)) ++s.out_of_order;
      expected = seq + 1;
      s.last = seq;
    });
    if (n == 0 && done) break;
    if (std::chrono::steady_clock::now() > deadline) break;
  }
  return s;
}

TEST(SpscQueueStress, LosslessProducerDeliversEveryElementIntactAndInOrder) {
  SpscQueue<Element> q(64);
  std::atomic<bool> done{false};
  std::thread producer([&] {
    for (std::uint64_t i = 0; i < kElements; ++i) {
      const Element e = Element::make(i);
      while (!q.try_push(e)) std::this_thread::yield();
    }
    done.store(true, std::memory_order_release);
  });
  const Seen s = consume_until(q, done, true);
  producer.join();
  EXPECT_EQ(s.delivered, kElements);
  EXPECT_EQ(s.damaged, 0u);
  EXPECT_EQ(s.out_of_order, 0u);
}

TEST(SpscQueueStress, DroppingProducerLosesNothingUncounted) {
  SpscQueue<Element> q(64);
  std::atomic<bool> done{false};
  std::uint64_t dropped = 0;
  std::thread producer([&] {
    for (std::uint64_t i = 0; i < kElements; ++i) {
      if (!q.try_push(Element::make(i))) ++dropped;
    }
    done.store(true, std::memory_order_release);
  });
  const Seen s = consume_until(q, done, false);
  producer.join();
  EXPECT_EQ(s.delivered + dropped, kElements) << "delivered " << s.delivered << " dropped " << dropped;
  EXPECT_EQ(s.damaged, 0u);
  EXPECT_EQ(s.out_of_order, 0u);
  EXPECT_EQ(q.pushed(), s.delivered);
}

}  // namespace
}  // namespace tickpath::core

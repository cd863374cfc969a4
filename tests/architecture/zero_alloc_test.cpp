// Rule: no heap allocation on the hot path after start-up. Every allocation entry point of this
// process is replaced with a counting one (operator new/delete and the C allocator), and
// 1,000,000 events go source -> ingest -> ring -> executor -> sink while the counter is armed.
#include <dlfcn.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "control/metrics/line_skew.hpp"
#include "control/metrics/metrics_sink.hpp"
#include "core/ingest/arbitrated_decoder.hpp"
#include "core/ingest/line_pair_source.hpp"
#include "tests/architecture/hot_loop_fixture.hpp"

extern "C" void* __libc_malloc(std::size_t);
extern "C" void* __libc_calloc(std::size_t, std::size_t);
extern "C" void* __libc_realloc(void*, std::size_t);
extern "C" void* __libc_memalign(std::size_t, std::size_t);
extern "C" void __libc_free(void*);

namespace {
std::atomic<bool> g_armed{false};
std::atomic<std::uint64_t> g_allocations{0};

inline void count() noexcept {
  if (g_armed.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

// The C allocator: glibc lets a program replace malloc and friends as a set.
extern "C" void* malloc(std::size_t n) {
  count();
  return __libc_malloc(n);
}
extern "C" void* calloc(std::size_t n, std::size_t size) {
  count();
  return __libc_calloc(n, size);
}
extern "C" void* realloc(void* p, std::size_t n) {
  count();
  return __libc_realloc(p, n);
}
extern "C" void* aligned_alloc(std::size_t align, std::size_t n) {
  count();
  return __libc_memalign(align, n);
}
extern "C" int posix_memalign(void** out, std::size_t align, std::size_t n) {
  count();
  *out = __libc_memalign(align, n);
  return *out == nullptr ? ENOMEM : 0;
}
extern "C" void free(void* p) { __libc_free(p); }

// operator new: every form funnels into malloc above (the aligned ones into aligned_alloc).
void* operator new(std::size_t n) {
  if (void* p = malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  const auto align = static_cast<std::size_t>(a);
  if (void* p = aligned_alloc(align, (n + align - 1) / align * align)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, std::size_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t) noexcept { free(p); }
void operator delete(void* p, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { free(p); }

namespace tickpath::testing {
namespace {

struct Armed {
  Armed() {
    g_allocations.store(0);
    g_armed.store(true);
  }
  ~Armed() { g_armed.store(false); }
};

// Positive control: the hooks see an allocation made inside the armed window, through both
// operator new and malloc (called via a volatile pointer so the compiler cannot elide them).
TEST(ZeroAllocation, HooksCountAllocationsWhenArmed) {
  void* (*volatile c_alloc)(std::size_t) = &malloc;
  std::uint64_t seen = 0;
  {
    Armed armed;
    auto* boxed = new std::uint64_t(42);
    void* raw = c_alloc(64);
    seen = g_allocations.load();
    free(raw);
    delete boxed;
  }
  EXPECT_EQ(seen, 2u);
}

template <class Sink>
void expect_no_allocation() {
  HotLoopFixture<Sink> loop;  // start-up: allocates
  (void)loop.run(10'000);  // first touches outside the window
  std::uint64_t allocations = 0;
  std::uint64_t executed = 0;
  {
    Armed armed;
    executed = loop.run(1'000'000);
    allocations = g_allocations.load();
  }
  EXPECT_EQ(allocations, 0u) << "the hot path allocated";
  EXPECT_GE(executed, 1'010'000u);
  EXPECT_EQ(loop.decisions().executed.load(), loop.consumer().consumed.load());
  EXPECT_GT(loop.ingest().dropped(core::DropReason::message_past_end), 0u);
}

TEST(ZeroAllocation, OneMillionEventsThroughTheHotPathAllocateNothing) { expect_no_allocation<core::NullSink>(); }

// The same path with the real sink: four histograms recorded per ack, still nothing allocated.
TEST(ZeroAllocation, WithTheMetricsSinkToo) {
  expect_no_allocation<control::MetricsSink>();
}

// report.ack_log = true: the tee around the metrics sink, its queue filling and being drained.
TEST(ZeroAllocation, WithTheAckLogTeeToo) {
  using Sink = SmallAckLogSink<control::MetricsSink>;
  expect_no_allocation<Sink>();
}

TEST(ZeroAllocation, TheAckLogFixtureExercisesBothThePushAndTheDropPath) {
  HotLoopFixture<SmallAckLogSink<control::MetricsSink>> loop;
  (void)loop.run(100'000);
  EXPECT_GT(loop.sink().dropped().load(), 0u) << "the queue never filled: the drop path was not run";
  EXPECT_GT(loop.sink().queue().consumed(), SmallAckLogSink<control::MetricsSink>::kCapacity)
      << "the queue was not drained: the push path ran only until it filled";
  EXPECT_EQ(loop.sink().queue().pushed() + loop.sink().dropped().load(), loop.consumer().consumed.load());
}

// One line's frames, renumbered on every lap so the arbiter keeps seeing new numbers; the line
// drops its k-th frame when k % 8 == phase, so gaps are filled by the other line. Two copies of
// the lap, used in turn: a copy is renumbered for lap n + 2 only when lap n + 1 starts, so no
// view still in the stage's burst (32 < a lap of 64 frames) is rewritten under it.
class LappingLine {
 public:
  LappingLine(const std::vector<std::vector<std::byte>>& frames, std::uint64_t per_lap, std::size_t phase)
      : laps_{frames, frames}, per_lap_(per_lap), phase_(phase) {
    for (auto& f : laps_[1]) bump(f, per_lap_);
  }

  std::size_t receive(std::span<core::FrameView> out) noexcept {
    std::size_t n = 0;
    while (n < out.size()) {
      if (next_ == laps_[0].size()) {
        next_ = 0;
        if (++lap_ >= 2) {
          for (auto& g : laps_[lap_ & 1]) bump(g, 2 * per_lap_);
        }
      }
      std::vector<std::byte>& f = laps_[lap_ & 1][next_++];
      if (taken_++ % 8 == phase_) continue;
      out[n++] = core::FrameView{f.data(), static_cast<std::uint32_t>(f.size()), 0};
    }
    return n;
  }
  void release() noexcept {}

 private:
  static void bump(std::vector<std::byte>& f, std::uint64_t by) noexcept {
    constexpr std::size_t kSeqAt = 14 + 20 + 8 + 10;  // Ethernet, IPv4, UDP, session
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < 8; ++i) seq = (seq << 8) | std::to_integer<std::uint64_t>(f[kSeqAt + i]);
    seq += by;
    for (std::size_t i = 0; i < 8; ++i) f[kSeqAt + i] = std::byte(static_cast<std::uint8_t>(seq >> (56 - 8 * i)));
  }

  std::array<std::vector<std::vector<std::byte>>, 2> laps_;
  std::uint64_t per_lap_;
  std::size_t phase_;
  std::size_t next_ = 0;
  std::uint64_t lap_ = 0;
  std::uint64_t taken_ = 0;
};

// ingest.lines: two lines through the line pair, the arbiter and its skew histograms; with a
// LineGroupFilter, the per-line destination check (ingest.lines.<x>.multicast) in front of it.
template <class Filter>
void expect_two_arbitrated_lines_allocate_nothing(Filter filter) {
  std::vector<std::vector<std::byte>> frames;
  wire::MoldFrameSpec spec;
  spec.dst_ip = {239, 1, 1, 1};
  // High numbers, but no frame may run past 2^64 - 1: such a frame is malformed
  // (DropReason::sequence_overflow, dropped on both lines alike), so a feed never wraps.
  spec.first_seq = UINT64_MAX / 2;
  for (int f = 0; f < 64; ++f) {
    std::vector<std::vector<std::byte>> messages(1 + f % 4, std::vector<std::byte>(24, std::byte{0x5A}));
    frames.push_back(wire::build_moldudp64_frame(spec, messages));
    spec.first_seq += messages.size();
  }
  const std::uint64_t per_lap = spec.first_seq - UINT64_MAX / 2;
  LappingLine a(frames, per_lap, 0), b(frames, per_lap, 4);
  core::LinePairSource<LappingLine, LappingLine> pair(a, b);
  control::LineSkewHistograms skew;
  core::ArbiterCounters lines;
  core::ArbitratedMoldUdp64Decoder<control::LineSkewHistograms, Filter> decoder({30001, 30001}, 4096, skew, lines,
                                                                                filter);
  std::vector<core::RingSlot<core::Event>> storage(4096);
  core::BroadcastRing<core::Event> ring{std::span(storage)};
  core::IngestCounters ingest;
  core::IngestStage<decltype(pair), decltype(decoder)> stage(pair, decoder, ring, ingest, 32);
  for (int i = 0; i < 1000; ++i) stage.poll();
  std::uint64_t allocations = 0;
  {
    Armed armed;
    for (int i = 0; i < 100'000; ++i) stage.poll();
    stage.finish();
    allocations = g_allocations.load();
  }
  EXPECT_EQ(allocations, 0u) << "the two-line hot path allocated";
  EXPECT_GT(lines.line(core::Line::a).won.load(), 0u);
  EXPECT_GT(lines.line(core::Line::b).won.load(), 0u);
  EXPECT_GT(lines.line(core::Line::a).filled_by_other.load(), 0u);
  EXPECT_GT(lines.both_delivered.load(), 0u);
  EXPECT_EQ(lines.lost.load(), 0u) << "A and B never drop the same frame";
  EXPECT_EQ(ingest.drops[static_cast<std::size_t>(core::DropReason::wrong_group)].load(), 0u)
      << "every frame went to the lines' group";
}

TEST(ZeroAllocation, TwoArbitratedLinesAllocateNothing) {
  expect_two_arbitrated_lines_allocate_nothing(core::AnyLineDestination{});
}

TEST(ZeroAllocation, TwoArbitratedLinesFilteredByGroupAllocateNothing) {
  expect_two_arbitrated_lines_allocate_nothing(core::LineGroupFilter({0xEF010101u, 0xEF010101u}));
}

}  // namespace
}  // namespace tickpath::testing

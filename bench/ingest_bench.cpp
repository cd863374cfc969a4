// The ingest stage end to end on one thread: SyntheticSource (frames built at start-up) ->
// IngestStage (stamp, decode, publish one burst) -> ring, with a consumer on the same thread
// draining the ring after every poll so it is never lapped. Items are events published.
//   Ingest/raw/burst:32        64-byte zero-filled frames, one opaque event each (null PMD shape)
//   Ingest/moldudp64/burst:32  Ethernet/IPv4/UDP/MoldUDP64 frames of 4 messages x 36 bytes
//                              (the size of an ITCH Add Order): 4 events per frame
//   Ingest/moldudp64_in_order  the same frames with their sequence numbers advanced on every
//                              pass (a live feed); the cycled variant above repeats the same
//                              numbers, so after the first pass it measures the duplicate path
//   Ingest/ab_lines/burst:32   two lines (LinePairSource) carrying the same in-order feed through
//                              the A/B arbiter (window 4096) with its skew histograms: every
//                              number arrives twice, the first copy is published. Items are
//                              messages received on both lines (what the ingest core handles);
//                              published_per_second counts the events that reached the ring
// Both caches stay warm (a handful of frames cycled), so this is the stage's compute cost, not
// memory or NIC behaviour.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/bench_support.hpp"
#include "control/metrics/line_skew.hpp"
#include "core/ingest/arbitrated_decoder.hpp"
#include "core/ingest/decoder.hpp"
#include "wire/frame_builder.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "core/ingest/line_pair_source.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/synthetic_source.hpp"

namespace {

namespace core = tickpath::core;
namespace wire = tickpath::wire;
using tickpath::bench::kRingCapacity;
using tickpath::bench::RingHarness;

constexpr std::size_t kFrames = 16;
constexpr std::size_t kMoldMessages = 4;
constexpr std::size_t kMoldMessageBytes = 36;
constexpr std::uint16_t kFeedPort = 30001;

std::vector<std::vector<std::byte>> raw_frames() {
  return std::vector<std::vector<std::byte>>(kFrames, std::vector<std::byte>(64));
}

std::vector<std::vector<std::byte>> mold_frames() {
  std::vector<std::vector<std::byte>> frames;
  wire::MoldFrameSpec spec;
  spec.udp_dst_port = kFeedPort;
  for (std::size_t f = 0; f < kFrames; ++f) {
    spec.first_seq = 1 + f * kMoldMessages;
    std::vector<std::vector<std::byte>> messages;
    for (std::size_t m = 0; m < kMoldMessages; ++m) {
      messages.emplace_back(kMoldMessageBytes, std::byte{static_cast<unsigned char>('A' + m)});
    }
    frames.push_back(wire::build_moldudp64_frame(spec, messages));
  }
  return frames;
}

// Cycles frames it owns and rewrites each one's MoldUDP64 sequence number as it hands it out,
// so the decoder sees a gapless, ever-increasing feed (one 8-byte store per frame of overhead).
class AdvancingSource {
 public:
  // At least kMaxRxBurst distinct buffers: a frame is rewritten only after the stage decoded it.
  explicit AdvancingSource(const std::vector<std::vector<std::byte>>& frames) {
    while (frames_.size() < core::kMaxRxBurst) frames_.insert(frames_.end(), frames.begin(), frames.end());
  }
  std::size_t receive(std::span<core::FrameView> out) noexcept {
    for (core::FrameView& v : out) {
      std::vector<std::byte>& f = frames_[next_++ % frames_.size()];
      std::uint64_t seq = seq_;
      for (int i = 7; i >= 0; --i, seq >>= 8) f[kSeqOffset + static_cast<std::size_t>(i)] = std::byte(seq & 0xFF);
      seq_ += kMoldMessages;
      v = core::FrameView{f.data(), static_cast<std::uint32_t>(f.size()), 0};
    }
    return out.size();
  }
  void release() noexcept {}

 private:
  static constexpr std::size_t kSeqOffset = 14 + 20 + 8 + 10;  // Ethernet, IPv4, UDP, session
  std::vector<std::vector<std::byte>> frames_;
  std::size_t next_ = 0;
  std::uint64_t seq_ = 1;
};

template <class Decoder, class Source = core::SyntheticSource>
void run_ingest(benchmark::State& state, const std::vector<std::vector<std::byte>>& frames,
                Decoder decoder) {
  const auto burst = static_cast<std::size_t>(state.range(0));
  std::vector<core::FrameView> views;
  for (const auto& f : frames) views.push_back({f.data(), static_cast<std::uint32_t>(f.size()), 0});
  auto source = [&] {
    if constexpr (std::is_same_v<Source, core::SyntheticSource>) {
      return core::SyntheticSource{std::span<const core::FrameView>(views)};
    } else {
      return Source(frames);
    }
  }();
  RingHarness<core::Event> harness(kRingCapacity);
  core::IngestCounters counters;
  auto stage = std::make_unique<core::IngestStage<Source, Decoder>>(
      source, decoder, harness.ring, counters, burst);
  core::RingConsumer<core::Event> consumer(harness.ring);
  std::array<core::Event, 32> out{};
  std::uint64_t drained = 0;
  std::uint64_t overruns = 0;

  for (auto _ : state) {
    benchmark::DoNotOptimize(stage->poll());
    for (;;) {
      const core::BurstResult r = consumer.poll_burst(std::span<core::Event>(out));
      if (r.status == core::PollStatus::empty) break;
      if (r.status == core::PollStatus::overrun) [[unlikely]] {
        ++overruns;
        (void)consumer.resync();
        continue;
      }
      drained += r.count;
    }
    benchmark::DoNotOptimize(out);
  }

  const std::uint64_t events = counters.events.load();
  const std::uint64_t received = counters.frames.load();
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["frames_per_second"] =
      benchmark::Counter(static_cast<double>(received), benchmark::Counter::kIsRate);
  state.counters["events_per_frame"] =
      received == 0 ? 0.0 : static_cast<double>(events) / static_cast<double>(received);
  state.counters["drops"] = static_cast<double>(counters.malformed() + counters.foreign());
  state.counters["overruns"] = static_cast<double>(overruns);
  state.counters["drained"] = static_cast<double>(drained);
  state.counters["duplicates"] = static_cast<double>(counters.feed_duplicates.load());
}

void BM_IngestRaw(benchmark::State& state) { run_ingest(state, raw_frames(), core::RawDecoder{}); }
BENCHMARK(BM_IngestRaw)->Name("Ingest/raw")->ArgName("burst")->Arg(32);

void BM_IngestMold(benchmark::State& state) {
  run_ingest(state, mold_frames(), core::MoldUdp64Decoder{kFeedPort});
}
BENCHMARK(BM_IngestMold)->Name("Ingest/moldudp64")->ArgName("burst")->Arg(32);

void BM_IngestMoldInOrder(benchmark::State& state) {
  run_ingest<core::MoldUdp64Decoder, AdvancingSource>(state, mold_frames(), core::MoldUdp64Decoder{kFeedPort});
}
BENCHMARK(BM_IngestMoldInOrder)->Name("Ingest/moldudp64_in_order")->ArgName("burst")->Arg(32);

// Both lines carry the same feed (each its own AdvancingSource from number 1); the pair
// alternates which line fills the burst first, so B runs one burst behind A and then the reverse.
void BM_IngestAbLines(benchmark::State& state) {
  const auto burst = static_cast<std::size_t>(state.range(0));
  const auto frames = mold_frames();
  AdvancingSource a(frames), b(frames);
  core::LinePairSource<AdvancingSource, AdvancingSource> pair(a, b);
  tickpath::control::LineSkewHistograms skew;
  core::ArbiterCounters lines;
  using Decoder = core::ArbitratedMoldUdp64Decoder<tickpath::control::LineSkewHistograms>;
  Decoder decoder({kFeedPort, kFeedPort}, 4096, skew, lines);
  RingHarness<core::Event> harness(kRingCapacity);
  core::IngestCounters counters;
  auto stage = std::make_unique<core::IngestStage<decltype(pair), Decoder>>(pair, decoder, harness.ring, counters, burst);
  core::RingConsumer<core::Event> consumer(harness.ring);
  std::array<core::Event, 32> out{};
  std::uint64_t overruns = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stage->poll());
    for (;;) {
      const core::BurstResult r = consumer.poll_burst(std::span<core::Event>(out));
      if (r.status == core::PollStatus::empty) break;
      if (r.status == core::PollStatus::overrun) [[unlikely]] {
        ++overruns;
        (void)consumer.resync();
      }
    }
    benchmark::DoNotOptimize(out);
  }
  const std::uint64_t received = counters.frames.load() * kMoldMessages;
  state.SetItemsProcessed(static_cast<std::int64_t>(received));
  state.counters["published_per_second"] =
      benchmark::Counter(static_cast<double>(counters.events.load()), benchmark::Counter::kIsRate);
  state.counters["duplicates"] = static_cast<double>(lines.line(core::Line::a).duplicate.load() +
                                                     lines.line(core::Line::b).duplicate.load());
  state.counters["lost"] = static_cast<double>(lines.lost.load());
  state.counters["overruns"] = static_cast<double>(overruns);
}
BENCHMARK(BM_IngestAbLines)->Name("Ingest/ab_lines")->ArgName("burst")->Arg(32);

}  // namespace

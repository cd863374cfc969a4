#pragma once
// The cycle budget's kernels: each hot-path step on its own, run over a fixed number of events on
// one thread. The same kernels are counted two ways, so the two figures of a row describe the
// same code:
//   - instructions: tickpath_budget_driver runs each kernel once under
//     `valgrind --tool=callgrind`; every kernel is a noinline function, so its inclusive Ir over
//     its event count is the step's instructions per event (scripts/cycle-budget.sh);
//   - time: the Budget/<kernel> benchmarks of tickpath_bench time the same functions (ns/event,
//     noisy, compared only as ratios within one run).
// A kernel is the real hot-path code (IngestStage, the decoders, BroadcastRing, ConsumerLoop,
// Executor, ExecutionHandler, the sinks) driven the way the appliance drives it; the only
// stand-ins are the frame source (frames built at start-up, as SyntheticSource serves them) and,
// for a decoder on its own, the stage's writer without the stage (its slot writes and its
// publish per burst, the stamp fixed). Rows that the pipeline does not run on their own (the stamp and the
// stage's bookkeeping, poll, decide) are differences of two kernels, computed by the script.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "bench/bench_support.hpp"
#include "control/metrics/metrics_sink.hpp"
#include "core/bus/broadcast_ring.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/execution/execution_handler.hpp"
#include "core/execution/executor.hpp"
#include "core/execution/sink.hpp"
#include "core/ingest/decoder.hpp"
#include "core/ingest/event_writer.hpp"
#include "core/ingest/ingest_counters.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "core/state/lifecycle.hpp"
#include "core/time/tsc.hpp"
#include "wire/frame_builder.hpp"

namespace tickpath::bench::budget {

// The budget's shape, one declaration so every kernel reads the same figures:
inline constexpr std::size_t
    // bursts and batches as the appliance runs them (ingest burst 32, consumer batch 32);
    kBurst = 32,
    // MoldUDP64 frames of 4 messages of 36 bytes (an ITCH Add Order), as Ingest/moldudp64;
    kMoldMessages = 4, kMoldMessageBytes = 36,
    // distinct in-order frames a MoldUDP64 kernel cycles through: the decoder starts afresh (a
    // new session table) at every pass, so every frame it sees is the next in sequence (the
    // live-feed path, not the duplicate one).
    kMoldFrames = 256,
    // zero-filled 64-byte frames the raw kernels cycle through (the null PMD's shape);
    kRawFrames = 16;
inline constexpr std::uint16_t kFeedPort = 30001;

// Hands a consumer's batch to nothing (the poll step without an execution step behind it).
struct DiscardBatch {
  void operator()(std::span<const core::Event> batch, core::Ticks) noexcept;
};

// Everything the kernels use, built once (start-up: allocates, and the kernels then do not).
// Each ring has one writer kernel, so a consumer never finds itself lapped by another kernel.
struct Fixture {
  Fixture();
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  std::vector<std::vector<std::byte>> raw_frames;   // 64-byte zero-filled (null PMD shape)
  std::vector<std::vector<std::byte>> mold_frames;  // kMoldFrames in-order MoldUDP64 frames
  std::vector<core::FrameView> raw_views;
  std::vector<core::FrameView> mold_views;
  std::array<core::Event, kBurst> batch{};          // one burst of events with realistic stamps

  RingHarness<core::Event> publish_ring{kRingCapacity};  // kernel_publish
  RingHarness<core::Event> poll_ring{kRingCapacity};     // kernel_publish_poll
  RingHarness<core::Event> raw_ring{kRingCapacity};      // kernel_ingest_raw
  RingHarness<core::Event> mold_ring{kRingCapacity};     // kernel_ingest_moldudp64
  RingHarness<core::Event> decode_ring{kRingCapacity};   // the decode kernels' writer
  // A decoder's writer without the stage: the stage's own EventWriter over a ring of its own,
  // published once per kBurst frames with a fixed stamp (the TSC read is the stage's row).
  core::Counter decoded_events;
  core::EventWriter decode_writer{decode_ring.ring, decoded_events};
  DiscardBatch discard;
  core::ConsumerCounters poll_counters;
  core::ConsumerLoop<core::Event, DiscardBatch> poll_loop{poll_ring.ring, discard, poll_counters};

  core::Lifecycle lifecycle;  // READY: every ack is an executed one
  core::NullSink null_sink;
  std::unique_ptr<control::MetricsSink> metrics_sink;
  std::unique_ptr<core::Executor<core::NullSink>> ack_executor;
  std::unique_ptr<core::Executor<core::NullSink>> null_executor;
  std::unique_ptr<core::Executor<control::MetricsSink>> metrics_executor;
  core::ExecutionCounters null_counters;
  core::ExecutionCounters metrics_counters;
  std::unique_ptr<core::ExecutionHandler<core::NullSink>> null_handler;
  std::unique_ptr<core::ExecutionHandler<control::MetricsSink>> metrics_handler;

  core::SyntheticSource raw_source{std::span<const core::FrameView>()};
  core::SyntheticSource mold_source{std::span<const core::FrameView>()};
  core::RawDecoder raw_decoder;
  core::MoldUdp64Decoder mold_decoder{kFeedPort};
  core::IngestCounters raw_counters;
  core::IngestCounters mold_counters;
  std::unique_ptr<core::IngestStage<core::SyntheticSource, core::RawDecoder>> raw_stage;
  std::unique_ptr<core::IngestStage<core::SyntheticSource, core::MoldUdp64Decoder>> mold_stage;
};

// Inclusive kernels. Each runs at least `events` events (whole bursts) and returns how many it
// ran; the caller divides its cost by that.
std::uint64_t kernel_rx(Fixture& f, std::uint64_t events);
std::uint64_t kernel_decode_raw(Fixture& f, std::uint64_t events);
std::uint64_t kernel_decode_moldudp64(Fixture& f, std::uint64_t events);
std::uint64_t kernel_publish(Fixture& f, std::uint64_t events);
std::uint64_t kernel_publish_poll(Fixture& f, std::uint64_t events);
std::uint64_t kernel_ack(Fixture& f, std::uint64_t events);
std::uint64_t kernel_execute_null_sink(Fixture& f, std::uint64_t events);
std::uint64_t kernel_execute_metrics_sink(Fixture& f, std::uint64_t events);
std::uint64_t kernel_ingest_raw(Fixture& f, std::uint64_t events);
std::uint64_t kernel_ingest_moldudp64(Fixture& f, std::uint64_t events);

// Name and function of every kernel, in the order of the budget table.
struct Kernel {
  const char* name;
  std::uint64_t (*run)(Fixture&, std::uint64_t);
};
inline constexpr std::array<Kernel, 10> kKernels{{
    {"rx", kernel_rx},
    {"decode_raw", kernel_decode_raw},
    {"decode_moldudp64", kernel_decode_moldudp64},
    {"publish", kernel_publish},
    {"publish_poll", kernel_publish_poll},
    {"ack", kernel_ack},
    {"execute_null_sink", kernel_execute_null_sink},
    {"execute_metrics_sink", kernel_execute_metrics_sink},
    {"ingest_raw", kernel_ingest_raw},
    {"ingest_moldudp64", kernel_ingest_moldudp64},
}};

}  // namespace tickpath::bench::budget

#include "bench/budget_kernels.hpp"

#include <stdexcept>

namespace tickpath::bench::budget {
namespace {

// Keeps a result alive without costing more than the compiler barrier itself (no store).
inline void keep(const void* p) noexcept { asm volatile("" : : "r"(p) : "memory"); }
// Keeps a value alive in a register: no store, no barrier.
inline void keep_value(std::uint64_t v) noexcept { asm volatile("" : : "r"(v)); }

std::uint64_t bursts_for(std::uint64_t events) noexcept { return (events + kBurst - 1) / kBurst; }

}  // namespace

void DiscardBatch::operator()(std::span<const core::Event> batch, core::Ticks) noexcept { keep(batch.data()); }

Fixture::Fixture() {
  for (std::size_t i = 0; i < kRawFrames; ++i) raw_frames.emplace_back(64);
  wire::MoldFrameSpec spec;
  spec.udp_dst_port = kFeedPort;
  for (std::size_t f = 0; f < kMoldFrames; ++f) {
    spec.first_seq = 1 + f * kMoldMessages;
    std::vector<std::vector<std::byte>> messages;
    for (std::size_t m = 0; m < kMoldMessages; ++m) {
      messages.emplace_back(kMoldMessageBytes, std::byte{static_cast<unsigned char>('A' + m)});
    }
    mold_frames.push_back(wire::build_moldudp64_frame(spec, messages));
  }
  for (const auto& f : raw_frames) raw_views.push_back({f.data(), static_cast<std::uint32_t>(f.size()), 0});
  for (const auto& f : mold_frames) mold_views.push_back({f.data(), static_cast<std::uint32_t>(f.size()), 0});

  // Stage stamps a few microseconds old, spread over a few buckets (a histogram's cost depends on
  // which buckets it touches), as Executor/metrics_sink sets them.
  const core::Ticks now = core::tsc_now();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].seq = i;
    batch[i].feed_seq = i + 1;
    batch[i].rx_tsc = now - 5000 - 37 * i;
    batch[i].publish_tsc = now - 2000 - 11 * i;
  }

  if (!lifecycle.transition(core::LifecycleState::warmup) || !lifecycle.transition(core::LifecycleState::ready)) {
    throw std::logic_error("budget fixture: the lifecycle did not reach READY");
  }
  metrics_sink = std::make_unique<control::MetricsSink>();
  // A sink that has run a while has seen a stall: its maxima are far above a steady event's
  // stages, so a record seldom moves them. The batch's stamps are taken once, above, and the
  // kernels' acks complete later and later, so without this sample every record of
  // ingest_to_ack and queue would take the new-max path the steady state rarely takes.
  {
    core::Event stalled{};
    stalled.rx_tsc = now - 5'000'000'000;
    core::Ack seen{};
    seen.in_window = 1;
    seen.executed = 1;
    seen.publish_tsc = now - 4'000'000'000;
    seen.poll_tsc = now - 3'000'000'000;
    seen.decision_tsc = now - 2'000'000'000;
    seen.complete_tsc = now - 1'000'000'000;
    metrics_sink->observe(stalled, seen);
  }
  ack_executor = std::make_unique<core::Executor<core::NullSink>>(lifecycle.view(), null_sink);
  null_executor = std::make_unique<core::Executor<core::NullSink>>(lifecycle.view(), null_sink);
  metrics_executor = std::make_unique<core::Executor<control::MetricsSink>>(lifecycle.view(), *metrics_sink);
  null_handler = std::make_unique<core::ExecutionHandler<core::NullSink>>(*null_executor, null_counters);
  metrics_handler = std::make_unique<core::ExecutionHandler<control::MetricsSink>>(*metrics_executor, metrics_counters);

  raw_source = core::SyntheticSource(std::span<const core::FrameView>(raw_views));
  mold_source = core::SyntheticSource(std::span<const core::FrameView>(mold_views));
  raw_stage = std::make_unique<core::IngestStage<core::SyntheticSource, core::RawDecoder>>(
      raw_source, raw_decoder, raw_ring.ring, raw_counters, kBurst);
  mold_stage = std::make_unique<core::IngestStage<core::SyntheticSource, core::MoldUdp64Decoder>>(
      mold_source, mold_decoder, mold_ring.ring, mold_counters, kBurst);
}

// noipa: each kernel stays one function of its own name (no inlining into the caller, no
// constant-propagated clone), which is what callgrind attributes the instructions to.

[[gnu::noipa]] std::uint64_t kernel_rx(Fixture& f, std::uint64_t events) {
  std::array<core::FrameView, kBurst> frames;
  std::uint64_t received = 0;
  for (std::uint64_t b = bursts_for(events); b != 0; --b) {
    received += f.raw_source.receive(std::span<core::FrameView>(frames));
    keep(frames.data());
    f.raw_source.release();
  }
  return received;
}

[[gnu::noipa]] std::uint64_t kernel_decode_raw(Fixture& f, std::uint64_t events) {
  const std::uint64_t before = f.decoded_events.load();
  const core::Ticks publish_tsc = f.batch[0].publish_tsc;
  for (std::uint64_t b = bursts_for(events); b != 0; --b) {
    core::EventWriter writer = f.decode_writer;  // a local per burst, as IngestStage::poll keeps it
    std::uint64_t drops = 0;  // the outcome consumed as the stage consumes it, in a register
    for (std::size_t k = 0; k < kBurst; ++k) {
      const core::FrameView frame = f.raw_views[k % kRawFrames];
      drops += f.raw_decoder.decode(frame, writer).drop != core::DropReason::none;
    }
    keep_value(drops);
    writer.publish(publish_tsc);
    f.decode_writer = writer;
  }
  return f.decoded_events.load() - before;
}

// A pass over the kMoldFrames frames, each the next in sequence: the decoder's session table
// starts afresh at every pass (a few hundred bytes reset once per 1024 messages). Published
// every kBurst frames, as the stage publishes each rx burst.
[[gnu::noipa]] std::uint64_t kernel_decode_moldudp64(Fixture& f, std::uint64_t events) {
  static_assert(kMoldFrames % kBurst == 0, "a pass is whole bursts");
  const std::uint64_t before = f.decoded_events.load();
  const core::Ticks publish_tsc = f.batch[0].publish_tsc;
  while (f.decoded_events.load() - before < events) {
    f.mold_decoder = core::MoldUdp64Decoder(kFeedPort);
    for (std::size_t b = 0; b < kMoldFrames; b += kBurst) {
      core::EventWriter writer = f.decode_writer;  // a local per burst, as IngestStage::poll keeps it
      std::uint64_t gaps = 0;  // the outcome consumed as the stage consumes it, in a register
      for (std::size_t k = 0; k < kBurst; ++k) {
        const core::FrameView frame = f.mold_views[b + k];
        gaps += f.mold_decoder.decode(frame, writer).gap;
      }
      keep_value(gaps);
      writer.publish(publish_tsc);
      f.decode_writer = writer;
    }
  }
  return f.decoded_events.load() - before;
}

[[gnu::noipa]] std::uint64_t kernel_publish(Fixture& f, std::uint64_t events) {
  for (std::uint64_t b = bursts_for(events); b != 0; --b) {
    f.publish_ring.ring.publish_burst(std::span<const core::Event>(f.batch));
  }
  return bursts_for(events) * kBurst;
}

[[gnu::noipa]] std::uint64_t kernel_publish_poll(Fixture& f, std::uint64_t events) {
  const std::uint64_t before = f.poll_counters.consumed.load();
  for (std::uint64_t b = bursts_for(events); b != 0; --b) {
    f.poll_ring.ring.publish_burst(std::span<const core::Event>(f.batch));
    f.poll_loop.poll();
  }
  return f.poll_counters.consumed.load() - before;
}

// Executor::execute with NullSink, decision stamps chained as ExecutionHandler chains them but
// without its stamp after the sink (that one belongs to the decide row).
[[gnu::noipa]] std::uint64_t kernel_ack(Fixture& f, std::uint64_t events) {
  const core::Ticks poll_tsc = f.batch[0].publish_tsc + 1000;
  core::Ticks decision_tsc = poll_tsc;
  std::uint64_t executed = 0;
  for (std::uint64_t b = bursts_for(events); b != 0; --b) {
    for (const core::Event& e : f.batch) {
      const core::Ack ack = f.ack_executor->execute(e, poll_tsc, decision_tsc);
      decision_tsc = ack.complete_tsc;
      executed += ack.executed;
    }
  }
  return executed;
}

// The execution consumer's batch work (ExecutionHandler) with a constant poll stamp: the poll
// step's own stamp is counted in the poll row.
template <class Handler>
std::uint64_t execute_batches(Handler& handler, const Fixture& f, const core::ExecutionCounters& counters,
                              std::uint64_t events) {
  const std::uint64_t before = counters.executed.load();
  const core::Ticks poll_tsc = f.batch[0].publish_tsc + 1000;
  for (std::uint64_t b = bursts_for(events); b != 0; --b) handler(std::span<const core::Event>(f.batch), poll_tsc);
  return counters.executed.load() - before;
}

[[gnu::noipa]] std::uint64_t kernel_execute_null_sink(Fixture& f, std::uint64_t events) {
  return execute_batches(*f.null_handler, f, f.null_counters, events);
}

[[gnu::noipa]] std::uint64_t kernel_execute_metrics_sink(Fixture& f, std::uint64_t events) {
  return execute_batches(*f.metrics_handler, f, f.metrics_counters, events);
}

[[gnu::noipa]] std::uint64_t kernel_ingest_raw(Fixture& f, std::uint64_t events) {
  const std::uint64_t before = f.raw_counters.events.load();
  for (std::uint64_t b = bursts_for(events); b != 0; --b) f.raw_stage->poll();
  return f.raw_counters.events.load() - before;
}

// Bursts of kBurst frames over the kMoldFrames in-order frames (8 bursts a pass); the session
// table starts afresh at every pass, as in kernel_decode_moldudp64.
[[gnu::noipa]] std::uint64_t kernel_ingest_moldudp64(Fixture& f, std::uint64_t events) {
  const std::uint64_t before = f.mold_counters.events.load();
  while (f.mold_counters.events.load() - before < events) {
    f.mold_decoder = core::MoldUdp64Decoder(kFeedPort);
    for (std::size_t b = 0; b < kMoldFrames / kBurst; ++b) f.mold_stage->poll();
  }
  return f.mold_counters.events.load() - before;
}

}  // namespace tickpath::bench::budget

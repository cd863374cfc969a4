#pragma once
// The hot loop as the architecture tests run it: synthetic MoldUDP64 frames -> ingest stage ->
// ring -> execution consumer -> executor -> NullSink, all on one thread. Everything is built in
// the constructor (start-up: may allocate); run() is the hot loop under test.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/bus/broadcast_ring.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/execution/ack_log_sink.hpp"
#include "core/execution/execution_handler.hpp"
#include "wire/frame_builder.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "core/state/lifecycle.hpp"

namespace tickpath::testing {

// The ack log's tee as the architecture tests run it: a small queue, so that within one run the
// execution thread's push both succeeds and finds the queue full (the drop path).
template <class Inner>
struct SmallAckLogSink : core::AckLogSink<Inner> {
  static constexpr std::size_t kCapacity = 1024;
  SmallAckLogSink() : core::AckLogSink<Inner>(kCapacity) {}
};

template <class Sink = core::NullSink>
class HotLoopFixture {
 public:
  static constexpr std::uint16_t kPort = 30001;

  HotLoopFixture() : storage_(4096), ring_(std::span(storage_)), decoder_(kPort) {
    wire::MoldFrameSpec spec;
    spec.udp_dst_port = kPort;
    for (int f = 0; f < 16; ++f) {
      std::vector<std::vector<std::byte>> messages(1 + f % 4, std::vector<std::byte>(24 + f, std::byte{0x5A}));
      frames_.push_back(wire::build_moldudp64_frame(spec, messages));
      spec.first_seq += messages.size();
    }
    frames_.push_back(wire::build_broken_frame(core::DropReason::message_past_end, spec));
    for (auto& f : frames_) views_.push_back({f.data(), static_cast<std::uint32_t>(f.size()), 0});
    source_ = std::make_unique<core::SyntheticSource>(views_);
    stage_ = std::make_unique<Stage>(*source_, decoder_, ring_, ingest_, 32);
    (void)lifecycle_.transition(core::LifecycleState::warmup);
    (void)lifecycle_.transition(core::LifecycleState::ready);
    executor_ = std::make_unique<core::Executor<Sink>>(lifecycle_.view(), sink_);
    handler_ = std::make_unique<Handler>(*executor_, decisions_);
    loop_ = std::make_unique<Loop>(ring_, *handler_, consumer_);
  }

  // The hot loop: ingest and execute until `events` events were executed. Returns how many.
  // With the ack log's tee, its queue is also drained here every 64 ingest polls (up to 2048
  // events, twice the queue): pushes that fit and pushes that are dropped both happen inside
  // the measured loop, and so does the consumer side.
  std::uint64_t run(std::uint64_t events) noexcept {
    const std::uint64_t target = consumer_.consumed.load() + events;
    while (consumer_.consumed.load() < target) {
      if constexpr (requires { sink_.queue().consume(1, [](const core::Ack&) {}); }) {
        if ((++polls_ & 63) == 0) {
          while (sink_.queue().consume(256, [this](const core::Ack& a) { drained_ += a.executed; }) != 0) {
          }
        }
      }
      stage_->poll();
      while (consumer_.consumed.load() < target && loop_->poll()) {
      }
    }
    return consumer_.consumed.load();
  }

  const core::IngestCounters& ingest() const { return ingest_; }
  const core::ConsumerCounters& consumer() const { return consumer_; }
  const core::ExecutionCounters& decisions() const { return decisions_; }
  const Sink& sink() const { return sink_; }
  std::uint64_t drained_executed() const { return drained_; }

 private:
  using Stage = core::IngestStage<core::SyntheticSource, core::MoldUdp64Decoder>;
  using Handler = core::ExecutionHandler<Sink>;
  using Loop = core::ConsumerLoop<core::Event, Handler>;

  std::vector<core::RingSlot<core::Event>> storage_;
  core::BroadcastRing<core::Event> ring_;
  std::vector<std::vector<std::byte>> frames_;
  std::vector<core::FrameView> views_;
  core::MoldUdp64Decoder decoder_;
  std::unique_ptr<core::SyntheticSource> source_;
  core::IngestCounters ingest_;
  std::unique_ptr<Stage> stage_;
  core::Lifecycle lifecycle_;
  Sink sink_;
  std::unique_ptr<core::Executor<Sink>> executor_;
  core::ExecutionCounters decisions_;
  std::unique_ptr<Handler> handler_;
  core::ConsumerCounters consumer_;
  std::unique_ptr<Loop> loop_;
  std::uint64_t polls_ = 0;
  std::uint64_t drained_ = 0;
};

}  // namespace tickpath::testing

// The execution decision: the executor refuses to start in INIT, marks acks executed only in
// READY (provisional in WARMUP and DEGRADED), copies the event's fields into the ack, stamps in
// order, and hands every ack to the sink exactly once. The handler counts executed/provisional.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "core/bus/broadcast_ring.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "core/execution/execution_handler.hpp"
#include "core/execution/executor.hpp"
#include "core/execution/sink.hpp"
#include "core/state/lifecycle.hpp"
#include "core/time/tsc.hpp"
#include "tests/core/ring_harness.hpp"

namespace tickpath::core {
namespace {

using enum LifecycleState;

// ---- layout (compile time) ----

static_assert(std::is_empty_v<NullSink>);
static_assert(ObservabilitySink<NullSink>);
static_assert(sizeof(Ack) == 64 && alignof(Ack) == 64);
static_assert(sizeof(Event) == 64 && alignof(Event) == 64);
static_assert(std::is_trivially_copyable_v<Ack> && std::is_standard_layout_v<Ack>);
static_assert(std::is_trivially_copyable_v<Event> && std::is_standard_layout_v<Event>);
static_assert(RingElement<Event>, "events cross the broadcast ring");

// A sink without noexcept observe() is not a sink.
struct ThrowingSink {
  void observe(const Event&, const Ack&) {}
};
static_assert(!ObservabilitySink<ThrowingSink>);

TEST(ExecutionLayout, AckFieldsSitAtFixedOffsets) {
  EXPECT_EQ(offsetof(Ack, event_seq), 0u);
  EXPECT_EQ(offsetof(Ack, feed_seq), 8u);
  EXPECT_EQ(offsetof(Ack, rx_tsc), 16u);
  EXPECT_EQ(offsetof(Ack, publish_tsc), 24u);
  EXPECT_EQ(offsetof(Ack, poll_tsc), 32u);
  EXPECT_EQ(offsetof(Ack, decision_tsc), 40u);
  EXPECT_EQ(offsetof(Ack, complete_tsc), 48u);
  EXPECT_EQ(offsetof(Ack, executed), 56u);
  EXPECT_EQ(offsetof(Ack, state), 57u);
  EXPECT_EQ(offsetof(Ack, in_window), 58u);
  EXPECT_EQ(offsetof(Ack, reserved), 59u);
}

TEST(ExecutionLayout, EventFieldsSitAtFixedOffsets) {
  EXPECT_EQ(offsetof(Event, seq), 0u);
  EXPECT_EQ(offsetof(Event, feed_seq), 8u);
  EXPECT_EQ(offsetof(Event, rx_tsc), 16u);
  EXPECT_EQ(offsetof(Event, publish_tsc), 24u);
  EXPECT_EQ(offsetof(Event, send_tsc), 32u);
  EXPECT_EQ(offsetof(Event, nic_rx_ts), 40u);
  EXPECT_EQ(offsetof(Event, msg_length), 48u);
  EXPECT_EQ(offsetof(Event, msg_index), 50u);
  EXPECT_EQ(offsetof(Event, frame_length), 52u);
  EXPECT_EQ(offsetof(Event, flags), 54u);
  EXPECT_EQ(offsetof(Event, payload), 56u);
  EXPECT_EQ(sizeof(Event::payload), kEventPayloadBytes);
}

// ---- helpers ----

struct Observation {
  Event event;
  Ack ack;
};

struct RecordingSink {
  std::vector<Observation>* seen;
  void observe(const Event& event, const Ack& ack) noexcept { seen->push_back({event, ack}); }
};
static_assert(ObservabilitySink<RecordingSink>);

void drive_to(Lifecycle& lc, LifecycleState target) {
  switch (target) {
    case init: break;
    case warmup: ASSERT_TRUE(lc.transition(warmup).ok); break;
    case ready:
      ASSERT_TRUE(lc.transition(warmup).ok);
      ASSERT_TRUE(lc.transition(ready).ok);
      break;
    case degraded:
      ASSERT_TRUE(lc.transition(warmup).ok);
      ASSERT_TRUE(lc.transition(degraded).ok);
      break;
  }
  ASSERT_EQ(lc.current(), target);
}

Event make_event(std::uint64_t seq) {
  Event e{};
  e.seq = seq;
  e.feed_seq = 1000 + seq;
  e.rx_tsc = 5'000 + seq * 10;
  e.publish_tsc = 5'003 + seq * 10;
  e.send_tsc = 17;
  e.nic_rx_ts = 99;
  e.msg_length = 12;
  e.msg_index = static_cast<std::uint16_t>(seq % 3);
  e.frame_length = 90;
  return e;
}

// ---- start-up ----

TEST(Executor, ThrowsExecutorStartErrorWhileLifecycleIsInit) {
  Lifecycle lc;
  NullSink sink;
  EXPECT_THROW(Executor<NullSink>(lc.view(), sink), ExecutorStartError);
  try {
    Executor<NullSink> executor(lc.view(), sink);
    FAIL() << "started in INIT";
  } catch (const std::logic_error& e) {  // ExecutorStartError is a logic_error
    EXPECT_NE(std::string(e.what()).find("INIT"), std::string::npos) << e.what();
  }
}

TEST(Executor, StartsInEveryStateAfterInit) {
  for (LifecycleState s : {warmup, ready, degraded}) {
    Lifecycle lc;
    drive_to(lc, s);
    NullSink sink;
    EXPECT_NO_THROW(Executor<NullSink>(lc.view(), sink)) << to_string(s);
  }
}

// ---- the decision ----

TEST(Executor, ReadyExecutes) {
  Lifecycle lc;
  drive_to(lc, ready);
  NullSink sink;
  Executor<NullSink> executor(lc.view(), sink);
  const Ack ack = executor.execute(make_event(1), tsc_now());
  EXPECT_EQ(ack.executed, 1u);
  EXPECT_EQ(ack.state, ready);
}

TEST(Executor, WarmupAndDegradedAreProvisional) {
  for (LifecycleState s : {warmup, degraded}) {
    Lifecycle lc;
    drive_to(lc, s);
    NullSink sink;
    Executor<NullSink> executor(lc.view(), sink);
    const Ack ack = executor.execute(make_event(1), tsc_now());
    EXPECT_EQ(ack.executed, 0u) << to_string(s);
    EXPECT_EQ(ack.state, s) << to_string(s);
  }
}

TEST(Executor, ReadsTheLifecycleOnEveryEvent) {
  Lifecycle lc;
  drive_to(lc, warmup);
  NullSink sink;
  Executor<NullSink> executor(lc.view(), sink);
  struct Step {
    LifecycleState to;
    std::uint8_t executed;
  };
  EXPECT_EQ(executor.execute(make_event(0), 1).executed, 0u);
  const Step steps[] = {{ready, 1}, {degraded, 0}, {ready, 1}, {degraded, 0}, {warmup, 0}, {ready, 1}};
  std::uint64_t seq = 1;
  for (const Step& step : steps) {
    ASSERT_TRUE(lc.transition(step.to).ok);
    const Ack ack = executor.execute(make_event(seq++), 1);
    EXPECT_EQ(ack.state, step.to);
    EXPECT_EQ(ack.executed, step.executed) << to_string(step.to);
  }
}

TEST(Executor, CopiesTheEventFieldsAndStampsInOrder) {
  Lifecycle lc;
  drive_to(lc, ready);
  NullSink sink;
  Executor<NullSink> executor(lc.view(), sink);
  const Event e = make_event(42);
  const Ticks poll_tsc = tsc_now();
  const Ack ack = executor.execute(e, poll_tsc);
  const Ticks after = tsc_now();
  EXPECT_EQ(ack.event_seq, 42u);
  EXPECT_EQ(ack.feed_seq, e.feed_seq);
  EXPECT_EQ(ack.rx_tsc, e.rx_tsc);
  EXPECT_EQ(ack.publish_tsc, e.publish_tsc);
  EXPECT_EQ(ack.poll_tsc, poll_tsc) << "the poll stamp is the one given";
  EXPECT_LE(poll_tsc, ack.decision_tsc);
  EXPECT_LE(ack.decision_tsc, ack.complete_tsc);
  EXPECT_LE(ack.complete_tsc, after);
  for (std::uint8_t b : ack.reserved) EXPECT_EQ(b, 0u);
}

TEST(Executor, PollTscIsCopiedVerbatimEvenWhenSynthetic) {
  Lifecycle lc;
  drive_to(lc, degraded);
  NullSink sink;
  Executor<NullSink> executor(lc.view(), sink);
  const Ack ack = executor.execute(make_event(7), 123456789);
  EXPECT_EQ(ack.poll_tsc, 123456789u);
  EXPECT_LE(ack.decision_tsc, ack.complete_tsc);
}

TEST(Executor, SinkObservesEachEventExactlyOnceWithTheReturnedAck) {
  Lifecycle lc;
  drive_to(lc, ready);
  std::vector<Observation> seen;
  RecordingSink sink{&seen};
  Executor<RecordingSink> executor(lc.view(), sink);
  std::vector<Ack> returned;
  for (std::uint64_t s = 0; s < 10; ++s) {
    if (s == 5) {
      ASSERT_TRUE(lc.transition(degraded).ok);
    }
    returned.push_back(executor.execute(make_event(s), 1000 + s));
    ASSERT_EQ(seen.size(), s + 1) << "observed exactly once, synchronously";
  }
  ASSERT_EQ(seen.size(), 10u);
  for (std::uint64_t s = 0; s < 10; ++s) {
    const Observation& o = seen[s];
    EXPECT_EQ(o.event.seq, s);
    EXPECT_EQ(o.event.feed_seq, make_event(s).feed_seq) << "the sink gets the event itself";
    EXPECT_EQ(o.event.send_tsc, 17u);
    EXPECT_EQ(std::memcmp(&o.ack, &returned[s], sizeof(Ack)), 0) << "same ack bytes, seq " << s;
    EXPECT_EQ(o.ack.executed, s < 5 ? 1u : 0u);
    EXPECT_EQ(o.ack.state, s < 5 ? ready : degraded);
  }
}

// ---- the handler ----

TEST(ExecutionHandler, CountsExecutedAndProvisionalPerBatch) {
  Lifecycle lc;
  drive_to(lc, warmup);
  std::vector<Observation> seen;
  RecordingSink sink{&seen};
  Executor<RecordingSink> executor(lc.view(), sink);
  ExecutionCounters counters;
  ExecutionHandler<RecordingSink> handler(executor, counters);

  std::vector<Event> batch;
  for (std::uint64_t s = 0; s < 7; ++s) batch.push_back(make_event(s));
  handler(batch, 10);  // WARMUP: all provisional
  EXPECT_EQ(counters.executed.load(), 0u);
  EXPECT_EQ(counters.provisional.load(), 7u);

  ASSERT_TRUE(lc.transition(ready).ok);
  handler(std::span<const Event>(batch.data(), 5), 20);
  EXPECT_EQ(counters.executed.load(), 5u);
  EXPECT_EQ(counters.provisional.load(), 7u);

  ASSERT_TRUE(lc.transition(degraded).ok);
  handler(std::span<const Event>(batch.data(), 2), 30);
  EXPECT_EQ(counters.executed.load(), 5u);
  EXPECT_EQ(counters.provisional.load(), 9u);

  handler(std::span<const Event>{}, 40);  // an empty batch changes nothing
  EXPECT_EQ(counters.executed.load() + counters.provisional.load(), 14u);
  ASSERT_EQ(seen.size(), 14u);
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(seen[i].ack.poll_tsc, 10u);
  for (std::size_t i = 7; i < 12; ++i) EXPECT_EQ(seen[i].ack.poll_tsc, 20u);
}

TEST(ExecutionHandler, DrivenByAConsumerLoopOverTheRing) {
  Lifecycle lc;
  drive_to(lc, ready);
  std::vector<Observation> seen;
  RecordingSink sink{&seen};
  Executor<RecordingSink> executor(lc.view(), sink);
  ExecutionCounters exec_counters;
  ExecutionHandler<RecordingSink> handler(executor, exec_counters);
  testing::RingHarness<Event> h(64);
  ConsumerCounters consumer_counters;
  ConsumerLoop<Event, ExecutionHandler<RecordingSink>, 8> loop(h.ring, handler, consumer_counters);

  for (std::uint64_t s = 0; s < 20; ++s) {
    Event e = make_event(s);
    e.publish_tsc = tsc_now();
    h.ring.publish(e);
  }
  while (loop.poll()) {
  }
  EXPECT_EQ(consumer_counters.consumed.load(), 20u);
  EXPECT_EQ(exec_counters.executed.load(), 20u);
  EXPECT_EQ(exec_counters.provisional.load(), 0u);
  ASSERT_EQ(seen.size(), 20u);
  for (std::uint64_t s = 0; s < 20; ++s) {
    EXPECT_EQ(seen[s].ack.event_seq, s);
    EXPECT_LE(seen[s].ack.publish_tsc, seen[s].ack.poll_tsc) << "queue stage is non-negative";
    EXPECT_LE(seen[s].ack.poll_tsc, seen[s].ack.decision_tsc);
    EXPECT_LE(seen[s].ack.decision_tsc, seen[s].ack.complete_tsc);
  }
  // All events of one poll share its poll stamp.
  EXPECT_EQ(seen[0].ack.poll_tsc, seen[7].ack.poll_tsc);
  EXPECT_EQ(seen[8].ack.poll_tsc, seen[15].ack.poll_tsc);
}

TEST(ExecutionHandler, TheWindowOpensAtTheFirstReadyDecisionAndKeepsDegradedInside) {
  Lifecycle lc;
  drive_to(lc, warmup);
  std::vector<Observation> seen;
  RecordingSink sink{&seen};
  Executor<RecordingSink> executor(lc.view(), sink);
  ExecutionCounters counters;
  ExecutionHandler<RecordingSink> handler(executor, counters);
  std::vector<Event> events;
  for (std::uint64_t s = 0; s < 12; ++s) events.push_back(make_event(s));
  const std::span<const Event> all(events);
  handler(all.subspan(0, 4), 10);  // WARMUP
  EXPECT_EQ(counters.window_open.load(), 0u);
  ASSERT_TRUE(lc.transition(ready).ok);
  handler(all.subspan(4, 3), 20);  // READY: the window opens at event 4
  ASSERT_TRUE(lc.transition(degraded).ok);
  handler(all.subspan(7, 5), 30);  // DEGRADED: inside the window, provisional
  EXPECT_EQ(counters.window_open.load(), 1u);
  EXPECT_EQ(counters.window_first_seq.load(), 4u);
  EXPECT_EQ(counters.window_start_tsc.load(), 20u) << "the first in-window decision: the poll of its batch";
  EXPECT_EQ(counters.window_acked.load(), 8u);
  EXPECT_EQ(counters.window_provisional.load(), 5u);
  ASSERT_EQ(seen.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(seen[i].ack.in_window, i >= 4 ? 1u : 0u) << i;
}

// A sink that takes at least kSinkTicks of TSC time and remembers when each call began and ended.
struct SlowSink {
  static constexpr Ticks kSinkTicks = 200'000;
  struct Call {
    Ack ack;
    Ticks entered;
    Ticks left;
  };
  std::vector<Call>* calls;
  void observe(const Event&, const Ack& ack) noexcept {
    const Ticks entered = tsc_now();
    while (tsc_now() - entered < kSinkTicks) {
    }
    calls->push_back({ack, entered, tsc_now()});
  }
};

TEST(ExecutionHandler, NoEventsAckStageHoldsThePreviousEventsSinkAndTheSinkIsCountedApart) {
  Lifecycle lc;
  drive_to(lc, ready);
  std::vector<SlowSink::Call> calls;
  SlowSink sink{&calls};
  Executor<SlowSink> executor(lc.view(), sink);
  ExecutionCounters counters;
  ExecutionHandler<SlowSink> handler(executor, counters);
  std::vector<Event> batch;
  for (std::uint64_t s = 0; s < 6; ++s) batch.push_back(make_event(s));
  handler(batch, tsc_now());
  ASSERT_EQ(calls.size(), 6u);
  for (std::size_t i = 1; i < calls.size(); ++i) {
    // The ack stage [decision, complete] of event i starts after sink i-1 returned.
    EXPECT_GE(calls[i].ack.decision_tsc, calls[i - 1].left) << "event " << i;
    EXPECT_LE(calls[i].ack.complete_tsc, calls[i].entered) << "event " << i;
  }
  // Every sink call is in sink_ticks (each took at least kSinkTicks), none in an ack stage.
  EXPECT_GE(counters.sink_ticks.load(), 6 * SlowSink::kSinkTicks);
  EXPECT_EQ(counters.sink_max_batch_ticks.load(), counters.sink_ticks.load()) << "one batch";
  EXPECT_EQ(counters.batches.load(), 1u);
}

}  // namespace
}  // namespace tickpath::core

#pragma once
// The observability sink (seed step 7): a template parameter of the executor, chosen once at
// start-up. There is no "is observability on?" branch per event: with NullSink the call inlines
// to nothing; with a real sink (lib/control) it records into single-writer structures.
#include <concepts>

#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"

namespace tickpath::core {

template <class S>
concept ObservabilitySink = requires(S& sink, const Event& event, const Ack& ack) {
  { sink.observe(event, ack) } noexcept -> std::same_as<void>;
};

struct NullSink {
  void observe(const Event&, const Ack&) noexcept {}
};

static_assert(ObservabilitySink<NullSink>);
static_assert(std::is_empty_v<NullSink>, "the null object carries no state");

}  // namespace tickpath::core

#pragma once
// A decoder's writer for tests (the writer contract: core/ingest/decoded_event.hpp): keeps every
// event as the stage would store it, and honours retract_frame the way the stage does, so what
// `events` holds after a decode is what the stage would publish for that frame.
#include <cstddef>
#include <deque>

#include "core/execution/event.hpp"
#include "core/ingest/decoded_event.hpp"
#include "core/ingest/frame.hpp"

namespace tickpath::testing {

struct EventCollector {
  std::deque<core::Event> events;  // references stay valid as more arrive
  core::Ticks rx = 111;            // the burst's rx stamp the collector hands out
  std::size_t emitted = 0;         // emit calls, retracted ones included
  std::size_t retracted = 0;       // retract_frame calls
  std::size_t frame_start = 0;

  [[nodiscard]] core::Ticks rx_tsc() const noexcept { return rx; }
  void begin_frame(std::size_t) { frame_start = events.size(); }
  [[nodiscard]] core::FrameStamps stamps(const core::FrameView& frame) const noexcept {
    return core::frame_stamps(frame, rx);
  }
  void emit(const core::FrameStamps& stamps, const core::DecodedEvent& d) {
    ++emitted;
    events.push_back(core::make_event(stamps, d));
  }
  void retract_frame() {
    ++retracted;
    events.resize(frame_start);
  }
};

}  // namespace tickpath::testing

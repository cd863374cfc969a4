#pragma once
// `moldudp64` on two lines: the same checks as MoldUdp64Decoder, then each message goes through
// the LineArbiter and only the first copy of a (session, sequence number) becomes an event. The
// frame's line comes from FrameView::line (LinePairSource); the arrival time is the burst's rx
// stamp (the writer's rx_tsc()), so both copies are compared on one clock.
//
// What the stage counts per frame keeps its single-line meaning where it can: `gap` is the
// numbers found lost on both lines (so feed_gaps / the sequence-gap probe fire on true loss only,
// never on a loss the other line filled). Duplicates, late copies and per-line gaps are the
// arbiter's per-line counters (ArbiterCounters), not the stage's.
//
// Filter (line_arbiter_groups.hpp): a frame that parsed but went to another IPv4 destination than
// its line's group is dropped as `wrong_group` before it reaches the arbiter. Chosen at start-up;
// AnyLineDestination (no group set) compiles to nothing.
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/ingest/decoder.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "core/ingest/line_arbiter_groups.hpp"
#include "core/ingest/moldudp64.hpp"

namespace tickpath::core {

template <SkewRecorder Recorder, LineDestinationFilter Filter = AnyLineDestination>
class ArbitratedMoldUdp64Decoder {
 public:
  // Start-up: allocates the arbiter's windows (throws std::invalid_argument on a bad window).
  // udp_ports: the feed's UDP destination port on line A and on line B.
  ArbitratedMoldUdp64Decoder(std::array<std::uint16_t, kLines> udp_ports, std::uint64_t window, Recorder& recorder,
                             ArbiterCounters& counters, Filter filter = {})
      : udp_ports_(udp_ports), filter_(filter), counters_(&counters), arbiter_(window, recorder, counters) {}

  // Always inlined into the stage's burst loop, as MoldUdp64Decoder::decode (moldudp64.hpp).
  template <class Writer>
  [[gnu::always_inline]] DecodeOutcome decode(const FrameView& frame, Writer& out) noexcept {
    const Line line = frame.line == 0 ? Line::a : Line::b;
    const MoldFrame f = parse_moldudp64(frame, udp_ports_[static_cast<std::size_t>(line)]);
    if (f.drop != DropReason::none) return {f.drop};
    if (!filter_.accepts(line, frame)) return {DropReason::wrong_group};
    const Ticks rx = out.rx_tsc();
    LineCounters& mine = counters_->lines[static_cast<std::size_t>(line)];
    mine.frames.add();
    mine.last_rx_tsc.set(rx);
    const std::uint64_t lost_before = counters_->lost.load();
    DecodeOutcome outcome;
    if (!f.carries_messages()) {
      arbiter_.announce(f.mold, f.first_seq);
      outcome.heartbeat = f.count == moldudp64::kHeartbeatCount;
      outcome.end_of_session = f.count == moldudp64::kEndOfSessionCount;
    } else {
      const std::uint16_t frame_length = saturated_frame_length(frame);
      const FrameStamps stamps = out.stamps(frame);
      for_each_message(f, [&](std::uint16_t i, std::uint64_t seq, const std::byte* m, std::size_t n) {
        if (arbiter_.message(line, f.mold, seq, rx) == Arbitration::won) {
          out.emit(stamps, message_event(frame_length, i, seq, m, n));
        }
      });
    }
    outcome.gap = counters_->lost.load() - lost_before;
    return outcome;
  }

  // End of run: settles the arbiter's windows; returns the numbers found lost by doing so.
  std::uint64_t finish() noexcept {
    const std::uint64_t lost_before = counters_->lost.load();
    arbiter_.settle_all();
    return counters_->lost.load() - lost_before;
  }

  [[nodiscard]] const LineArbiter<Recorder>& arbiter() const noexcept { return arbiter_; }

 private:
  std::array<std::uint16_t, kLines> udp_ports_;
  [[no_unique_address]] Filter filter_;
  ArbiterCounters* counters_;
  LineArbiter<Recorder> arbiter_;
};

}  // namespace tickpath::core

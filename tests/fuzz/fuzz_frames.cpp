// libFuzzer: hostile frames through the ingest decoders, the sequence tracker and the ingest stage.
//
// The first byte picks the mode; the rest is the input.
//   0: one frame through MoldUdp64Decoder (and RawDecoder)
//   1: a burst: frames cut from the input by 2-byte big-endian length prefixes, through one
//      IngestStage<MoldUdp64Decoder> into a real BroadcastRing, repeated so a session's tracker
//      sees its own frames again
//   2: the SequenceTracker alone: (first, count) pairs of 8 + 8 bytes, any values (the first 32)
//
// Invariants (abort = a finding):
//   - a frame is emitted (its message count of events), or counted under exactly one drop reason,
//     or is a heartbeat / end of session; a dropped frame emits nothing;
//   - the stage's counters add up: frames = drops + heartbeats + end of session + data frames,
//     events = the messages of the data frames;
//   - the tracker's next expected number is max(before, the frame's end cut at 2^64 - 1), and a
//     frame repeated at once is a duplicate that reveals no gap and recovers nothing.
// A hang (the wrapped sequence of issue 14) is caught by libFuzzer's -timeout.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "core/bus/broadcast_ring.hpp"
#include "core/execution/event.hpp"
#include "core/ingest/decoder.hpp"
#include "core/ingest/drop_reason.hpp"
#include "core/ingest/frame.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/sequence_tracker.hpp"

namespace {

using namespace tickpath::core;

constexpr std::uint16_t kPort = 30001;

void check(bool ok) {
  if (!ok) std::abort();
}

// The writer contract (core/ingest/decoded_event.hpp) reduced to a count: what it holds after a
// decode is the number of events the stage would publish for the frame.
struct CountingWriter {
  std::size_t events = 0;
  std::size_t frame_start = 0;
  Ticks rx_tsc() const { return 1; }
  void begin_frame(std::size_t) { frame_start = events; }
  FrameStamps stamps(const FrameView&) const { return {}; }
  void emit(const FrameStamps&, const DecodedEvent&) { ++events; }
  void retract_frame() { events = frame_start; }
};

// The message count field of a frame the decoder accepted (its header was validated).
std::uint16_t message_count(const FrameView& f) {
  std::size_t l3 = moldudp64::kEthernetHeader;
  if (detail::load_be16(f.data + 12) == moldudp64::kEtherTypeVlan) l3 += moldudp64::kVlanTag;
  const std::size_t ihl = (std::to_integer<unsigned>(f.data[l3]) & 0x0F) * 4u;
  return detail::load_be16(f.data + l3 + ihl + moldudp64::kUdpHeader + 18);
}

void one_frame(const std::uint8_t* data, std::size_t size) {
  const FrameView f{reinterpret_cast<const std::byte*>(data), static_cast<std::uint32_t>(size), 0};
  MoldUdp64Decoder mold(kPort);
  CountingWriter w;
  const DecodeOutcome o = mold.decode(f, w);
  check(static_cast<std::size_t>(o.drop) < kDropReasonCount);
  if (o.drop != DropReason::none) {
    check(w.events == 0);
    check(!o.heartbeat && !o.end_of_session && o.gap == 0);
  } else if (o.heartbeat || o.end_of_session) {
    check(o.heartbeat != o.end_of_session);
    check(w.events == 0);
  } else {
    check(w.events >= 1 && w.events == message_count(f));
  }
  RawDecoder raw;
  CountingWriter rw;
  check(raw.decode(f, rw).drop == DropReason::none && rw.events == 1);
}

// Replays the same frames forever, `burst` at a time.
class ReplaySource {
 public:
  ReplaySource(const std::vector<FrameView>& frames, std::size_t burst) : frames_(&frames), burst_(burst) {}
  std::size_t receive(std::span<FrameView> out) noexcept {
    std::size_t n = 0;
    while (n < out.size() && n < burst_ && at_ < frames_->size()) out[n++] = (*frames_)[at_++];
    return n;
  }
  void release() noexcept {}

 private:
  const std::vector<FrameView>* frames_;
  std::size_t burst_;
  std::size_t at_ = 0;
};

void burst(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return;
  const std::size_t burst_size = 1 + data[0] % kMaxRxBurst;
  std::vector<FrameView> frames;
  for (std::size_t at = 1; at + 2 <= size && frames.size() < 256;) {
    const std::size_t n = std::min<std::size_t>((std::size_t{data[at]} << 8 | data[at + 1]), size - at - 2);
    frames.push_back({reinterpret_cast<const std::byte*>(data + at + 2), static_cast<std::uint32_t>(n), 0});
    at += 2 + n;
  }
  if (frames.empty()) return;
  std::vector<FrameView> twice = frames;  // the second pass meets trackers that saw the first
  twice.insert(twice.end(), frames.begin(), frames.end());

  // What the decoder says frame by frame, from a decoder of its own with the same history.
  MoldUdp64Decoder reference(kPort);
  std::array<std::uint64_t, kDropReasonCount> drops{};
  std::uint64_t heartbeats = 0, end_of_session = 0, data_frames = 0, events = 0;
  for (const FrameView& f : twice) {
    CountingWriter w;
    const DecodeOutcome o = reference.decode(f, w);
    if (o.drop != DropReason::none) {
      check(w.events == 0);
      ++drops[static_cast<std::size_t>(o.drop)];
    } else if (o.heartbeat || o.end_of_session) {
      check(w.events == 0);
      heartbeats += o.heartbeat;
      end_of_session += o.end_of_session;
    } else {
      check(w.events >= 1);
      ++data_frames;
      events += w.events;
    }
  }

  // One ring for the whole process: building one per input (512 slots allocated, zeroed word by
  // word, and quarantined by ASan on free) was ~15% of an execution. No consumer reads it, so
  // what an input published is the distance the producer's sequence moved.
  static std::vector<RingSlot<Event>> storage(2 * kMaxPendingEvents);
  static BroadcastRing<Event> ring{std::span(storage)};
  const std::uint64_t published_before = ring.next_sequence();
  IngestCounters counters;
  ReplaySource source(twice, burst_size);
  MoldUdp64Decoder decoder(kPort);
  IngestStage<ReplaySource, MoldUdp64Decoder> stage(source, decoder, ring, counters, burst_size);
  while (stage.poll()) {
  }
  check(counters.frames.load() == twice.size());
  std::uint64_t dropped = 0;
  for (std::size_t r = 1; r < kDropReasonCount; ++r) {
    check(counters.drops[r].load() == drops[r]);
    dropped += drops[r];
  }
  check(counters.drops[0].load() == 0);
  check(counters.heartbeats.load() == heartbeats && counters.end_of_session.load() == end_of_session);
  check(dropped + heartbeats + end_of_session + data_frames == twice.size());
  check(counters.events.load() == events);
  check(ring.next_sequence() - published_before == events);
}

std::uint64_t load_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Pairs read per input in mode 2. Each pair costs up to two walks of the 4096-number window (the
// frame, then its repeat), ~4 coverage callbacks a step: a 4 KiB input (256 pairs) took
// milliseconds, most of the campaign's time, for sequences whose every step is checked the same
// way. Longer histories still come through burst mode (up to 512 frames).
constexpr std::size_t kMaxTrackerPairs = 32;

void tracker(const std::uint8_t* data, std::size_t size) {
  SequenceTracker t;
  bool started = false;
  size = std::min(size, kMaxTrackerPairs * 16);
  for (std::size_t at = 0; at + 16 <= size; at += 16) {
    const std::uint64_t first = load_u64(data + at);
    // The count, by its top byte: 0xFF any 64-bit value (hostile: a range past 2^64 - 1 or the
    // whole window), 0xF0..0xFE any count a decoder could pass (1..65534), 0xE0..0xEF what a
    // frame of a 1500-byte MTU can carry (1..1024), otherwise a few messages (1..64, an ITCH
    // frame's usual). Each walk costs one step per number up to the 4096-number window: when
    // half of all counts were huge (top bit set), most pairs walked the whole window twice and
    // one input cost hundreds of microseconds; the rarer tiers keep every case reachable.
    const std::uint64_t raw_count = load_u64(data + at + 8);
    const unsigned tier = static_cast<unsigned>(raw_count >> 56);
    const std::uint64_t count = tier == 0xFF   ? std::max<std::uint64_t>(raw_count, 1)
                                : tier >= 0xF0 ? 1 + raw_count % 65534
                                : tier >= 0xE0 ? 1 + raw_count % 1024
                                               : 1 + raw_count % 64;
    const std::uint64_t before = started ? t.next_expected() : first;
    (void)t.frame(first, count);
    started = true;
    check(t.next_expected() == std::max(before, sequence_end(first, count)));
    // A range the decoder would drop (sequence_overflow) is cut at 2^64 - 1; the number 2^64 - 1
    // itself is not trackable, so the repeat rule holds for the ranges the decoder passes.
    if (first > ~std::uint64_t{0} - count) continue;
    const SequenceVerdict again = t.frame(first, count);
    check(again.gap == 0 && again.recovered == 0 && again.duplicate && !again.out_of_order);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  switch (data[0] % 3) {
    case 0: one_frame(data + 1, size - 1); break;
    case 1: burst(data + 1, size - 1); break;
    default: tracker(data + 1, size - 1); break;
  }
  return 0;
}

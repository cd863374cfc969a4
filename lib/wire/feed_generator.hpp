#pragma once
// The frames `tickpath gen` sends: a gapless MoldUDP64 feed (session, sequence numbers, 1..N
// messages of realistic sizes per frame, each message starting with the test-message header)
// and, on request, the faults a receiver must count exactly:
//
//   gap_every M, gap_size K   before every M-th data frame, K sequence numbers are skipped
//   duplicate_every D         every D-th data frame is sent twice in a row
//   reorder_every R           every R-th data frame is held and sent after the next one
//   malformed_every B         after every B-th data frame, one broken frame, cycling through
//                             every decoder drop class (foreign ones included)
//   heartbeat_every H         after every H-th data frame, a heartbeat (count 0)
//   finish()                  an end-of-session frame (count 0xFFFF) closes the feed
//
// Faults never overlap in a way that would make the receiver's count ambiguous: a gap is always
// revealed by the frame after it, the first frame is never reordered, heartbeats and broken
// frames are only inserted between complete units. What was sent is tallied per emitted frame
// (note_sent), so the report matches what went out even when a run stops early.
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ingest/drop_reason.hpp"
#include "wire/frame_builder.hpp"

namespace tickpath::wire {

struct FeedSpec {
  MoldFrameSpec frame;         // session, first sequence number, UDP ports
  std::uint16_t max_messages = 3;    // messages per frame: uniform in 1..max_messages
  std::uint16_t message_size = 0;    // 0: a mix of ITCH-like sizes (20..44 bytes)
  // Faults, each injected on every N-th data frame (0: off); a gap skips gap_size sequence numbers.
  std::uint64_t gap_every = 0, gap_size = 1;
  std::uint64_t duplicate_every = 0, reorder_every = 0, malformed_every = 0, heartbeat_every = 0;
  std::uint64_t seed = 1;
};

// Empty when usable, else what is wrong (names the option).
[[nodiscard]] std::string validate(const FeedSpec& spec);

enum class FrameKind : std::uint8_t { data, duplicate, late, heartbeat, end_of_session, broken };

struct GenFrame {
  std::vector<std::byte> bytes;
  std::vector<std::uint16_t> stamp_offsets;  // where each message's test header starts
  FrameKind kind = FrameKind::data;
  core::DropReason broken = core::DropReason::none;
  std::uint64_t messages = 0;    // messages a receiver publishes for this frame
  std::uint64_t gap_before = 0;  // sequence numbers skipped right before this frame
};

// Writes send_ns and send_tsc into every message header of `frame` (bytes wherever they live:
// a vector, an mbuf). Big-endian, as test_message.hpp specifies.
void stamp(std::byte* frame, const std::vector<std::uint16_t>& offsets, std::uint64_t send_ns,
           std::uint64_t send_tsc) noexcept;

// The clock send_ns is read from: CLOCK_REALTIME in ns, the one clock a receiver on another host
// (PTP/NTP-disciplined) can subtract it from (wall_to_ack). Both senders, pcap and DPDK, use it.
[[nodiscard]] std::uint64_t send_clock_ns() noexcept;

// What was sent, the generator's side of the honesty check.
struct Injected {
  std::uint64_t frames = 0;          // every frame sent
  std::uint64_t data_frames = 0;     // valid frames carrying messages (duplicates and late included)
  std::uint64_t messages = 0;        // messages in those: the events a receiver publishes
  std::uint64_t gaps = 0;            // gap injections
  std::uint64_t gap_sequences = 0;   // sequence numbers skipped in total
  std::uint64_t duplicates = 0;
  std::uint64_t reorders = 0;        // late frames (each sent after its successor)
  std::uint64_t heartbeats = 0;
  std::uint64_t end_of_session = 0;
  std::array<std::uint64_t, core::kDropReasonCount> broken{};  // by drop reason
  std::uint64_t bytes = 0;

  [[nodiscard]] std::uint64_t malformed() const noexcept;
  [[nodiscard]] std::uint64_t foreign() const noexcept;
  [[nodiscard]] nlohmann::json to_json() const;
};

class FeedGenerator {
 public:
  explicit FeedGenerator(const FeedSpec& spec);

  // The next frame to send (valid until the next call).
  const GenFrame& next();
  // Frames still queued (the second half of a reorder, a duplicate) and the end of session.
  std::vector<GenFrame> finish();
  // Tallies one frame as really sent.
  void note_sent(const GenFrame& f);

  [[nodiscard]] const Injected& injected() const noexcept { return injected_; }
  [[nodiscard]] std::uint64_t next_sequence() const noexcept { return next_seq_; }

 private:
  GenFrame data_frame();
  GenFrame announce(std::uint16_t count) const;
  void produce();

  FeedSpec spec_;
  std::mt19937_64 rng_;
  std::uint64_t next_seq_;
  std::uint64_t data_index_ = 0;  // data frames produced (not counting copies)
  std::size_t broken_cursor_ = 1; // next DropReason to inject (skips none)
  std::deque<GenFrame> queue_;
  GenFrame current_;
  Injected injected_;
};

}  // namespace tickpath::wire

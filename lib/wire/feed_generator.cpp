#include "wire/feed_generator.hpp"

#include <ctime>

#include <fmt/format.h>

#include "core/ingest/moldudp64.hpp"
#include "core/ingest/test_message.hpp"

namespace tickpath::wire {
namespace {

// Sizes of common Nasdaq TotalView-ITCH 5.0 messages (order executed 31, cancel 23, replace 35,
// add order 36, add with MPID 40, trade 44), floored at the 20-byte test header.
constexpr std::array<std::uint16_t, 7> kItchSizes{20, 23, 31, 35, 36, 40, 44};

void put_be64(std::byte* p, std::uint64_t v) noexcept {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = std::byte(v & 0xFF);
}

}  // namespace

std::string validate(const FeedSpec& s) {
  if (s.max_messages == 0 || s.max_messages > 64) return fmt::format("--messages must be 1..64 (got {})", s.max_messages);
  if (s.message_size != 0 && s.message_size < core::test_message::kHeaderBytes) {
    return fmt::format("--message-size must be >= {} (the test-message header) or 0 for the mix (got {})",
                       core::test_message::kHeaderBytes, s.message_size);
  }
  const std::size_t largest = s.message_size != 0 ? s.message_size : kItchSizes.back();
  if (s.max_messages * (largest + 2) + 62 > 1514) {
    return fmt::format("--messages {} x --message-size {} does not fit a 1514-byte frame", s.max_messages, largest);
  }
  if (s.frame.session.size() > core::moldudp64::kSessionBytes) {
    return fmt::format("--session must be at most 10 characters (got '{}')", s.frame.session);
  }
  if (s.frame.first_seq == 0) return "--first-seq must be >= 1 (MoldUDP64 numbers from 1)";
  if (s.gap_every != 0 && s.gap_size == 0) return "--gap-size must be >= 1";
  if (s.reorder_every == 1) return "--reorder-every must be >= 2 (a frame is held behind its successor)";
  return {};
}

void stamp(std::byte* frame, const std::vector<std::uint16_t>& offsets, std::uint64_t send_ns,
           std::uint64_t send_tsc) noexcept {
  for (std::uint16_t at : offsets) {
    put_be64(frame + at + core::test_message::kSendNsOffset, send_ns);
    put_be64(frame + at + core::test_message::kSendTscOffset, send_tsc);
  }
}

std::uint64_t send_clock_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

std::uint64_t Injected::malformed() const noexcept {
  std::uint64_t n = 0;
  for (std::size_t i = 1; i < core::kDropReasonCount; ++i) {
    if (!core::is_foreign(static_cast<core::DropReason>(i))) n += broken[i];
  }
  return n;
}

std::uint64_t Injected::foreign() const noexcept {
  std::uint64_t n = 0;
  for (std::size_t i = 1; i < core::kDropReasonCount; ++i) {
    if (core::is_foreign(static_cast<core::DropReason>(i))) n += broken[i];
  }
  return n;
}

nlohmann::json Injected::to_json() const {
  nlohmann::json drops = nlohmann::json::object();
  for (std::size_t i = 1; i < core::kDropReasonCount; ++i) {
    drops[std::string(core::to_string(static_cast<core::DropReason>(i)))] = broken[i];
  }
  return {{"frames", frames},
          {"data_frames", data_frames},
          {"messages", messages},
          {"gaps", gaps},
          {"gap_sequences", gap_sequences},
          {"duplicates", duplicates},
          {"reorders", reorders},
          {"heartbeats", heartbeats},
          {"end_of_session", end_of_session},
          {"malformed", malformed()},
          {"foreign", foreign()},
          {"drops", drops},
          {"bytes", bytes}};
}

FeedGenerator::FeedGenerator(const FeedSpec& spec)
    : spec_(spec), rng_(spec.seed), next_seq_(spec.frame.first_seq) {}

GenFrame FeedGenerator::data_frame() {
  GenFrame f;
  if (spec_.gap_every != 0 && data_index_ != 0 && data_index_ % spec_.gap_every == 0) {
    next_seq_ += spec_.gap_size;  // skipped: never sent; the frame below reveals the gap
    f.gap_before = spec_.gap_size;
  }
  std::uniform_int_distribution<unsigned> count_of(1, spec_.max_messages);
  std::uniform_int_distribution<std::size_t> size_of(0, kItchSizes.size() - 1);
  const unsigned count = count_of(rng_);
  std::vector<std::vector<std::byte>> messages;
  std::size_t at = core::moldudp64::kEthernetHeader + (spec_.frame.vlan ? core::moldudp64::kVlanTag : 0) +
                   core::moldudp64::kIpv4MinHeader + core::moldudp64::kUdpHeader + core::moldudp64::kHeader;
  for (unsigned i = 0; i < count; ++i) {
    const std::size_t size = spec_.message_size != 0 ? spec_.message_size : kItchSizes[size_of(rng_)];
    messages.push_back(build_test_message(size, 0, 0, std::byte(0x41 + (next_seq_ + i) % 26)));
    f.stamp_offsets.push_back(static_cast<std::uint16_t>(at + 2));
    at += 2 + size;
  }
  MoldFrameSpec frame = spec_.frame;
  frame.first_seq = next_seq_;
  f.bytes = build_moldudp64_frame(frame, messages);
  f.messages = count;
  next_seq_ += count;
  ++data_index_;
  return f;
}

GenFrame FeedGenerator::announce(std::uint16_t count) const {
  MoldFrameSpec frame = spec_.frame;
  frame.first_seq = next_seq_;  // MoldUDP64: the sequence number the next message will have
  GenFrame f;
  f.bytes = build_moldudp64_frame(frame, {}, count);
  f.kind = count == core::moldudp64::kHeartbeatCount ? FrameKind::heartbeat : FrameKind::end_of_session;
  return f;
}

// Appends one complete unit to the queue: a data frame (or a swapped pair), its duplicate, then
// a heartbeat and a broken frame when they are due.
void FeedGenerator::produce() {
  GenFrame first = data_frame();
  const std::uint64_t index = data_index_;  // 1-based index of `first`
  auto push_with_duplicate = [&](GenFrame f, std::uint64_t i) {
    const bool dup = spec_.duplicate_every != 0 && i % spec_.duplicate_every == 0;
    queue_.push_back(f);
    if (dup) {
      f.kind = FrameKind::duplicate;
      f.gap_before = 0;
      queue_.push_back(std::move(f));
    }
  };
  if (spec_.reorder_every != 0 && index > 1 && index % spec_.reorder_every == 0) {
    GenFrame second = data_frame();
    first.kind = FrameKind::late;
    push_with_duplicate(std::move(second), index + 1);
    push_with_duplicate(std::move(first), index);
  } else {
    push_with_duplicate(std::move(first), index);
  }
  if (spec_.heartbeat_every != 0 && data_index_ % spec_.heartbeat_every == 0) {
    queue_.push_back(announce(core::moldudp64::kHeartbeatCount));
  }
  if (spec_.malformed_every != 0 && data_index_ % spec_.malformed_every == 0) {
    const auto reason = static_cast<core::DropReason>(broken_cursor_);
    broken_cursor_ = broken_cursor_ + 1 == core::kDropReasonCount ? 1 : broken_cursor_ + 1;
    // wrong_group is foreign only to a line with a group set (ingest.lines.<x>.multicast): a
    // receiver without one accepts it, so the generator's cycle leaves it out.
    if (static_cast<core::DropReason>(broken_cursor_) == core::DropReason::wrong_group) {
      broken_cursor_ = broken_cursor_ + 1 == core::kDropReasonCount ? 1 : broken_cursor_ + 1;
    }
    GenFrame f;
    f.bytes = build_broken_frame(reason, spec_.frame);
    f.kind = FrameKind::broken;
    f.broken = reason;
    queue_.push_back(std::move(f));
  }
}

const GenFrame& FeedGenerator::next() {
  if (queue_.empty()) produce();
  current_ = std::move(queue_.front());
  queue_.pop_front();
  return current_;
}

std::vector<GenFrame> FeedGenerator::finish() {
  std::vector<GenFrame> out(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  out.push_back(announce(core::moldudp64::kEndOfSessionCount));
  return out;
}

void FeedGenerator::note_sent(const GenFrame& f) {
  ++injected_.frames;
  injected_.bytes += f.bytes.size();
  switch (f.kind) {
    case FrameKind::duplicate: ++injected_.duplicates; [[fallthrough]];
    case FrameKind::data:
    case FrameKind::late:
      if (f.kind == FrameKind::late) ++injected_.reorders;
      ++injected_.data_frames;
      injected_.messages += f.messages;
      if (f.gap_before != 0) {
        ++injected_.gaps;
        injected_.gap_sequences += f.gap_before;
      }
      break;
    case FrameKind::heartbeat: ++injected_.heartbeats; break;
    case FrameKind::end_of_session: ++injected_.end_of_session; break;
    case FrameKind::broken: ++injected_.broken[static_cast<std::size_t>(f.broken)]; break;
  }
}

}  // namespace tickpath::wire

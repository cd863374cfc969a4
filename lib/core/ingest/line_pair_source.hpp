#pragma once
// Two feed lines (A and B) polled by one ingest thread as one FrameSource: each receive() asks
// both sources, tags every frame with its line, and alternates which line goes first so that a
// line with a backlog cannot keep the other out of a burst for more than one poll.
//
// Chosen at start-up (ingest.lines): the single-line stage is compiled without this wrapper, so
// one line costs nothing extra.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/ingest/frame.hpp"
#include "core/ingest/source.hpp"

namespace tickpath::core {

template <FrameSource SourceA, FrameSource SourceB>
class LinePairSource {
 public:
  LinePairSource(SourceA& a, SourceB& b) noexcept : a_(&a), b_(&b) {}

  std::size_t receive(std::span<FrameView> out) noexcept {
    b_first_ = !b_first_;
    std::size_t n = 0;
    if (b_first_) {
      n = take(*b_, out, 1);
      n += take(*a_, out.subspan(n), 0);
    } else {
      n = take(*a_, out, 0);
      n += take(*b_, out.subspan(n), 1);
    }
    return n;
  }

  void release() noexcept {
    a_->release();
    b_->release();
  }

 private:
  template <class S>
  static std::size_t take(S& source, std::span<FrameView> out, std::uint8_t line) noexcept {
    if (out.empty()) return 0;
    const std::size_t n = source.receive(out);
    for (std::size_t i = 0; i < n; ++i) out[i].line = line;
    return n;
  }

  SourceA* a_;
  SourceB* b_;
  bool b_first_ = true;  // flipped before each poll: A goes first on the first poll
};

}  // namespace tickpath::core

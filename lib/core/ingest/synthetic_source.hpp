#pragma once
// In-memory frame sources for tests, benchmarks and the laptop without a PMD.
//   SyntheticSource: cycles through frames built at start-up (the caller owns their storage).
//   PacedSource<S>:  offers at most `rate` frames per second of TSC time to the stage, a wrapper
//                    chosen at start-up (`--rate`), so the unpaced loop carries no pacing branch.
//                    Frame k is due at start + k / rate: it carries that time (FrameView::due_tsc)
//                    and its latency starts there, so when the loop falls behind (a stall, a slow
//                    consumer holding the core) every frame due meanwhile shows the wait it had,
//                    as wrk2 does, instead of fresh stamps on the catch-up bursts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/ingest/frame.hpp"
#include "core/ingest/source.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

class SyntheticSource {
 public:
  // `frames` must outlive the source and be non-empty.
  explicit SyntheticSource(std::span<const FrameView> frames) noexcept : frames_(frames) {}

  std::size_t receive(std::span<FrameView> out) noexcept {
    for (FrameView& f : out) {
      f = frames_[next_];
      next_ = next_ + 1 == frames_.size() ? 0 : next_ + 1;
    }
    delivered_ += out.size();
    return out.size();
  }
  void release() noexcept {}

  [[nodiscard]] std::uint64_t delivered() const noexcept { return delivered_; }

 private:
  std::span<const FrameView> frames_;
  std::size_t next_ = 0;
  std::uint64_t delivered_ = 0;
};

template <FrameSource Inner>
class PacedSource {
 public:
  // ticks_per_second: the calibrated TSC rate. Budget accrues from the first receive().
  PacedSource(Inner& inner, double frames_per_second, double ticks_per_second) noexcept
      : inner_(&inner),
        frames_per_tick_(frames_per_second / ticks_per_second),
        ticks_per_frame_(ticks_per_second / frames_per_second) {}

  std::size_t receive(std::span<FrameView> out) noexcept {
    const Ticks now = tsc_now();
    if (start_ == 0) [[unlikely]] start_ = now;
    const auto allowed = static_cast<std::uint64_t>(static_cast<double>(now - start_) * frames_per_tick_);
    if (allowed <= offered_) return 0;
    const std::size_t n = std::min<std::uint64_t>(allowed - offered_, out.size());
    const std::size_t got = inner_->receive(out.first(n));
    for (std::size_t i = 0; i < got; ++i) {
      // Frame k = offered_ + i is due at start + k / rate (k < allowed, so never after `now`).
      out[i].due_tsc = start_ + static_cast<Ticks>(static_cast<double>(offered_ + i) * ticks_per_frame_);
    }
    offered_ += got;
    return got;
  }

  // The TSC at which pacing started (0 before the first receive) and the frames offered since.
  [[nodiscard]] Ticks start_tsc() const noexcept { return start_; }
  [[nodiscard]] std::uint64_t offered() const noexcept { return offered_; }
  void release() noexcept { inner_->release(); }

 private:
  Inner* inner_;
  double frames_per_tick_;
  double ticks_per_frame_;
  Ticks start_ = 0;
  std::uint64_t offered_ = 0;
};

static_assert(FrameSource<SyntheticSource>);
static_assert(FrameSource<PacedSource<SyntheticSource>>);

}  // namespace tickpath::core

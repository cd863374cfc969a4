#pragma once
// The selftest's truth source: frames from memory, paced at `rate`, each stamped as due at a time
// known exactly in advance, so the latency the pipeline reports can be checked against a truth
// that does not come from the pipeline.
//
//   frame k is due at   start + k / rate - injected_delay(k)
//   injected_delay(k) = a deterministic body (2..12 us) and rare large outliers (1 ms every 9 973
//                       frames, 8 ms every 99 991), as if the frame had waited upstream that long
//   the stall:          once, when frame `stall_at` is next, receive() spins `stall_ticks` before
//                       returning: every frame due meanwhile is served late, and (no coordinated
//                       omission) must show that wait
//
// A FrameSource on the hot loop: no allocation, no system call (the stall spins on the TSC).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/ingest/frame.hpp"
#include "core/ingest/source.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::control::selftest {

struct TruthPlan {
  double rate = 200'000;           // frames per second
  double ticks_per_second = 1e9;   // the calibrated TSC rate
  std::uint64_t stall_at = 0;      // 0: no stall
  core::Ticks stall_ticks = 0;
  double outlier_small_ns = 1e6;   // every kSmallEvery frames
  double outlier_large_ns = 8e6;   // every kLargeEvery frames
  static constexpr std::uint64_t kSmallEvery = 9'973;
  static constexpr std::uint64_t kLargeEvery = 99'991;
};

// The delay injected into frame k, in ns (deterministic: the truth is computed from it).
[[nodiscard]] inline double injected_delay_ns(const TruthPlan& plan, std::uint64_t k) noexcept {
  double ns = 2'000.0 + static_cast<double>((k * 7'919) % 1'000) * 10.0;
  if (k % TruthPlan::kSmallEvery == TruthPlan::kSmallEvery - 1) ns += plan.outlier_small_ns;
  if (k % TruthPlan::kLargeEvery == TruthPlan::kLargeEvery - 1) ns += plan.outlier_large_ns;
  return ns;
}

class TruthSource {
 public:
  // `frames` must outlive the source and be non-empty.
  TruthSource(std::span<const core::FrameView> frames, const TruthPlan& plan) noexcept
      : frames_(frames),
        plan_(plan),
        frames_per_tick_(plan.rate / plan.ticks_per_second),
        ticks_per_frame_(plan.ticks_per_second / plan.rate),
        ticks_per_ns_(plan.ticks_per_second / 1e9) {}

  std::size_t receive(std::span<core::FrameView> out) noexcept {
    core::Ticks now = core::tsc_now();
    if (start_ == 0) [[unlikely]] start_ = now;
    if (offered_ == plan_.stall_at && plan_.stall_ticks != 0 && stall_end_ == 0) [[unlikely]] {
      stall_begin_ = now;
      while (core::tsc_now() - stall_begin_ < plan_.stall_ticks) {
      }
      stall_end_ = now = core::tsc_now();
    }
    const auto allowed = static_cast<std::uint64_t>(static_cast<double>(now - start_) * frames_per_tick_);
    if (allowed <= offered_) return 0;
    std::size_t n = std::min<std::uint64_t>(allowed - offered_, out.size());
    // Stop just before the stall's frame so it is the first of a receive() (exactly once).
    if (plan_.stall_ticks != 0 && stall_end_ == 0 && offered_ < plan_.stall_at) {
      n = std::min<std::uint64_t>(n, plan_.stall_at - offered_);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t k = offered_ + i;
      out[i] = frames_[k % frames_.size()];
      out[i].due_tsc = due_tsc(k);
    }
    offered_ += n;
    return n;
  }
  void release() noexcept {}

  // When frame k was scheduled (start + k / rate), and when it was due: that minus its injected
  // delay (valid once the source started).
  [[nodiscard]] core::Ticks scheduled_tsc(std::uint64_t k) const noexcept {
    return start_ + static_cast<core::Ticks>(static_cast<double>(k) * ticks_per_frame_);
  }
  [[nodiscard]] core::Ticks due_tsc(std::uint64_t k) const noexcept {
    return scheduled_tsc(k) - static_cast<core::Ticks>(injected_delay_ns(plan_, k) * ticks_per_ns_);
  }
  [[nodiscard]] core::Ticks start_tsc() const noexcept { return start_; }
  [[nodiscard]] core::Ticks stall_begin_tsc() const noexcept { return stall_begin_; }
  [[nodiscard]] core::Ticks stall_end_tsc() const noexcept { return stall_end_; }
  [[nodiscard]] std::uint64_t offered() const noexcept { return offered_; }
  [[nodiscard]] const TruthPlan& plan() const noexcept { return plan_; }

 private:
  std::span<const core::FrameView> frames_;
  TruthPlan plan_;
  double frames_per_tick_;
  double ticks_per_frame_;
  double ticks_per_ns_;
  core::Ticks start_ = 0;
  std::uint64_t offered_ = 0;
  core::Ticks stall_begin_ = 0;
  core::Ticks stall_end_ = 0;
};

static_assert(core::FrameSource<TruthSource>);

}  // namespace tickpath::control::selftest

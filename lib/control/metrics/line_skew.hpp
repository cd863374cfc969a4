#pragma once
// The A/B arrival skew (B's arrival minus A's, per number both lines delivered) as the arbiter's
// SkewRecorder: two HDR histograms of raw ticks, because the skew is signed and a histogram is
// not. b_later holds B - A when it is >= 0 (B second, or both in one poll); a_later holds A - B
// when B came first. The control plane turns them into ns and into signed percentiles
// (signed_skew.hpp). Written by the ingest thread only, inside the arbiter.
#include "control/metrics/histogram.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::control {

class LineSkewHistograms {
 public:
  // Start-up: allocates both histograms.
  explicit LineSkewHistograms(HistogramConfig config = {}) : b_later_(config), a_later_(config) {}

  void record_b_later(core::Ticks t) noexcept { b_later_.record(t); }
  void record_a_later(core::Ticks t) noexcept { a_later_.record(t); }

  [[nodiscard]] const Histogram& b_later() const noexcept { return b_later_; }
  [[nodiscard]] const Histogram& a_later() const noexcept { return a_later_; }

 private:
  Histogram b_later_;
  Histogram a_later_;
};

static_assert(core::SkewRecorder<LineSkewHistograms>);

}  // namespace tickpath::control

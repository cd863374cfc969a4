#pragma once
// The selftest's recorder: a sink decorator that hands every ack to the real MetricsSink, then
// keeps the exact tick values of each stage of every in-window ack, so the histograms' answers
// can be compared with percentiles of the exact values. Preallocated at start-up; a full record
// drops nothing from the MetricsSink and is counted (the comparison then refuses to judge).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "control/metrics/metrics_sink.hpp"
#include "core/counter.hpp"
#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "core/execution/sink.hpp"

namespace tickpath::control::selftest {

// The stages the selftest checks, in MetricsSink order (the ones every event has).
inline constexpr std::size_t kTruthStages = 4;
inline constexpr const char* kTruthStageNames[kTruthStages] = {"ingest_to_ack", "queue", "decision", "ack"};

class TruthSink {
 public:
  explicit TruthSink(std::size_t capacity) {
    for (auto& v : values_) v.resize(capacity);
    feed_seq_.resize(capacity);
  }

  void observe(const core::Event& event, const core::Ack& ack) noexcept {
    metrics_.observe(event, ack);
    if (ack.in_window == 0) return;
    if (n_ == feed_seq_.size()) [[unlikely]] {
      overflow_.add();
      return;
    }
    values_[0][n_] = diff(event.rx_tsc, ack.complete_tsc);
    values_[1][n_] = diff(ack.publish_tsc, ack.poll_tsc);
    values_[2][n_] = diff(ack.poll_tsc, ack.decision_tsc);
    values_[3][n_] = diff(ack.decision_tsc, ack.complete_tsc);
    feed_seq_[n_] = event.feed_seq;
    ++n_;
  }

  [[nodiscard]] const MetricsSink& metrics() const noexcept { return metrics_; }
  // After the execution thread joined: the exact values of stage i for the first count() acks.
  [[nodiscard]] std::size_t count() const noexcept { return n_; }
  [[nodiscard]] const std::vector<core::Ticks>& values(std::size_t stage) const noexcept { return values_[stage]; }
  // The raw decoder's feed sequence = the source's frame index k (1-based): which delay it got.
  [[nodiscard]] const std::vector<std::uint64_t>& feed_seq() const noexcept { return feed_seq_; }
  [[nodiscard]] std::uint64_t overflow() const noexcept { return overflow_.load(); }

 private:
  // As MetricsSink records them: a negative difference is 0.
  static core::Ticks diff(core::Ticks a, core::Ticks b) noexcept { return b >= a ? b - a : 0; }

  MetricsSink metrics_;
  std::vector<core::Ticks> values_[kTruthStages];
  std::vector<std::uint64_t> feed_seq_;
  std::size_t n_ = 0;
  core::Counter overflow_;
};

static_assert(core::ObservabilitySink<TruthSink>);

}  // namespace tickpath::control::selftest

#pragma once
// The analytics consumer's per-batch work, on a housekeeping core. It is allowed to fall behind:
// its ConsumerLoop counts the overruns and the events it lost, and the producer never notices.
// What it computes is deliberately cheap and useful to an operator: message bytes seen and how
// far behind the producer it ran (publish -> poll, in ticks).
#include <algorithm>
#include <cstdint>
#include <span>

#include "core/counter.hpp"
#include "core/execution/event.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::control {

class AnalyticsHandler {
 public:
  void operator()(std::span<const core::Event> batch, core::Ticks poll_tsc) noexcept {
    std::uint64_t bytes = 0;
    core::Ticks oldest_publish = poll_tsc;
    for (const core::Event& e : batch) {
      bytes += e.msg_length;
      oldest_publish = std::min(oldest_publish, e.publish_tsc);
    }
    bytes_.add(bytes);
    const core::Ticks behind = poll_tsc - oldest_publish;
    if (behind > max_behind_ticks_.load()) max_behind_ticks_.set(behind);
  }

  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_.load(); }
  [[nodiscard]] core::Ticks max_behind_ticks() const noexcept { return max_behind_ticks_.load(); }

 private:
  core::Counter bytes_;
  core::Counter max_behind_ticks_;
};

}  // namespace tickpath::control

#pragma once
// `tickpath gen`'s live side: the feed's frames sent at the load shape's times on one port, or the
// same feed on two ports (lines A and B of an A/B feed) with per-line faults and a skew between
// the lines. Every copy is stamped with the time it was due on its own line, so a receiver's
// wire_to_ack starts where the frame should have left and its A/B skew histogram shows the skew
// configured here (plus what the two paths add).
//
// Off the hot path (gen is its own process): it allocates, sleeps when the next send is far, and
// spins on the TSC when it is near.
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "control/metrics/line_figures.hpp"
#include "core/time/calibration.hpp"
#include "platform/dpdk/tx_queue.hpp"
#include "report/hdr_histogram.hpp"
#include "wire/feed_generator.hpp"
#include "wire/feed_plan.hpp"
#include "wire/line_faults.hpp"

namespace tickpath::platform {

struct FeedSendPlan {
  wire::FeedPlan plan;  // its faults and skew apply with two queues only
  double stats_interval_s = 1.0;
};

struct FeedSendResult {
  // The feed as sent: with one line, the frames the port took; with two, the feed offered to
  // both lines (each line's own drops and reorders are in `lines`).
  wire::Injected injected;
  std::vector<wire::LineInjected> lines;  // empty with one line
  std::vector<TxStats> tx;                // per queue
  double elapsed_s = 0;
  // ns behind its line's schedule at send, per frame sent on any line (the tail, sent after the
  // schedule, is not in it).
  report::HdrHistogram lateness;
  // Two lines: B's send minus A's for every frame both lines sent (one TSC read per burst). What
  // the receiver's skew histogram should show, plus what the two paths add; a generator running
  // behind its schedule sends both copies as soon as it can, so this, not --skew-us, is the truth.
  control::SignedSkew sent_skew;
};

// Called every stats interval with the time since start and the feed's tally so far.
using FeedSendTick = std::function<void(double t_s, const wire::Injected& so_far)>;

// Sends until the plan's limit or `stop`, then the feed's tail (held reorders, end of session).
// queues: one (a single line) or two (A, B).
[[nodiscard]] FeedSendResult send_feed(const FeedSendPlan& plan, std::span<TxQueue* const> queues,
                                       const core::TscCalibration& calibration, const std::atomic<bool>& stop,
                                       const FeedSendTick& on_interval);

}  // namespace tickpath::platform

#include "platform/dpdk/feed_sender.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <thread>
#include <unordered_map>

#include "core/time/tsc.hpp"

namespace tickpath::platform {
namespace {

// A frame waiting for its time on one line. kTail: after the schedule, stamped when sent.
struct Pending {
  double send_ns;
  wire::GenFrame frame;
  std::uint64_t id;  // the feed frame's index: pairs a line's copy with the other line's
};
constexpr double kTail = -1;
constexpr std::uint64_t kNoPair = ~std::uint64_t{0};

// Far from the next send: yield the core (the generator shares the machine with the receiver in
// the lab); close to it: spin on the TSC.
constexpr double kSleepAboveNs = 200e3;

class Sender {
 public:
  Sender(const FeedSendPlan& plan, std::span<TxQueue* const> queues, const core::TscCalibration& cal,
         const std::atomic<bool>& stop)
      : plan_(plan), queues_(queues), cal_(cal), stop_(stop), gen_(plan.plan.feed), schedule_(plan.plan.load),
        pending_(queues.size()) {
    if (two_lines()) {
      faults_ = {wire::LineFaults(plan.plan.faults[0]), wire::LineFaults(plan.plan.faults[1])};
      const double skew_ns = plan.plan.skew_us * 1e3;
      offset_ns_ = {std::max(0.0, -skew_ns), std::max(0.0, skew_ns)};
    }
  }

  FeedSendResult run(const FeedSendTick& on_interval) {
    start_ = core::tsc_now();
    realtime_start_ = wire::send_clock_ns();
    double due = schedule_.next_ns();
    std::uint64_t scheduled = 0;
    double next_line_s = plan_.stats_interval_s;
    const auto limit_reached = [&] { return plan_.plan.limit_reached(scheduled, due); };
    while (!stop_.load(std::memory_order_relaxed)) {
      const double now_ns = elapsed_ns();
      if (now_ns >= next_line_s * 1e9) {
        on_interval(next_line_s, gen_.injected());
        next_line_s += plan_.stats_interval_s;
      }
      const bool feed_done = limit_reached();
      // At most a burst ahead: a generator that fell behind catches up burst by burst.
      while (!limit_reached() && due <= now_ns && pending_[0].size() < kMaxTxBurst) {
        offer(gen_.next(), due);
        ++scheduled;
        due = schedule_.next_ns();
      }
      bool sent = false;
      for (std::size_t line = 0; line < pending_.size(); ++line) {
        if (!pending_[line].empty() && pending_[line].front().send_ns <= now_ns) {
          send_burst(line, false);
          sent = true;
        }
      }
      if (feed_done && all_sent()) break;
      if (!sent) idle_until(feed_done ? std::numeric_limits<double>::infinity() : due, now_ns);
    }
    FeedSendResult r;
    r.elapsed_s = elapsed_ns() / 1e9;
    for (const wire::GenFrame& f : gen_.finish()) offer(f, kTail);
    if (two_lines()) {
      for (std::size_t line = 0; line < 2; ++line) {
        out_.clear();
        faults_[line].finish(out_);
        for (wire::GenFrame& g : out_) pending_[line].push_back({kTail, std::move(g), kNoPair});
      }
    }
    for (std::size_t line = 0; line < pending_.size(); ++line) {
      while (!pending_[line].empty()) {
        if (send_burst(line, true) == 0 && stop_.load(std::memory_order_relaxed)) break;
      }
    }
    r.injected = gen_.injected();
    for (const wire::LineFaults& f : faults_) r.lines.push_back(f.injected());
    for (TxQueue* q : queues_) r.tx.push_back(q->stats());
    r.lateness = std::move(lateness_);
    if (two_lines()) {
      r.sent_skew = control::signed_skew(sent_skew_.b_later().snapshot(), sent_skew_.a_later().snapshot(), cal_);
    }
    return r;
  }

 private:
  [[nodiscard]] bool two_lines() const noexcept { return queues_.size() == 2; }
  [[nodiscard]] double elapsed_ns() const noexcept { return cal_.to_ns(core::tsc_now() - start_); }

  [[nodiscard]] bool all_sent() const noexcept {
    return std::all_of(pending_.begin(), pending_.end(), [](const auto& p) { return p.empty(); });
  }

  // One frame of the feed, due at `due_ns` on the schedule. With two lines the feed is tallied
  // here (what the exchange published) and each line's faults decide what that line sends.
  void offer(const wire::GenFrame& frame, double due_ns) {
    if (!two_lines()) {
      pending_[0].push_back({due_ns, frame, 0});
      return;
    }
    const std::uint64_t id = offered_++;
    gen_.note_sent(frame);
    for (std::size_t line = 0; line < 2; ++line) {
      out_.clear();
      faults_[line].offer(frame, out_);
      for (wire::GenFrame& g : out_) {
        pending_[line].push_back({due_ns == kTail ? kTail : due_ns + offset_ns_[line], std::move(g), id});
      }
    }
  }

  void idle_until(double next_ns, double now_ns) const {
    for (const auto& p : pending_) {
      if (!p.empty() && p.front().send_ns != kTail) next_ns = std::min(next_ns, p.front().send_ns);
    }
    if (next_ns - now_ns > kSleepAboveNs) std::this_thread::sleep_for(std::chrono::microseconds(50));
  }

  // Sends the line's due frames (all of them with `everything`), at most a burst. Each message is
  // stamped with its frame's due time on this line, capped at now (a frame is never stamped in
  // the future); the tail is stamped now. Returns the frames the port took.
  std::size_t send_burst(std::size_t line, bool everything) {
    TxQueue& tx = *queues_[line];
    std::deque<Pending>& pending = pending_[line];
    batch_.clear();
    while (batch_.size() < kMaxTxBurst && !pending.empty() &&
           (everything || pending.front().send_ns <= elapsed_ns())) {
      batch_.push_back(std::move(pending.front()));
      pending.pop_front();
    }
    std::size_t n = 0;
    for (const Pending& p : batch_) {
      std::byte* at = nullptr;
      // The pool is only empty while the PMD still holds sent mbufs: wait for it to free some.
      while ((at = tx.append(p.frame.bytes.size())) == nullptr && !stop_.load(std::memory_order_relaxed)) {
        std::this_thread::yield();
      }
      if (at == nullptr) break;
      std::memcpy(at, p.frame.bytes.data(), p.frame.bytes.size());
      where_[n++] = at;
    }
    const core::Ticks now = core::tsc_now();
    const double now_ns = cal_.to_ns(now - start_);
    for (std::size_t i = 0; i < n; ++i) {
      const double scheduled = batch_[i].send_ns;
      const double due_ns = scheduled == kTail ? now_ns : std::min(scheduled, now_ns);
      if (scheduled != kTail) lateness_.record(std::llround(now_ns - due_ns));
      wire::stamp(where_[i], batch_[i].frame.stamp_offsets, realtime_start_ + static_cast<std::uint64_t>(due_ns),
                  start_ + cal_.to_ticks(due_ns));
    }
    const std::size_t done = tx.flush(stop_);
    if (!two_lines()) {
      for (std::size_t i = 0; i < done; ++i) gen_.note_sent(batch_[i].frame);
    } else {
      for (std::size_t i = 0; i < done; ++i) pair_sent(line, batch_[i].id, now);
    }
    return done;
  }

  // B's send minus A's for a frame both lines sent, resolution one burst (every frame of a burst is
  // stamped at one TSC read). A frame one line dropped stays unpaired: at most the drops' count.
  void pair_sent(std::size_t line, std::uint64_t id, core::Ticks at) {
    if (id == kNoPair) return;
    const auto [it, first] = first_sent_.try_emplace(id, at);
    if (first) return;
    const core::Ticks a = line == 1 ? it->second : at;
    const core::Ticks b = line == 1 ? at : it->second;
    if (b >= a) {
      sent_skew_.record_b_later(b - a);
    } else {
      sent_skew_.record_a_later(a - b);
    }
    first_sent_.erase(it);
  }

  const FeedSendPlan& plan_;
  std::span<TxQueue* const> queues_;
  const core::TscCalibration& cal_;
  const std::atomic<bool>& stop_;
  wire::FeedGenerator gen_;
  wire::LoadSchedule schedule_;
  std::vector<wire::LineFaults> faults_;
  std::array<double, 2> offset_ns_{};
  std::vector<std::deque<Pending>> pending_;
  std::vector<wire::GenFrame> out_;
  std::vector<Pending> batch_;
  std::array<std::byte*, kMaxTxBurst> where_{};
  report::HdrHistogram lateness_;
  std::uint64_t offered_ = 0;
  std::unordered_map<std::uint64_t, core::Ticks> first_sent_;
  control::LineSkewHistograms sent_skew_;
  core::Ticks start_ = 0;
  std::uint64_t realtime_start_ = 0;
};

}  // namespace

FeedSendResult send_feed(const FeedSendPlan& plan, std::span<TxQueue* const> queues,
                         const core::TscCalibration& calibration, const std::atomic<bool>& stop,
                         const FeedSendTick& on_interval) {
  return Sender(plan, queues, calibration, stop).run(on_interval);
}

}  // namespace tickpath::platform

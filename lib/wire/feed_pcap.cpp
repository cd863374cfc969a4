#include "wire/feed_pcap.hpp"

#include <cmath>
#include <memory>

#include "wire/pcap_writer.hpp"

namespace tickpath::wire {
namespace {

class CaptureFeed {
 public:
  explicit CaptureFeed(const PcapFeedPlan& plan) : plan_(plan), gen_(plan.plan.feed), schedule_(plan.plan.load) {
    if (plan.two_lines) faults_ = {LineFaults(plan.plan.faults[0]), LineFaults(plan.plan.faults[1])};
  }

  std::variant<PcapFeedResult, std::string> run(const std::atomic<bool>& stop) {
    PcapFeedResult r;
    if (plan_.two_lines) {
      r.files = {line_path(plan_.path, 'A'), line_path(plan_.path, 'B')};
    } else {
      r.files = {plan_.path};
    }
    for (const std::string& f : r.files) {
      auto created = PcapWriter::create(f);
      if (auto* e = std::get_if<std::string>(&created)) return *e;
      writers_.push_back(std::move(std::get<std::unique_ptr<PcapWriter>>(created)));
    }
    // Two lines: the earlier line starts at t0, so a negative skew never stamps before it.
    const std::uint64_t t0 = send_clock_ns() + (plan_.two_lines ? static_cast<std::uint64_t>(std::fabs(plan_.plan.skew_us) * 1e3) : 0);
    skew_ns_ = static_cast<std::int64_t>(std::llround(plan_.plan.skew_us * 1e3));
    double due = schedule_.next_ns();
    std::uint64_t scheduled = 0;
    std::uint64_t last_at = t0;
    while (!plan_.plan.limit_reached(scheduled, due) && !stop.load(std::memory_order_relaxed)) {
      last_at = t0 + static_cast<std::uint64_t>(due);
      if (std::string e = emit(gen_.next(), last_at); !e.empty()) return e;
      ++scheduled;
      due = schedule_.next_ns();
    }
    for (const GenFrame& f : gen_.finish()) {
      if (std::string e = emit(f, last_at); !e.empty()) return e;
    }
    for (std::size_t line = 0; line < faults_.size(); ++line) {
      out_.clear();
      faults_[line].finish(out_);
      for (GenFrame& g : out_) {
        if (std::string e = writers_[line]->write(g.bytes, last_at); !e.empty()) return e;
      }
    }
    for (auto& w : writers_) {
      if (std::string e = w->close(); !e.empty()) return e;
    }
    r.injected = gen_.injected();
    for (const LineFaults& f : faults_) r.lines.push_back(f.injected());
    r.span_s = static_cast<double>(last_at - t0) / 1e9;
    return r;
  }

 private:
  // One frame of the feed at its planned time: written as is (one line), or offered to each
  // line's faults and written at the line's time (two lines). The feed is tallied once.
  std::string emit(const GenFrame& frame, std::uint64_t at) {
    if (!plan_.two_lines) {
      GenFrame f = frame;
      stamp(f.bytes.data(), f.stamp_offsets, at, 0);
      if (std::string e = writers_[0]->write(f.bytes, at); !e.empty()) return e;
      gen_.note_sent(f);
      return {};
    }
    gen_.note_sent(frame);
    for (std::size_t line = 0; line < 2; ++line) {
      out_.clear();
      faults_[line].offer(frame, out_);
      const std::uint64_t line_at = line == 0 ? at : at + static_cast<std::uint64_t>(skew_ns_);
      for (GenFrame& g : out_) {
        stamp(g.bytes.data(), g.stamp_offsets, line_at, 0);
        if (std::string e = writers_[line]->write(g.bytes, line_at); !e.empty()) return e;
      }
    }
    return {};
  }

  const PcapFeedPlan& plan_;
  FeedGenerator gen_;
  LoadSchedule schedule_;
  std::vector<LineFaults> faults_;
  std::vector<std::unique_ptr<PcapWriter>> writers_;
  std::vector<GenFrame> out_;
  std::int64_t skew_ns_ = 0;
};

}  // namespace

std::variant<PcapFeedResult, std::string> write_feed_pcap(const PcapFeedPlan& plan, const std::atomic<bool>& stop) {
  return CaptureFeed(plan).run(stop);
}

}  // namespace tickpath::wire

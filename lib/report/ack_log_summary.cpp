#include "report/ack_log_summary.hpp"

#include <algorithm>
#include <ctime>
#include <iterator>

#include <fmt/format.h>

#include "control/metrics/histogram.hpp"
#include "core/ingest/sequence_tracker.hpp"
#include "core/time/calibration.hpp"
#include "report/number_format.hpp"

namespace tickpath::report::acklog {
namespace {

std::string utc(std::uint64_t unix_ns) {
  const std::time_t t = static_cast<std::time_t>(unix_ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::string state_name(core::LifecycleState s) {
  const auto i = static_cast<unsigned>(s);
  return i < core::kAllLifecycleStates.size() ? std::string(core::to_string(s)) : fmt::format("state{}", i);
}

// One record's event_seq into the summary's range, missing and out-of-order counts.
void count_sequence(LogSummary& s, core::SequenceTracker& seen, std::uint64_t seq) {
  const bool first = s.records == 0;
  const std::uint64_t next = seen.next_expected();
  const bool too_old = !first && next > core::kSequenceWindow && seq < next - core::kSequenceWindow;
  const core::SequenceVerdict v = seen.frame(seq, 1);
  if (first) {
    s.lowest_seq = s.highest_seq = seq;
    return;
  }
  if (seq > s.highest_seq) {
    s.missing += v.gap;
    s.highest_seq = seq;
    return;
  }
  ++s.reordered;
  if (too_old) {
    ++s.too_old;
  } else if (v.out_of_order) {
    ++s.late;
  } else {
    ++s.duplicates;
  }
  if (seq < s.lowest_seq) {
    // Below the range: the numbers between it and the old lowest were never counted, and are
    // missing now (the tracker saw `seq` as a never-seen number behind it, not as a filled gap).
    s.missing += s.lowest_seq - seq - 1;
    s.lowest_seq = seq;
  } else {
    s.missing -= v.recovered;
  }
}

}  // namespace

LogSummary summarize_log(const std::string& path, ReadMode mode) {
  LogSummary s;
  control::Histogram ingest_to_ack;
  std::uint64_t first_rx = 0;
  std::uint64_t last_complete = 0;
  core::SequenceTracker seen;  // each record is a one-number frame
  s.read = read_ack_log(path, [&](const core::Ack& a) {
    if (s.records == 0) first_rx = a.rx_tsc;
    count_sequence(s, seen, a.event_seq);
    last_complete = std::max(last_complete, a.complete_tsc);
    s.executed += a.executed;
    ++s.by_state[std::min<std::size_t>(static_cast<std::size_t>(a.state), 4)];
    ingest_to_ack.record(a.complete_tsc >= a.rx_tsc ? a.complete_tsc - a.rx_tsc : 0);
    ++s.records;
  }, {}, mode);
  const core::TscCalibration cal(static_cast<double>(s.read.header.tsc_hz));
  s.span_s = last_complete >= first_rx ? cal.to_ns(last_complete - first_rx) / 1e9 : 0.0;
  s.ingest_to_ack = control::summarize(ingest_to_ack.snapshot(), cal);
  return s;
}

std::string format_log_summary(const std::string& path, const LogSummary& s, bool salvaged) {
  const ReadResult& r = s.read;
  const Header& h = r.header;
  const std::uint64_t total = h.records + h.dropped;
  std::string out = fmt::format("{}: ack log version {}, {}-byte records, TSC {:.3f} GHz, written {}\n", path, h.version,
                                kRecordSize, static_cast<double>(h.tsc_hz) / 1e9, utc(h.created_unix_ns));
  if (salvaged) {
    out += fmt::format("salvaged    {} intact records   damaged {} (checksum failed, skipped)   partial tail {} bytes "
                       "(ignored)\n", r.records, r.damaged, r.partial_bytes);
  }
  if (h.finished()) {
    out += fmt::format("records     {}   dropped {}   logged {:.2f}% of {} acks\n", h.records, h.dropped,
                       total == 0 ? 100.0 : 100.0 * static_cast<double>(h.records) / static_cast<double>(total), total);
  } else {
    out += fmt::format("unfinished  the writer never closed this log: its record and drop counts were never written; "
                       "what follows is the {} intact records only\n", r.records);
  }
  if (s.records == 0) return out;
  const auto& st = s.by_state;
  out += fmt::format("executed    {}   provisional {}\n", s.executed, s.records - s.executed);
  out += fmt::format("states      INIT {}  WARMUP {}  READY {}  DEGRADED {}{}\n", st[0], st[1], st[2], st[3],
                     st[4] ? fmt::format("  unknown {}", st[4]) : "");
  out += fmt::format("event_seq   {} .. {}   missing between records {}{}{}\n", s.lowest_seq, s.highest_seq, s.missing,
                     s.too_old ? fmt::format(" (at most: {} too far back to tell)", s.too_old) : "",
                     s.reordered ? fmt::format("   OUT OF ORDER {} (late {}, duplicate {})", s.reordered, s.late,
                                               s.duplicates)
                                 : "");
  out += fmt::format("span        {:.3f} s from the first rx to the last ack\n", s.span_s);
  const control::LatencySummary& l = s.ingest_to_ack;
  out += fmt::format("{:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", "latency", "min", "p50", "p99", "p99.9", "max", "mean");
  out += fmt::format("{:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", "ingest_to_ack", format_ns(l.min), format_ns(l.p50),
                     format_ns(l.p99), format_ns(l.p99_9), format_ns(l.max), format_ns(l.mean));
  return out;
}

ReadResult write_log_csv(const std::string& path, ReadMode mode, const std::function<void(std::string_view)>& out) {
  core::TscCalibration cal;
  std::string buffer;
  const ReadResult r = read_ack_log(
      path,
      [&](const core::Ack& a) {
        const double ns = a.complete_tsc >= a.rx_tsc ? cal.to_ns(a.complete_tsc - a.rx_tsc) : 0.0;
        fmt::format_to(std::back_inserter(buffer), "{},{},{},{},{},{},{},{},{},{:.1f}\n", a.event_seq, a.feed_seq,
                       a.rx_tsc, a.publish_tsc, a.poll_tsc, a.decision_tsc, a.complete_tsc, a.executed,
                       state_name(a.state), ns);
        if (buffer.size() > (1 << 16)) {
          out(buffer);
          buffer.clear();
        }
      },
      // The header is validated before any row: a bad file prints no rows, only the error.
      [&](const Header& h) {
        cal = core::TscCalibration(static_cast<double>(h.tsc_hz));
        buffer = "event_seq,feed_seq,rx_tsc,publish_tsc,poll_tsc,decision_tsc,complete_tsc,executed,state,"
                 "ingest_to_ack_ns\n";
      },
      mode);
  if (!r.error && !buffer.empty()) out(buffer);
  return r;
}

}  // namespace tickpath::report::acklog

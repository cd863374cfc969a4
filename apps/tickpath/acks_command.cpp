// `tickpath acks`: the ack log read back. The summary is computed in one streaming pass (a log
// can be gigabytes); latency percentiles come from the same log-linear histogram as the run's.
#include "apps/tickpath/acks_command.hpp"
#include "apps/tickpath/cli_error.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "report/number_format.hpp"
#include "report/ack_log_format.hpp"
#include "control/metrics/histogram.hpp"
#include "control/metrics/latency_summary.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::app {
namespace {

namespace acklog = report::acklog;

int fail(const std::string& message) { return app::fail(2, message, "tickpath acks"); }

acklog::ReadMode read_mode(const AcksOptions& o) { return o.salvage ? acklog::ReadMode::salvage : acklog::ReadMode::strict; }

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

}  // namespace

int acks_command(const AcksOptions& options) {
  if (options.csv) {
    core::TscCalibration cal;
    std::string buffer;
    const auto flush = [&buffer] {
      std::fwrite(buffer.data(), 1, buffer.size(), stdout);
      buffer.clear();
    };
    const acklog::ReadResult r = acklog::read_ack_log(
        options.file,
        [&](const core::Ack& a) {
          const double ns = a.complete_tsc >= a.rx_tsc ? cal.to_ns(a.complete_tsc - a.rx_tsc) : 0.0;
          fmt::format_to(std::back_inserter(buffer), "{},{},{},{},{},{},{},{},{},{:.1f}\n", a.event_seq, a.feed_seq,
                         a.rx_tsc, a.publish_tsc, a.poll_tsc, a.decision_tsc, a.complete_tsc, a.executed,
                         state_name(a.state), ns);
          if (buffer.size() > (1 << 16)) flush();
        },
        // The header is validated before any row: a bad file prints no rows, only the error.
        [&](const acklog::Header& h) {
          cal = core::TscCalibration(static_cast<double>(h.tsc_hz));
          buffer = "event_seq,feed_seq,rx_tsc,publish_tsc,poll_tsc,decision_tsc,complete_tsc,executed,state,"
                   "ingest_to_ack_ns\n";
        },
        read_mode(options));
    if (r.error) return fail(*r.error);
    flush();
    return 0;
  }

  control::Histogram ingest_to_ack;
  std::uint64_t executed = 0;
  std::array<std::uint64_t, 5> by_state{};  // INIT WARMUP READY DEGRADED, other
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::uint64_t gaps = 0;        // event sequences missing between consecutive records
  std::uint64_t reordered = 0;   // a record whose event_seq is not above the previous one
  std::uint64_t first_rx = 0;
  std::uint64_t last_complete = 0;
  std::uint64_t n = 0;
  const acklog::ReadResult r = acklog::read_ack_log(options.file, [&](const core::Ack& a) {
    if (n == 0) {
      first_seq = a.event_seq;
      first_rx = a.rx_tsc;
    } else if (a.event_seq <= last_seq) {
      ++reordered;
    } else {
      gaps += a.event_seq - last_seq - 1;
    }
    last_seq = a.event_seq;
    last_complete = std::max(last_complete, a.complete_tsc);
    executed += a.executed;
    ++by_state[std::min<std::size_t>(static_cast<std::size_t>(a.state), 4)];
    ingest_to_ack.record(a.complete_tsc >= a.rx_tsc ? a.complete_tsc - a.rx_tsc : 0);
    ++n;
  }, {}, read_mode(options));
  if (r.error) return fail(*r.error);

  const acklog::Header& h = r.header;
  const core::TscCalibration cal(static_cast<double>(h.tsc_hz));
  const std::uint64_t total = h.records + h.dropped;
  fmt::print("{}: ack log version {}, {}-byte records, TSC {:.3f} GHz, written {}\n", options.file, h.version,
             acklog::kRecordSize, static_cast<double>(h.tsc_hz) / 1e9, utc(h.created_unix_ns));
  if (options.salvage) {
    fmt::print("salvaged    {} intact records   damaged {} (checksum failed, skipped)   partial tail {} bytes "
               "(ignored)\n", r.records, r.damaged, r.partial_bytes);
  }
  if (h.finished()) {
    fmt::print("records     {}   dropped {}   logged {:.2f}% of {} acks\n", h.records, h.dropped,
               total == 0 ? 100.0 : 100.0 * static_cast<double>(h.records) / static_cast<double>(total), total);
  } else {
    fmt::print("unfinished  the writer never closed this log: its record and drop counts were never written; "
               "what follows is the {} intact records only\n", r.records);
  }
  if (n == 0) return 0;
  fmt::print("executed    {}   provisional {}\n", executed, n - executed);
  fmt::print("states      INIT {}  WARMUP {}  READY {}  DEGRADED {}{}\n", by_state[0], by_state[1], by_state[2],
             by_state[3], by_state[4] ? fmt::format("  unknown {}", by_state[4]) : "");
  fmt::print("event_seq   {} .. {}   missing between records {}{}\n", first_seq, last_seq, gaps,
             reordered ? fmt::format("   OUT OF ORDER {}", reordered) : "");
  fmt::print("span        {:.3f} s from the first rx to the last ack\n",
             last_complete >= first_rx ? cal.to_ns(last_complete - first_rx) / 1e9 : 0.0);
  const control::LatencySummary s = control::summarize(ingest_to_ack.snapshot(), cal);
  fmt::print("{:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", "latency", "min", "p50", "p99", "p99.9", "max", "mean");
  fmt::print("{:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", "ingest_to_ack", report::format_ns(s.min), report::format_ns(s.p50),
             report::format_ns(s.p99), report::format_ns(s.p99_9), report::format_ns(s.max), report::format_ns(s.mean));
  return 0;
}

}  // namespace tickpath::app

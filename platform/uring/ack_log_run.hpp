#pragma once
// report.ack_log in a run: the executor's sink type says whether the log is on (AckLogSink<...>,
// chosen once by the run's wiring), and this object starts the drain thread before the
// pipeline and finishes it after the drain. For any other sink it is an empty shell: a run
// without the ack log has no ack-log code on any path.
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "control/plane/observables.hpp"
#include "core/execution/ack_log_sink.hpp"
#include "platform/uring/ack_log_writer.hpp"

namespace tickpath::platform {

template <class Sink>
struct IsAckLog : std::false_type {};
template <class Inner>
struct IsAckLog<core::AckLogSink<Inner>> : std::true_type {};

struct AckLogPlacement {
  std::string report_dir;  // the run folder: acks.bin goes here
  int cpu = -1;            // the core plan's housekeeping cpu
  double tsc_hz = 0;
  core::Ticks start_tsc = 0;
};

template <class Sink>
class AckLogRun {
 public:
  // Before the pipeline starts, so the queue is emptied from the first ack. A log that cannot
  // start is reported (exit 3) but the run goes on: the queue then fills and every later ack is
  // counted as dropped.
  void start(Sink& sink, const AckLogPlacement& where, control::Observables& observed) {
    if constexpr (IsAckLog<Sink>::value) {
      dir_ = where.report_dir;
      cpu_ = where.cpu;
      AckLogSettings settings;
      settings.path = where.report_dir + "/acks.bin";
      settings.cpu = where.cpu;
      settings.tsc_hz = static_cast<std::uint64_t>(where.tsc_hz + 0.5);
      settings.start_tsc = where.start_tsc;
      writer_ = std::make_unique<AckLogWriter>(sink.queue(), settings);
      start_error_ = writer_->start();
      if (!start_error_.empty()) {
        fmt::print(stderr, "tickpath: {}\n", start_error_);
      } else {
        fmt::print("ack log: {} (thread tp-acklog on housekeeping cpu {}, queue of {} acks)\n", settings.path,
                   settings.cpu, sink.queue().capacity());
      }
      observed.ack_log_queue = &sink.queue();
      observed.ack_log_dropped = &sink.dropped();
    } else {
      (void)sink, (void)where, (void)observed;
    }
  }

  // After the pipeline joined (the producer is done for good). Sets summary["ack_log"] (null
  // without the log) and returns the errors, named relative to the run folder.
  std::vector<std::string> finish(const Sink& sink, nlohmann::json& summary) {
    if constexpr (IsAckLog<Sink>::value) {
      std::vector<std::string> errors;
      AckLogResult r;
      if (start_error_.empty()) {
        r = writer_->finish(sink.dropped().load());
      } else {
        r.dropped = sink.dropped().load();
        r.unwritten = sink.queue().pushed();
        errors.push_back(start_error_);
      }
      const std::string prefix = dir_ + "/";
      for (std::string e : r.errors) {
        if (e.rfind(prefix, 0) == 0) e.erase(0, prefix.size());
        errors.push_back(std::move(e));
      }
      summary["ack_log"] = {{"file", "acks.bin"},
                            {"cpu", cpu_},
                            {"records", r.records},
                            {"dropped", r.dropped},
                            {"unwritten", r.unwritten},
                            {"queued", sink.queue().pushed()},
                            {"queue_capacity", sink.queue().capacity()},
                            {"bytes", r.bytes},
                            {"short_writes", r.short_writes},
                            {"notes", r.notes},
                            {"errors", errors}};
      return errors;
    } else {
      (void)sink;
      summary["ack_log"] = nullptr;
      return {};
    }
  }

 private:
  std::unique_ptr<AckLogWriter> writer_;
  std::string start_error_;
  std::string dir_;
  int cpu_ = -1;
};

}  // namespace tickpath::platform

#pragma once
// The ack log's drain: a thread on a housekeeping core (named tp-acklog, pinned by the core
// plan) that consumes the execution consumer's SPSC queue of acks, encodes them into acks.bin
// (report/ack_log_format.hpp) and writes them through the io_uring writer. It owns the
// writer; nothing else touches it.
//
//   execution thread ── AckLogSink::observe ── try_push ──► SpscQueue<Ack> ──► tp-acklog
//        (hot, never waits: full = dropped + counted)             consume(batch) → encode → append
//                                                                 finish: header(records, dropped), fsync
//
// A write error does not stop the drain: the queue keeps being emptied (so it behaves the same
// for the producer), the records that could not be written are counted as `unwritten`, and
// the error is reported by finish().
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "report/ack_log_format.hpp"
#include "core/bus/spsc_queue.hpp"
#include "core/execution/ack.hpp"
#include "platform/uring/file_writer.hpp"

namespace tickpath::platform {

struct AckLogSettings {
  std::string path;              // .../acks.bin
  int cpu = -1;                  // housekeeping cpu from the core plan; -1: not pinned
  std::uint64_t tsc_hz = 0;
  std::uint64_t start_tsc = 0;
  std::size_t batch = 1024;      // acks per append (64 KiB)
  UringWriterConfig writer;      // buffer_bytes >= batch * 64 keeps one append in one write
};

struct AckLogResult {
  std::string path;
  // Handed to the writer (the header's count). With errors non-empty the file is incomplete:
  // some of these may have failed at completion, and the header keeps its unfinished sentinel.
  std::uint64_t records = 0;
  std::uint64_t dropped = 0;    // never queued: the queue was full
  std::uint64_t unwritten = 0;  // queued, but the file had failed
  std::uint64_t bytes = 0;      // header + records
  std::uint64_t short_writes = 0;
  std::vector<std::string> errors;  // each names the file and the errno text
  std::vector<std::string> notes;   // e.g. a pinning failure: the log was still written
};

class AckLogWriter {
 public:
  // `queue` is the consumer side; the producer is the execution thread.
  AckLogWriter(core::SpscQueue<core::Ack>& queue, AckLogSettings settings);
  ~AckLogWriter();
  AckLogWriter(const AckLogWriter&) = delete;
  AckLogWriter& operator=(const AckLogWriter&) = delete;

  // Creates the ring, opens the file, writes a provisional header, starts the thread.
  // Error: nothing was started (the run goes on without an ack log and reports why).
  [[nodiscard]] std::string start();

  // Call after the producer has stopped for good (the pipeline joined). Drains the rest,
  // writes the final header with `dropped`, fsyncs, closes, joins the thread.
  [[nodiscard]] AckLogResult finish(std::uint64_t dropped);

 private:
  void run();
  void drain_batch();

  core::SpscQueue<core::Ack>* queue_;
  AckLogSettings settings_;
  std::unique_ptr<UringFileWriter> writer_;
  UringFileWriter::FileId file_ = 0;
  std::vector<std::byte> staging_;
  AckLogResult result_;
  std::atomic<bool> stop_{false};
  std::uint64_t dropped_ = 0;  // set before stop_ (release), read by the thread after (acquire)
  std::thread thread_;
};

}  // namespace tickpath::platform

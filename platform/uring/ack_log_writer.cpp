#include "platform/uring/ack_log_writer.hpp"

#include <chrono>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "platform/topology/thread.hpp"

namespace tickpath::platform {

namespace acklog = report::acklog;

AckLogWriter::AckLogWriter(core::SpscQueue<core::Ack>& queue, AckLogSettings settings)
    : queue_(&queue), settings_(std::move(settings)) {
  result_.path = settings_.path;
}

AckLogWriter::~AckLogWriter() {
  if (thread_.joinable()) (void)finish(0);
}

std::string AckLogWriter::start() {
  auto created = UringFileWriter::create(settings_.writer);
  if (auto* e = std::get_if<IoError>(&created)) return fmt::format("ack log: io_uring: {}", std::strerror(e->error));
  writer_ = std::move(std::get<std::unique_ptr<UringFileWriter>>(created));
  auto opened = writer_->open(settings_.path);
  if (auto* e = std::get_if<IoError>(&opened)) return fmt::format("ack log: {}", e->message());
  file_ = std::get<UringFileWriter::FileId>(opened);

  acklog::Header header;  // records/dropped stay kUnfinished until finish()
  header.tsc_hz = settings_.tsc_hz;
  header.start_tsc = settings_.start_tsc;
  header.created_unix_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const acklog::HeaderBytes bytes = acklog::encode_header(header);
  if (auto e = writer_->append(file_, bytes)) return fmt::format("ack log: {}", e->message());
  result_.bytes = acklog::kHeaderSize;

  staging_.resize(settings_.batch * acklog::kRecordSize);  // start-up: the only allocation
  thread_ = std::thread([this] { run(); });
  return {};
}

void AckLogWriter::drain_batch() {
  std::byte* out = staging_.data();
  const std::size_t n = queue_->consume(settings_.batch, [&out](const core::Ack& ack) {
    acklog::encode_record(ack, out);
    out += acklog::kRecordSize;
  });
  if (n == 0) {
    (void)writer_->poll();  // reap completions while idle: buffers return to the pool
    return;
  }
  if (!result_.errors.empty()) {  // the file failed earlier: keep emptying the queue, count
    result_.unwritten += n;
    return;
  }
  if (auto e = writer_->append(file_, std::span(staging_.data(), n * acklog::kRecordSize))) {
    result_.errors.push_back(e->message());
    result_.unwritten += n;
    return;
  }
  result_.records += n;
  result_.bytes += n * acklog::kRecordSize;
}

void AckLogWriter::run() {
  name_current_thread("tp-acklog");
  if (settings_.cpu >= 0) {
    if (auto error = pin_current_thread(settings_.cpu)) result_.notes.push_back("tp-acklog: " + *error);
  }
  // Housekeeping: back off when the queue is empty (this core is shared with the control plane).
  std::uint32_t idle = 0;
  // acquire: partner of finish()'s release store; the producer's last push happened before it
  // (the pipeline was joined), so the final drain below sees every queued ack.
  while (!stop_.load(std::memory_order_acquire)) {
    const std::uint64_t before = result_.records + result_.unwritten;
    drain_batch();
    if (result_.records + result_.unwritten != before) {
      idle = 0;
    } else if (++idle > 64) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    } else {
      std::this_thread::yield();
    }
  }
  for (;;) {
    const std::uint64_t before = result_.records + result_.unwritten;
    drain_batch();
    if (result_.records + result_.unwritten == before) break;
  }

  // The final header: the counts a reader checks the file against.
  acklog::Header header;
  header.tsc_hz = settings_.tsc_hz;
  header.start_tsc = settings_.start_tsc;
  header.created_unix_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  header.records = result_.records;
  header.dropped = dropped_;
  const acklog::HeaderBytes bytes = acklog::encode_header(header);
  if (result_.errors.empty()) {
    if (auto e = writer_->write_at(file_, 0, bytes)) result_.errors.push_back(e->message());
  }
  if (auto e = writer_->close(file_)) {
    // A write error already recorded is the same error again: report each once.
    if (result_.errors.empty() || result_.errors.back() != e->message()) result_.errors.push_back(e->message());
  }
  result_.short_writes = writer_->short_writes();
}

AckLogResult AckLogWriter::finish(std::uint64_t dropped) {
  if (!thread_.joinable()) {
    result_.dropped = dropped;
    return result_;
  }
  dropped_ = dropped;
  // release: publishes dropped_ to the thread (partner: run()'s acquire load).
  stop_.store(true, std::memory_order_release);
  thread_.join();
  result_.dropped = dropped;
  return result_;
}

}  // namespace tickpath::platform

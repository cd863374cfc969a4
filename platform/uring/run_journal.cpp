#include "platform/uring/run_journal.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <variant>

#include <fmt/format.h>

#include "report/hlog.hpp"
#include "report/timeline_csv.hpp"

namespace tickpath::platform {
namespace {

using nlohmann::json;

std::span<const std::byte> bytes_of(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

// The interval's timeline.csv text: its header line too when it is the first. Every interval of a
// run has the same consumers and stages (the snapshot lists all of them every time), so the
// first row's header is the header of every later row.
std::string csv_text(const json& entry, bool first) {
  std::string text = report::render_timeline_csv(json::array({entry}));
  if (!first) text.erase(0, text.find('\n') + 1);
  return text;
}

}  // namespace

RunJournal::RunJournal(std::string dir) : dir_(std::move(dir)) {}

RunJournal::~RunJournal() { close(); }

void RunJournal::fail(const std::string& error) {
  std::string e = error;
  if (e.rfind(dir_ + "/", 0) == 0) e.erase(0, dir_.size() + 1);
  if (!failed_) fmt::print(stderr, "tickpath: warning: run journal stopped: {} (timeline.csv and latency.hlog end here; the final report says so)\n", e);
  errors_.push_back(std::move(e));
  failed_ = true;
}

bool RunJournal::append_logs(const control::ControlPlane& control) {
  const control::ControlPlane::LastInterval last = control.last_interval();
  if (failed_) return false;
  const bool first = !open_;
  if (first) {
    UringWriterConfig config;
    config.queue_depth = 8;
    config.buffers = 8;
    config.buffer_bytes = 64 * 1024;
    config.max_files = 3;
    auto created = UringFileWriter::create(config);
    if (auto* e = std::get_if<IoError>(&created)) return fail(fmt::format("io_uring: {}", std::strerror(e->error))), false;
    writer_ = std::move(std::get<std::unique_ptr<UringFileWriter>>(created));
    auto timeline = writer_->open(dir_ + "/timeline.csv");
    if (auto* e = std::get_if<IoError>(&timeline)) return fail(e->message()), false;
    timeline_ = std::get<UringFileWriter::FileId>(timeline);
    auto hlog = writer_->open(dir_ + "/latency.hlog");
    if (auto* e = std::get_if<IoError>(&hlog)) return fail(e->message()), false;
    hlog_ = std::get<UringFileWriter::FileId>(hlog);
    open_ = true;
  }
  std::string hlog_text = first ? report::render_hlog_header(control.start_epoch_s()) : std::string();
  std::string csv = last.timeline_entry != nullptr ? csv_text(*last.timeline_entry, first)
                                                   : report::render_timeline_csv(json::array());  // header only
  if (last.hlog_lines != nullptr) hlog_text += *last.hlog_lines;
  // Both logs hold the interval, on disk, before the summary that counts it is renamed in.
  for (auto [file, text] : {std::pair{timeline_, std::move(csv)}, std::pair{hlog_, std::move(hlog_text)}}) {
    if (auto e = writer_->append(file, bytes_of(text))) return fail(e->message()), false;
  }
  for (const UringFileWriter::FileId file : {timeline_, hlog_}) {
    if (auto e = writer_->sync(file)) return fail(e->message()), false;
  }
  written_ = last.intervals;
  return true;
}

void RunJournal::record(const control::ControlPlane& control, const json& provisional) {
  const control::ControlPlane::LastInterval last = control.last_interval();
  if (last.timeline_entry == nullptr || last.intervals == written_) return;
  if (!append_logs(control)) return;
  const std::string staged = dir_ + "/summary.json.tmp";
  auto summary = writer_->open(staged);
  if (auto* e = std::get_if<IoError>(&summary)) return fail(e->message());
  const std::string text = provisional.dump(2) + "\n";
  if (auto e = writer_->append(std::get<UringFileWriter::FileId>(summary), bytes_of(text))) {
    (void)writer_->close(std::get<UringFileWriter::FileId>(summary));
    return fail(e->message());
  }
  if (auto e = writer_->close(std::get<UringFileWriter::FileId>(summary))) return fail(e->message());
  if (std::rename(staged.c_str(), (dir_ + "/summary.json").c_str()) != 0) {
    return fail(IoError{staged, "rename", errno}.message());
  }
}

void RunJournal::finish(const control::ControlPlane& control) {
  const control::ControlPlane::LastInterval last = control.last_interval();
  if (!open_ || last.intervals > written_) (void)append_logs(control);
  close();
}

void RunJournal::close() {
  if (!open_) return;
  open_ = false;
  for (const UringFileWriter::FileId file : {timeline_, hlog_}) {
    if (auto e = writer_->close(file); e && !failed_) fail(e->message());
  }
  writer_.reset();
}

}  // namespace tickpath::platform

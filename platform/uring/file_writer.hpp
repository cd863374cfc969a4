#pragma once
// An asynchronous file writer on io_uring (liburing), for report files and the ack log. Owned and
// driven by one housekeeping thread (not thread-safe by design: one owner, no locks).
//
//   append(file, bytes) ─► copy into a pool buffer ─► IORING_OP_WRITE at the file's next offset
//                                                          │ completion (any order)
//   close(file) ─► wait for the file's writes ─► IORING_OP_FSYNC ─► close(2) ─► first error or none
//
// Fixed at start-up: the ring's queue depth, the number of pool buffers and their size, the
// number of files open at once. After create() nothing allocates per write: a write takes a
// free buffer and a free request slot, and waits for a completion when there is none.
//
// Order: each append is assigned the file's next offset when it is queued, so a file's content
// is exactly the concatenation of its appends, in order, however many writes (of however many
// files) are in flight and in whatever order the kernel completes them. Appends never overlap;
// write_at() (which may overlap earlier writes) is a barrier for its file.
//
// Errors are values: open/append/write_at/close return an IoError naming the file, the
// operation and the errno (ENOSPC, EIO, ...). After a file's first error its later writes are not
// submitted (a full disk is not hammered) and close() returns that first error. A short write is
// not an error: the remainder is resubmitted at the right offset until it is all written.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>

namespace tickpath::platform {

struct IoError {
  std::string path;
  std::string op;  // "open", "write", "fsync", "close", "writer"
  int error = 0;   // errno

  // "<path>: <op>: <strerror>", e.g. "/r/summary.json: write: No space left on device"
  [[nodiscard]] std::string message() const;
};

struct UringWriterConfig {
  unsigned queue_depth = 32;         // SQ entries: the most operations in flight
  std::size_t buffers = 32;          // the pool: each in-flight write holds one
  std::size_t buffer_bytes = 64 * 1024;
  std::size_t max_files = 16;        // files open at once
  // Test seam: sees each completion's result (bytes written or -errno) with the bytes that
  // write asked for, and returns the result the writer acts on. Clipping it forces a short
  // write (the writer then rewrites the remainder, which is harmless: same bytes, same offset);
  // returning -EIO injects an error. Empty in production.
  std::function<int(int result, unsigned requested)> completion_hook;
};

class UringFileWriter {
 public:
  using FileId = std::uint32_t;

  // Error: why the ring could not be set up (io_uring disabled, a seccomp profile, ...).
  [[nodiscard]] static std::variant<std::unique_ptr<UringFileWriter>, IoError> create(const UringWriterConfig& config);

  UringFileWriter(const UringFileWriter&) = delete;
  UringFileWriter& operator=(const UringFileWriter&) = delete;
  // Waits for everything in flight and closes what is still open (without fsync).
  ~UringFileWriter();

  // Creates or truncates `path` (0644).
  [[nodiscard]] std::variant<FileId, IoError> open(const std::string& path);
  // Queues `bytes` at the file's end. May wait for completions when no buffer is free.
  [[nodiscard]] std::optional<IoError> append(FileId file, std::span<const std::byte> bytes);
  // Queues `bytes` at `offset` (e.g. a header rewritten when the log is closed); the end of
  // the file used by append() is not moved. Waits for the file's writes in flight first, so
  // the rewrite cannot be overtaken by an earlier write of the same bytes.
  [[nodiscard]] std::optional<IoError> write_at(FileId file, std::uint64_t offset, std::span<const std::byte> bytes);
  // Waits for the file's writes and fsyncs it (IORING_OP_FSYNC); the file stays open for more
  // appends (a log that must be on disk up to here: run_journal). Returns the file's first error.
  [[nodiscard]] std::optional<IoError> sync(FileId file);
  // Waits for the file's writes, fsyncs (IORING_OP_FSYNC), closes. Returns the file's first error.
  [[nodiscard]] std::optional<IoError> close(FileId file);
  // Reaps whatever has completed, without waiting. Returns how many completions were handled.
  std::size_t poll();

  // Bytes the kernel reported written (all files), and how many short writes were resubmitted.
  [[nodiscard]] std::uint64_t bytes_written() const noexcept { return bytes_written_; }
  [[nodiscard]] std::uint64_t short_writes() const noexcept { return short_writes_; }

  struct Impl;

 private:
  explicit UringFileWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::uint64_t bytes_written_ = 0;
  std::uint64_t short_writes_ = 0;
  friend struct Impl;
};

}  // namespace tickpath::platform

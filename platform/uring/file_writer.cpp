#include "platform/uring/file_writer.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <liburing.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace tickpath::platform {

std::string IoError::message() const {
  return fmt::format("{}: {}: {}", path, op, std::strerror(error));
}

namespace {

enum class Op : std::uint8_t { write, fsync };

// One operation in flight. Its index is the SQE's user_data.
struct Request {
  Op op = Op::write;
  std::uint32_t file = 0;
  std::uint32_t buffer = 0;      // pool index (writes only)
  std::uint64_t offset = 0;      // where the unwritten rest goes
  const std::byte* data = nullptr;
  std::uint32_t length = 0;      // bytes still to write
};

struct File {
  int fd = -1;
  std::string path;
  std::uint64_t end = 0;         // next append offset
  std::uint32_t in_flight = 0;
  std::optional<IoError> error;  // the first one
};

}  // namespace

struct UringFileWriter::Impl {
  UringWriterConfig config;
  io_uring ring{};
  bool ring_ready = false;
  std::unique_ptr<std::byte[]> pool;
  std::vector<std::uint32_t> free_buffers;   // stack
  std::vector<Request> requests;
  std::vector<std::uint32_t> free_requests;  // stack
  std::vector<File> files;
  std::uint32_t unsubmitted = 0;
  UringFileWriter* owner = nullptr;

  ~Impl() {
    if (ring_ready) io_uring_queue_exit(&ring);
  }

  std::byte* buffer(std::uint32_t i) const { return pool.get() + static_cast<std::size_t>(i) * config.buffer_bytes; }

  void fail(File& f, const char* op, int error) {
    if (!f.error) f.error = IoError{f.path, op, error};
  }

  // Submits what is queued. Errors here are the ring's, not a file's: they are retried by the
  // caller's next wait (EINTR/EAGAIN/EBUSY) or surface as the writer's error.
  int submit() {
    if (unsubmitted == 0) return 0;
    for (;;) {
      const int n = io_uring_submit(&ring);
      if (n >= 0) {
        unsubmitted -= std::min<std::uint32_t>(unsubmitted, static_cast<std::uint32_t>(n));
        return 0;
      }
      if (n != -EINTR) return n;
    }
  }

  io_uring_sqe* sqe() {
    io_uring_sqe* s = io_uring_get_sqe(&ring);
    if (s == nullptr) {  // the SQ is full of unsubmitted entries: hand them to the kernel
      (void)submit();
      s = io_uring_get_sqe(&ring);
    }
    return s;
  }

  void queue_write(std::uint32_t index) {
    Request& r = requests[index];
    io_uring_sqe* s = sqe();
    io_uring_prep_write(s, files[r.file].fd, r.data, r.length, r.offset);
    io_uring_sqe_set_data64(s, index);
    ++unsubmitted;
  }

  void release(std::uint32_t index) {
    Request& r = requests[index];
    if (r.op == Op::write) free_buffers.push_back(r.buffer);
    --files[r.file].in_flight;
    free_requests.push_back(index);
  }

  void handle(const io_uring_cqe& cqe) {
    const auto index = static_cast<std::uint32_t>(io_uring_cqe_get_data64(&cqe));
    Request& r = requests[index];
    File& f = files[r.file];
    int result = cqe.res;
    if (config.completion_hook && r.op == Op::write) result = config.completion_hook(result, r.length);
    if (r.op == Op::fsync) {
      if (result < 0) fail(f, "fsync", -result);
      release(index);
      return;
    }
    if (result < 0) {
      fail(f, "write", -result);
    } else if (result == 0) {
      // Nothing written and no errno: retrying would spin forever. ENOSPC is what a full
      // filesystem reports on the retry of a short write; EIO says "it did not happen".
      fail(f, "write", EIO);
    } else if (static_cast<std::uint32_t>(result) < r.length && !f.error) {
      // Short write: not an error. The rest goes to the same offset + what was written.
      owner->bytes_written_ += static_cast<std::uint64_t>(result);
      ++owner->short_writes_;
      r.offset += static_cast<std::uint64_t>(result);
      r.data += result;
      r.length -= static_cast<std::uint32_t>(result);
      queue_write(index);
      return;
    } else {
      owner->bytes_written_ += static_cast<std::uint64_t>(result);
    }
    release(index);
  }

  std::size_t reap() {
    std::size_t n = 0;
    io_uring_cqe* cqe = nullptr;
    while (io_uring_peek_cqe(&ring, &cqe) == 0 && cqe != nullptr) {
      const io_uring_cqe copy = *cqe;
      io_uring_cqe_seen(&ring, cqe);
      handle(copy);
      ++n;
    }
    return n;
  }

  // Submits, then waits for at least one completion and handles all that are ready.
  int wait_one() {
    if (int e = submit(); e < 0) return e;
    io_uring_cqe* cqe = nullptr;
    int e = 0;
    do {
      e = io_uring_wait_cqe(&ring, &cqe);
    } while (e == -EINTR);
    if (e < 0) return e;
    (void)reap();
    return 0;
  }

  std::optional<IoError> writer_error(File& f, int e) {
    fail(f, "writer", -e);
    return f.error;
  }

  std::optional<IoError> write(std::uint32_t file, std::uint64_t offset, std::span<const std::byte> bytes) {
    File& f = files[file];
    while (!bytes.empty()) {
      if (f.error) return f.error;
      while (free_buffers.empty() || free_requests.empty()) {
        if (int e = wait_one(); e < 0) return writer_error(f, e);
        if (f.error) return f.error;
      }
      const std::size_t n = std::min(bytes.size(), config.buffer_bytes);
      const std::uint32_t b = free_buffers.back();
      free_buffers.pop_back();
      const std::uint32_t index = free_requests.back();
      free_requests.pop_back();
      std::memcpy(buffer(b), bytes.data(), n);
      requests[index] = Request{Op::write, file, b, offset, buffer(b), static_cast<std::uint32_t>(n)};
      ++f.in_flight;
      queue_write(index);
      offset += n;
      bytes = bytes.subspan(n);
    }
    if (int e = submit(); e < 0) return writer_error(f, e);
    return std::nullopt;
  }
};

UringFileWriter::UringFileWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) { impl_->owner = this; }

std::variant<std::unique_ptr<UringFileWriter>, IoError> UringFileWriter::create(const UringWriterConfig& config) {
  if (config.queue_depth == 0 || config.buffers == 0 || config.buffer_bytes == 0 || config.max_files == 0 ||
      config.buffer_bytes > (std::size_t{1} << 30)) {
    return IoError{"io_uring", "writer", EINVAL};
  }
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  if (int e = io_uring_queue_init(config.queue_depth, &impl->ring, 0); e < 0) return IoError{"io_uring", "setup", -e};
  impl->ring_ready = true;
  // io_uring's own workers (iou-wrk-N, threads of this process that carry a write the kernel
  // could not complete inline) run on the cgroup's cpus by default, not on the creating thread's:
  // on an un-isolated machine that includes the hot cpus. They get the creating thread's
  // affinity instead (a housekeeping cpu: the writer is made by the control plane).
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  // A kernel without IORING_REGISTER_IOWQ_AFF (< 5.14) leaves them where they were: the report
  // is still written, so that is not an error (the thread-affinity test would show it).
  if (pthread_getaffinity_np(pthread_self(), sizeof(allowed), &allowed) == 0) {
    (void)io_uring_register_iowq_aff(&impl->ring, sizeof(allowed), &allowed);
  }
  impl->pool = std::make_unique<std::byte[]>(config.buffers * config.buffer_bytes);
  for (std::size_t i = config.buffers; i-- > 0;) impl->free_buffers.push_back(static_cast<std::uint32_t>(i));
  // In flight at once: at most the SQ depth (so the CQ, twice as deep, can never overflow).
  impl->requests.resize(config.queue_depth);
  for (std::size_t i = config.queue_depth; i-- > 0;) impl->free_requests.push_back(static_cast<std::uint32_t>(i));
  impl->files.resize(config.max_files);
  return std::unique_ptr<UringFileWriter>(new UringFileWriter(std::move(impl)));
}

UringFileWriter::~UringFileWriter() {
  for (File& f : impl_->files) {
    while (f.fd >= 0 && f.in_flight > 0) {
      if (impl_->wait_one() < 0) break;
    }
    if (f.fd >= 0) ::close(f.fd);
    f.fd = -1;
  }
}

std::variant<UringFileWriter::FileId, IoError> UringFileWriter::open(const std::string& path) {
  for (std::uint32_t i = 0; i < impl_->files.size(); ++i) {
    File& f = impl_->files[i];
    if (f.fd >= 0) continue;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return IoError{path, "open", errno};
    f = File{fd, path, 0, 0, std::nullopt};
    return i;
  }
  return IoError{path, "open", EMFILE};  // more files than max_files at once
}

std::optional<IoError> UringFileWriter::append(FileId file, std::span<const std::byte> bytes) {
  File& f = impl_->files.at(file);
  if (f.error) return f.error;
  const std::uint64_t at = f.end;
  f.end += bytes.size();  // reserved now: the next append starts after these bytes
  return impl_->write(file, at, bytes);
}

std::optional<IoError> UringFileWriter::write_at(FileId file, std::uint64_t offset, std::span<const std::byte> bytes) {
  File& f = impl_->files.at(file);
  // A barrier first: writes in flight complete in any order (buffered writes run on io-wq
  // workers), so a rewrite submitted next to the write it replaces could land before it.
  while (f.in_flight > 0 && !f.error) {
    if (int e = impl_->wait_one(); e < 0) return impl_->writer_error(f, e);
  }
  if (f.error) return f.error;
  return impl_->write(file, offset, bytes);
}

std::optional<IoError> UringFileWriter::close(FileId file) {
  (void)sync(file);  // its error, if any, is the file's first error: returned below
  File& f = impl_->files.at(file);
  if (f.in_flight == 0) {
    if (::close(f.fd) != 0) impl_->fail(f, "close", errno);
    f.fd = -1;
  }
  std::optional<IoError> result = f.error;
  if (f.fd < 0) f = File{};
  return result;
}

std::optional<IoError> UringFileWriter::sync(FileId file) {
  File& f = impl_->files.at(file);
  while (f.in_flight > 0) {
    if (int e = impl_->wait_one(); e < 0) {
      impl_->writer_error(f, e);
      break;
    }
  }
  if (!f.error && f.in_flight == 0) {
    // fsync through the ring as well: the file is durable before the run says it is written.
    while (impl_->free_requests.empty()) {
      if (int e = impl_->wait_one(); e < 0) return impl_->writer_error(f, e);
    }
    const std::uint32_t index = impl_->free_requests.back();
    impl_->free_requests.pop_back();
    impl_->requests[index] = Request{Op::fsync, file, 0, 0, nullptr, 0};
    ++f.in_flight;
    io_uring_sqe* s = impl_->sqe();
    io_uring_prep_fsync(s, f.fd, 0);
    io_uring_sqe_set_data64(s, index);
    ++impl_->unsubmitted;
    while (f.in_flight > 0) {
      if (int e = impl_->wait_one(); e < 0) {
        impl_->writer_error(f, e);
        break;
      }
    }
  }
  return f.error;
}

std::size_t UringFileWriter::poll() { return impl_->reap(); }

}  // namespace tickpath::platform

#include "platform/uring/run_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <variant>

#include <fmt/format.h>

#include "platform/uring/file_writer.hpp"

namespace tickpath::platform {
namespace {


// The file's name relative to the run folder, then the operation and errno text: the folder is
// printed once by the caller, the name is what an operator looks for.
std::string describe(const RunFile& f, const IoError& e) {
  return fmt::format("{}: {}: {}", f.name, e.op, std::strerror(e.error));
}

// Each file is written beside its final name (`<name>.tmp`), fsynced, then renamed over it: a
// kill at any moment leaves either the old file whole or the new one whole, never a truncated
// one (the provisional summary.json and the logs the run journal grew stay readable until the
// final ones replace them).
std::string staged_path(const std::string& dir, const RunFile& f) { return dir + "/" + f.name + ".tmp"; }

void publish(const std::string& dir, const RunFile& f, RunFilesResult& r) {
  const std::string staged = staged_path(dir, f);
  if (::rename(staged.c_str(), (dir + "/" + f.name).c_str()) != 0) {
    r.errors.push_back(describe(f, IoError{staged, "rename", errno}));
  }
}

// write(2) fallback for machines without io_uring: same contract, synchronous.
RunFilesResult write_plain(const std::string& dir, const std::vector<RunFile>& files) {
  RunFilesResult r;
  for (const RunFile& f : files) {
    const std::string path = staged_path(dir, f);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      r.errors.push_back(describe(f, IoError{path, "open", errno}));
      continue;
    }
    std::size_t done = 0;
    while (done < f.content.size()) {
      const ssize_t n = ::write(fd, f.content.data() + done, f.content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        r.errors.push_back(describe(f, IoError{path, "write", n < 0 ? errno : EIO}));
        break;
      }
      done += static_cast<std::size_t>(n);
      r.bytes += static_cast<std::uint64_t>(n);
    }
    bool ok = done == f.content.size();
    if (ok && ::fsync(fd) != 0) {
      r.errors.push_back(describe(f, IoError{path, "fsync", errno}));
      ok = false;
    }
    if (::close(fd) != 0) {
      r.errors.push_back(describe(f, IoError{path, "close", errno}));
      ok = false;
    }
    if (ok) publish(dir, f, r);
  }
  return r;
}

}  // namespace

RunFilesResult write_run_files(const std::string& dir, const std::vector<RunFile>& files) {
  if (files.empty()) return {};
  platform::UringWriterConfig config;
  config.queue_depth = 32;
  config.buffers = 32;
  config.buffer_bytes = 64 * 1024;
  config.max_files = files.size();
  auto created = UringFileWriter::create(config);
  if (auto* e = std::get_if<IoError>(&created)) {
    fmt::print(stderr, "tickpath: warning: io_uring unavailable ({}): report files written with write(2)\n",
               std::strerror(e->error));
    return write_plain(dir, files);
  }
  UringFileWriter& writer = *std::get<std::unique_ptr<UringFileWriter>>(created);

  RunFilesResult r;
  // Every file opened and queued first, so their writes overlap; then each is fsynced and closed.
  std::vector<std::variant<UringFileWriter::FileId, IoError>> opened;
  opened.reserve(files.size());
  for (const RunFile& f : files) {
    opened.push_back(writer.open(staged_path(dir, f)));
    if (auto* id = std::get_if<UringFileWriter::FileId>(&opened.back())) {
      (void)writer.append(*id, std::as_bytes(std::span(f.content.data(), f.content.size())));
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (auto* e = std::get_if<IoError>(&opened[i])) {
      r.errors.push_back(describe(files[i], *e));
    } else if (auto error = writer.close(std::get<UringFileWriter::FileId>(opened[i]))) {
      // append's error, if any, is the file's first error and close() returns it again.
      r.errors.push_back(describe(files[i], *error));
    } else {
      publish(dir, files[i], r);
    }
  }
  r.bytes = writer.bytes_written();
  return r;
}

}  // namespace tickpath::platform

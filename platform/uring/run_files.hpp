#pragma once
// The run folder's end-of-run files (summary.json, and the report formats), written from the
// calling thread — the main thread, pinned to the housekeeping cpu by the EAL — through the
// io_uring writer (platform/uring): every file queued at once, then fsynced and closed. Each is
// written as `<name>.tmp` and renamed over `<name>` once it is whole and on disk, so a kill at any
// moment never leaves a truncated file (docs/report-io.md, "Crash safety").
//
// Nothing here stops a run: a file that could not be written is reported in `errors` (each
// names the file and the errno text) and the command turns that into exit code 3 ("run
// completed, report incomplete": apps/tickpath/cli_error.hpp). Where io_uring itself is unavailable (io_uring_disabled, a
// container's seccomp profile), the files are written with write(2) instead and a warning says so.
#include <cstdint>
#include <string>
#include <vector>

namespace tickpath::platform {

struct RunFile {
  std::string name;     // relative to the run folder
  std::string content;
};

struct RunFilesResult {
  std::vector<std::string> errors;  // "summary.json: write: No space left on device"
  std::uint64_t bytes = 0;          // written and reported by the kernel
};

[[nodiscard]] RunFilesResult write_run_files(const std::string& dir, const std::vector<RunFile>& files);

}  // namespace tickpath::platform

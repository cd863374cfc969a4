#pragma once
// The one door through which a run's report files reach the disk. Every file of the run folder
// besides summary.json goes through write_run_files, so the implementation (std::ofstream here;
// io_uring on a housekeeping core in platform/uring) can change without touching the callers.
#include <cstdint>
#include <string>
#include <vector>

namespace tickpath::app {

struct RunFile {
  std::string name;  // relative to the run folder
  std::string content;
};

struct RunFilesResult {
  std::vector<std::string> errors;  // one per file that could not be written completely, naming it
  std::uint64_t bytes = 0;          // bytes written
};

// Writes every file (creating or truncating it); a failing file does not stop the others.
[[nodiscard]] RunFilesResult write_run_files(const std::string& dir, const std::vector<RunFile>& files);

}  // namespace tickpath::app

#pragma once
// The run folder kept readable while the run goes on: a SIGKILL, an OOM kill or a crash at any
// moment leaves a folder that `tickpath report` turns into a report up to the last complete
// interval. After every control-plane interval, on the housekeeping thread that runs the loop:
//
//   timeline.csv  += the interval's row        ─┐ io_uring appends, then sync():
//   latency.hlog  += the interval's lines      ─┘ written and fdatasynced before the next step
//   summary.json.tmp = the provisional summary ─► fsync ─► rename over summary.json
//
// The provisional summary's counts are the interval's own snapshot (the numbers its timeline row
// and hlog lines were computed from, so they add up exactly), and it says how many intervals it
// covers: a reader ignores rows past that count (an interval whose summary never got renamed in).
// At the end the final files replace all three, each by write-new-then-rename (run_files).
// A journal that fails (disk full) says so once on stderr and stops; the run goes on.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/plane/control_plane.hpp"
#include "platform/uring/file_writer.hpp"

namespace tickpath::platform {

class RunJournal {
 public:
  explicit RunJournal(std::string dir);
  ~RunJournal();
  RunJournal(const RunJournal&) = delete;
  RunJournal& operator=(const RunJournal&) = delete;

  // After control.tick(): the interval's row and lines, then `provisional` (a summary.json built
  // from the same snapshot, see control::provisional_summary(), control/plane/summary_document.hpp) in place of summary.json.
  void record(const control::ControlPlane& control, const nlohmann::json& provisional);
  // Before the final files are written: the logs are synced and closed.
  void close();
  // What went wrong, each naming the file ("timeline.csv: write: No space left on device").
  [[nodiscard]] const std::vector<std::string>& errors() const noexcept { return errors_; }

 private:
  void fail(const std::string& error);

  std::string dir_;
  std::unique_ptr<UringFileWriter> writer_;
  UringFileWriter::FileId timeline_ = 0;
  UringFileWriter::FileId hlog_ = 0;
  bool open_ = false;
  bool failed_ = false;
  std::vector<std::string> errors_;
};

}  // namespace tickpath::platform

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
// At the end, finish() appends the drained tail (or only the headers, for a run without an
// interval) and closes: timeline.csv and latency.hlog are then the run's final files (the control
// plane keeps only the last interval), and the final summary.json replaces the provisional one.
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
  // After control.finish(): the interval it recorded, if record() has not taken it (no
  // provisional summary: the final one follows), or the files' headers when the run had no
  // interval; then close().
  void finish(const control::ControlPlane& control);
  // The logs are synced and closed.
  void close();
  // What went wrong, each naming the file ("timeline.csv: write: No space left on device").
  [[nodiscard]] const std::vector<std::string>& errors() const noexcept { return errors_; }

 private:
  void fail(const std::string& error);
  // Opens the logs at the first call; appends the last interval's row and lines (or only the
  // headers when there is none yet) and syncs both. False once the journal has failed.
  bool append_logs(const control::ControlPlane& control);

  std::string dir_;
  std::unique_ptr<UringFileWriter> writer_;
  UringFileWriter::FileId timeline_ = 0;
  UringFileWriter::FileId hlog_ = 0;
  bool open_ = false;
  std::size_t written_ = 0;  // intervals appended
  bool failed_ = false;
  std::vector<std::string> errors_;
};

}  // namespace tickpath::platform

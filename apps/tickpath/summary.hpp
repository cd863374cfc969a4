#pragma once
// summary.json for this binary: the document is lib/control/plane/summary_document.hpp's, stamped
// with the version and commit this build carries; written through the io_uring writer.
#include <string>

#include <nlohmann/json.hpp>

#include "apps/tickpath/build_info.hpp"
#include "control/plane/summary_document.hpp"
#include "platform/uring/run_files.hpp"
#include "report/final_table.hpp"

namespace tickpath::app {

using control::RunFacts;
using report::format_final_table;  // the table printed at the end of a run

[[nodiscard]] inline nlohmann::json build_summary(const control::Observables& observed, const RunFacts& facts) {
  return control::build_summary(observed, facts, {build_version(), build_commit()});
}

// Writes `summary` to DIR/summary.json (platform/uring/run_files.hpp); returns the error
// ("summary.json: write: No space left on device") or empty.
[[nodiscard]] inline std::string write_summary(const std::string& dir, const nlohmann::json& summary) {
  const platform::RunFilesResult r = platform::write_run_files(dir, {platform::RunFile{"summary.json", summary.dump(2) + "\n"}});
  return r.errors.empty() ? std::string() : r.errors.front();
}

}  // namespace tickpath::app

#pragma once
// One small file written whole by a command that runs no appliance (gen's --report, topology's
// systemd drop-in and tuned profile): plain blocking writes, on whatever thread asks. A run's own
// files go through the io_uring writer instead (run_files.hpp).
#include <string>
#include <string_view>

namespace tickpath::platform {

// Creates or truncates `path` with `text`; with `create_parents`, its missing parent folders
// first. Empty when written; else what failed, naming the path ("<path>: could not write: <errno
// text>", "cannot create <folder>: <reason>").
[[nodiscard]] std::string write_text_file(const std::string& path, std::string_view text, bool create_parents);

}  // namespace tickpath::platform

#pragma once
// What this binary is: the project version and the commit it was built from.

namespace tickpath::app {

[[nodiscard]] const char* build_version() noexcept;  // meson's project version, e.g. 0.1.0
[[nodiscard]] const char* build_commit() noexcept;   // git describe --always --dirty, or "unknown"

}  // namespace tickpath::app

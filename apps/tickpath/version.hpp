#pragma once
// `tickpath --version`: TICKPATH_VERSION (meson project version, a -D flag) and the git commit,
// generated into version.cpp by vcs_tag ("unknown" outside a git checkout).
namespace tickpath::app {
extern const char* const kGitCommit;
}  // namespace tickpath::app

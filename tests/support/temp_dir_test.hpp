#pragma once
// A fixture that gives each test its own fresh folder under the system's temp dir (`dir_`),
// removed with everything in it after the test: tests that write run folders, logs or sockets
// never see each other's files, even when meson runs them in parallel.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tickpath::test_support {

// A file's whole text ("" when it cannot be read: the caller's assertions say what was expected).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tickpath-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

}  // namespace tickpath::test_support

// A command's one-off file (gen --report, topology --systemd/--tuned) is written whole, its
// folders created when asked, and a failure names the path and why.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "platform/uring/text_file.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

class TextFile : public test_support::TempDirTest {};
using test_support::read_file;

TEST_F(TextFile, WritesTheTextAndReplacesWhatWasThere) {
  const std::string path = (dir_ / "report.json").string();
  EXPECT_EQ(write_text_file(path, "a much longer first text\n", false), "");
  EXPECT_EQ(write_text_file(path, "{}\n", false), "");
  EXPECT_EQ(read_file(path), "{}\n");
}

TEST_F(TextFile, CreatesMissingParentFoldersOnlyWhenAsked) {
  const std::filesystem::path nested = dir_ / "etc" / "tuned" / "tuned.conf";
  const std::string refused = write_text_file(nested.string(), "x", false);
  EXPECT_NE(refused.find(nested.string()), std::string::npos) << refused;
  EXPECT_NE(refused.find("could not write"), std::string::npos) << refused;
  EXPECT_FALSE(std::filesystem::exists(nested.parent_path()));
  EXPECT_EQ(write_text_file(nested.string(), "[main]\n", true), "");
  EXPECT_EQ(read_file(nested), "[main]\n");
}

TEST_F(TextFile, AParentThatIsAFileIsNamedInTheError) {
  const std::filesystem::path blocker = dir_ / "blocker";
  ASSERT_EQ(write_text_file(blocker.string(), "", false), "");
  const std::string error = write_text_file((blocker / "x.conf").string(), "x", true);
  EXPECT_EQ(error.rfind("cannot create " + blocker.string(), 0), 0u) << error;
}

TEST_F(TextFile, AnUnwritableDeviceNamesThePathAndTheErrno) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const std::string error = write_text_file("/dev/full", std::string(1 << 16, 'x'), false);
  EXPECT_EQ(error, "/dev/full: could not write: No space left on device");
}

}  // namespace
}  // namespace tickpath::platform

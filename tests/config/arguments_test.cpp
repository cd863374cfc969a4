// An argument that is not UTF-8 is named the way the user typed its option: the option itself
// ("--set=\xff" or "--set" followed by the bad value), else its position as argv counts.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/arguments.hpp"

namespace tickpath::config {
namespace {

const std::string kBad = "caf\xC3";  // a UTF-8 sequence cut short

TEST(Arguments, ValidArgumentsNameNothing) {
  EXPECT_EQ(first_non_utf8_argument({"run", "--set", "report.dir=\"caf\xC3\xA9\""}), std::nullopt);
  EXPECT_EQ(first_non_utf8_argument({}), std::nullopt);
}

TEST(Arguments, ABadValueIsNamedByTheOptionBeforeIt) {
  EXPECT_EQ(first_non_utf8_argument({"run", "--report-dir", kBad}), "--report-dir");
}

TEST(Arguments, ABadOptionWithItsValueIsNamedWithoutTheValue) {
  EXPECT_EQ(first_non_utf8_argument({"run", "--report-dir=" + kBad}), "--report-dir");
}

TEST(Arguments, ABadPositionalArgumentIsNamedByItsPosition) {
  EXPECT_EQ(first_non_utf8_argument({"report", kBad}), "argument 2");
  EXPECT_EQ(first_non_utf8_argument({"--" + kBad + "=x"}), "argument 1");  // the option itself is not UTF-8
}

}  // namespace
}  // namespace tickpath::config

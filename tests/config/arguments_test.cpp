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

TEST(Arguments, EverythingAfterTheFirstBareDoubleDashGoesToTheEal) {
  const char* const argv[] = {"tickpath", "run", "--events", "5", "--", "--no-huge", "--", "-l"};
  const SplitArguments split = split_eal_arguments(8, argv);
  EXPECT_EQ(split.cli_argc, 4);
  EXPECT_EQ(split.eal_extra, (std::vector<std::string>{"--no-huge", "--", "-l"}));
}

TEST(Arguments, WithoutADoubleDashTheParserSeesEverything) {
  const char* const argv[] = {"tickpath", "run", "--set", "a=--"};
  const SplitArguments split = split_eal_arguments(4, argv);
  EXPECT_EQ(split.cli_argc, 4);
  EXPECT_TRUE(split.eal_extra.empty());
}

TEST(Arguments, AnUnknownFirstWordIsNamedWithTheSubcommandsThereAre) {
  const std::vector<std::string> known = {"run", "gen"};
  EXPECT_EQ(unknown_subcommand("rnu", known), "unknown subcommand 'rnu' (one of: run, gen; see --help)");
  EXPECT_EQ(unknown_subcommand("", known), "unknown subcommand '' (one of: run, gen; see --help)");
  EXPECT_EQ(unknown_subcommand("gen", known), std::nullopt);
  EXPECT_EQ(unknown_subcommand("--version", known), std::nullopt) << "options are the parser's";
}

}  // namespace
}  // namespace tickpath::config

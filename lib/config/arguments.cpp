#include "config/arguments.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/config.hpp"

namespace tickpath::config {

std::optional<std::string> first_non_utf8_argument(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (is_valid_utf8(arg)) continue;
    std::string option = fmt::format("argument {}", i + 1);
    if (arg.starts_with("-")) {
      option = arg.substr(0, arg.find('='));
    } else if (i > 0 && args[i - 1].starts_with("-")) {
      option = args[i - 1];
    }
    if (!is_valid_utf8(option)) option = fmt::format("argument {}", i + 1);
    return option;
  }
  return std::nullopt;
}

SplitArguments split_eal_arguments(int argc, const char* const* argv) {
  SplitArguments split{argc, {}};
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) != "--") continue;
    split.eal_extra.assign(argv + i + 1, argv + argc);
    split.cli_argc = i;
    break;
  }
  return split;
}

std::optional<std::string> unknown_subcommand(const std::string& word, const std::vector<std::string>& known) {
  if (word.starts_with("-") || std::find(known.begin(), known.end(), word) != known.end()) return std::nullopt;
  return fmt::format("unknown subcommand '{}' (one of: {}; see --help)", word, fmt::join(known, ", "));
}

}  // namespace tickpath::config

#include "config/arguments.hpp"

#include <fmt/format.h>

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

}  // namespace tickpath::config

#pragma once
// Every command-line argument ends up in a JSON file (summary.json, the config, the EAL
// arguments, paths), and JSON is UTF-8: one that is not is refused at start-up, naming its
// option, rather than at the end of a run when the summary cannot be written.
#include <optional>
#include <string>
#include <vector>

namespace tickpath::config {

// `args` without the program name. The first argument that is not valid UTF-8, named as the user
// would look for it: "--set" for "--set=\xff" or for the value after "--set", "argument N"
// (1-based, as argv counts) otherwise. nullopt when every argument is valid.
[[nodiscard]] std::optional<std::string> first_non_utf8_argument(const std::vector<std::string>& args);

// Everything after the first bare `--` goes to the EAL untouched: the command-line parser must
// not see it. `cli_argc` counts what comes before (program name included), as argc does.
struct SplitArguments {
  int cli_argc = 0;
  std::vector<std::string> eal_extra;
};
[[nodiscard]] SplitArguments split_eal_arguments(int argc, const char* const* argv);

// The first word (argv[1]) when it names no subcommand: "unknown subcommand 'x' (one of: a, b;
// see --help)", the parser itself saying only that a subcommand is required. nullopt for a known
// subcommand or an option ("--version").
[[nodiscard]] std::optional<std::string> unknown_subcommand(const std::string& word, const std::vector<std::string>& known);

}  // namespace tickpath::config

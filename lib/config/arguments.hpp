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

}  // namespace tickpath::config

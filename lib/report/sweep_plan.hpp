#pragma once
// `tickpath sweep`'s plan: --vary key=v1,v2,... parsed against the config schema, and the
// cartesian product of the varied values, one combination per child run set.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace tickpath::report {

struct VaryValue {
  std::string shown;  // as the user wrote it, without quotes: labels, folder names, the table
  std::string toml;   // as passed to the child: --set key=<toml>
};

struct Vary {
  std::string key;
  std::vector<VaryValue> values;
};

struct Combination {
  std::string name;                // "ingest.burst=8,ring.capacity=4096"
  std::vector<std::string> shown;  // one per varied key
  std::vector<std::string> sets;   // "key=<toml>"
};

// Every --vary, checked: a known key (`known`, dotted), no empty or repeated value, no key twice,
// none also given as --set. `defaults` is the default config as JSON: a key whose default is a
// string gets its values quoted as TOML strings. An error names the --vary it is about.
[[nodiscard]] std::variant<std::vector<Vary>, std::string> parse_varies(const std::vector<std::string>& vary,
                                                                      const std::vector<std::string>& overrides,
                                                                      const std::vector<std::string>& known,
                                                                      const nlohmann::json& defaults);

[[nodiscard]] std::vector<Combination> cartesian(const std::vector<Vary>& varies);

// A folder name from a combination name: no separators, no blanks, at most 200 characters.
[[nodiscard]] std::string folder_name(std::string name);

}  // namespace tickpath::report

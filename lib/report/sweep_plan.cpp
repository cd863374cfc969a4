#include "report/sweep_plan.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace tickpath::report {
namespace {

using nlohmann::json;

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

// "a,b" -> {a, b}; a comma inside double quotes belongs to the value: "\"x,y\",z" -> {"x,y", z}.
std::vector<std::string> split_values(std::string_view list) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (c == '\\' && quoted && i + 1 < list.size()) {
      current += c;
      current += list[++i];
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      out.push_back(trim(current));
      current.clear();
      continue;
    }
    current += c;
  }
  out.push_back(trim(current));
  return out;
}

// The key's type decides the quoting: a string key gets a TOML basic string (JSON's escaping is
// a subset of TOML's), so `--vary cores.idle=spin,pause` and `--vary port.vdev=net_null0` need no
// shell-level quotes; numbers, booleans and arrays pass through as written.
std::variant<Vary, std::string> parse_vary(const std::string& text, const std::vector<std::string>& known, const json& defaults) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos) return fmt::format("--vary {}: expected key=v1,v2,...", text);
  Vary v;
  v.key = trim(std::string_view(text).substr(0, eq));
  const auto dot = v.key.find('.');
  if (dot == std::string::npos || std::find(known.begin(), known.end(), v.key) == known.end()) {
    return fmt::format("--vary: unknown key '{}'", v.key);
  }
  const json& def = defaults[v.key.substr(0, dot)][v.key.substr(dot + 1)];
  for (const std::string& raw : split_values(std::string_view(text).substr(eq + 1))) {
    if (raw.empty()) return fmt::format("--vary {}: an empty value", text);
    VaryValue value;
    const bool is_quoted = raw.size() >= 2 && raw.front() == '"' && raw.back() == '"';
    if (def.is_string()) {
      value.shown = is_quoted ? json::parse(raw, nullptr, false).is_string() ? json::parse(raw).get<std::string>()
                                                                            : raw.substr(1, raw.size() - 2)
                              : raw;
      value.toml = json(value.shown).dump();
    } else {
      value.shown = raw;
      value.toml = raw;
    }
    for (const VaryValue& seen : v.values) {
      if (seen.toml == value.toml) return fmt::format("--vary {}: '{}' is listed twice", v.key, value.shown);
    }
    v.values.push_back(value);
  }
  return v;
}

}  // namespace

std::variant<std::vector<Vary>, std::string> parse_varies(const std::vector<std::string>& vary,
                                                        const std::vector<std::string>& overrides,
                                                        const std::vector<std::string>& known, const json& defaults) {
  std::vector<Vary> varies;
  for (const std::string& text : vary) {
    auto parsed = parse_vary(text, known, defaults);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    Vary v = std::get<Vary>(std::move(parsed));
    for (const Vary& seen : varies) {
      if (seen.key == v.key) return fmt::format("--vary {} is given twice: list all its values in one --vary", v.key);
    }
    for (const std::string& s : overrides) {
      if (trim(std::string_view(s).substr(0, s.find('='))) == v.key) return fmt::format("{} is both --set and --vary: keep one", v.key);
    }
    varies.push_back(std::move(v));
  }
  return varies;
}

std::vector<Combination> cartesian(const std::vector<Vary>& varies) {
  std::vector<Combination> out{Combination{}};
  for (const Vary& v : varies) {
    std::vector<Combination> next;
    for (const Combination& c : out) {
      for (const VaryValue& value : v.values) {
        Combination n = c;
        n.name += fmt::format("{}{}={}", n.name.empty() ? "" : ",", v.key, value.shown);
        n.shown.push_back(value.shown);
        n.sets.push_back(v.key + "=" + value.toml);
        next.push_back(std::move(n));
      }
    }
    out = std::move(next);
  }
  return out;
}

std::string folder_name(std::string name) {
  for (char& c : name) {
    if (c == '/' || c == ' ' || c == '\t' || c == '"' || c == '\'') c = '_';
  }
  return name.size() > 200 ? name.substr(0, 200) : name;
}

}  // namespace tickpath::report

#pragma once
// Every read of the audit goes through a HostFs rooted at `--root` ("/" on the real host, a
// fixture tree in tests), so each check can run against a recorded /proc and /sys. Paths are
// given as the host sees them ("/proc/cmdline"); the root is prepended here and nowhere else.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickpath::platform::audit {

class HostFs {
 public:
  explicit HostFs(std::string root);

  // True when the root is "/": the host is the one we run on, so live measurements apply.
  [[nodiscard]] bool is_live() const noexcept { return live_; }
  [[nodiscard]] const std::string& root() const noexcept { return root_; }

  // The whole file, nullopt when it cannot be read (missing, permission).
  [[nodiscard]] std::optional<std::string> read(std::string_view path) const;
  // The first line without trailing whitespace.
  [[nodiscard]] std::optional<std::string> read_line(std::string_view path) const;
  // The first line as an integer; nullopt when missing or not a number.
  [[nodiscard]] std::optional<long long> read_int(std::string_view path) const;
  [[nodiscard]] bool exists(std::string_view path) const;
  // Entry names of a directory, sorted; empty when it does not exist.
  [[nodiscard]] std::vector<std::string> list(std::string_view path) const;
  // The last component of a symlink's target (".../drivers/vfio-pci" -> "vfio-pci").
  [[nodiscard]] std::optional<std::string> link_name(std::string_view path) const;

 private:
  [[nodiscard]] std::string under_root(std::string_view path) const;
  std::string root_;
  bool live_;
};

// "3" -> 3; " 12\n" -> 12; "x" -> nullopt.
[[nodiscard]] std::optional<long long> parse_int(std::string_view text);

// A kernel cpumask as in /proc/irq/default_smp_affinity: hex, 32-bit groups separated by commas,
// most significant first ("ff,00000003" -> {0,1,32..39}). nullopt for garbage.
[[nodiscard]] std::optional<std::vector<int>> parse_cpu_mask(std::string_view text);

}  // namespace tickpath::platform::audit

#include "report/hlog.hpp"

#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "report/hdr_encoding.hpp"

namespace tickpath::report {

std::string render_hlog_header(double start_epoch_s) {
  const auto secs = static_cast<std::time_t>(start_epoch_s);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return fmt::format(
      "#[tickpath latency.hlog: one histogram per stage per interval, values in nanoseconds]\n"
      "#[Histogram log format version 1.3]\n"
      "#[StartTime: {:.3f} (seconds since epoch), {}]\n"
      "#[BaseTime: {:.3f} (seconds since epoch)]\n"
      "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n",
      start_epoch_s, stamp, start_epoch_s);
}

std::string render_hlog_line(const HlogEntry& e) {
  return fmt::format("Tag={},{:.3f},{:.3f},{:.3f},{}\n", e.tag, e.start_s, e.length_s,
                     static_cast<double>(e.histogram.max()) / 1e6, base64_encode(encode_compressed(e.histogram)));
}

std::variant<Hlog, std::string> scan_hlog(std::string_view text, const HlogVisitor& visit) {
  Hlog log;
  int number = 0;
  bool version = false;
  bool legend = false;
  // Line by line over the caller's text (no copy of it): a decoded histogram is ~270 KB at the
  // report's range and precision, so an entry goes to `visit` and is gone before the next.
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string line(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == '#') {
      int major = 0, minor = 0;
      if (std::sscanf(line.c_str(), "#[Histogram log format version %d.%d]", &major, &minor) == 2) {
        if (major != 1) return fmt::format("line {}: log format version {}.{} (only 1.x is read)", number, major, minor);
        version = true;
      }
      (void)std::sscanf(line.c_str(), "#[StartTime: %lf", &log.start_epoch_s);
      (void)std::sscanf(line.c_str(), "#[BaseTime: %lf", &log.base_epoch_s);
      continue;
    }
    if (line[0] == '"') {
      legend = true;
      continue;
    }
    HlogEntry e;
    std::string_view rest = line;
    if (rest.starts_with("Tag=")) {
      const auto comma = rest.find(',');
      if (comma == std::string_view::npos) return fmt::format("line {}: Tag= without a following comma", number);
      e.tag = std::string(rest.substr(4, comma - 4));
      rest.remove_prefix(comma + 1);
    }
    double max_ms = 0;
    int consumed = 0;
    const std::string fields(rest);
    if (std::sscanf(fields.c_str(), "%lf,%lf,%lf,%n", &e.start_s, &e.length_s, &max_ms, &consumed) != 3 || consumed == 0) {
      return fmt::format("line {}: expected `start,length,max,histogram`", number);
    }
    std::vector<std::uint8_t> bytes;
    if (!base64_decode(std::string_view(fields).substr(static_cast<std::size_t>(consumed)), bytes)) {
      return fmt::format("line {}: the histogram is not valid base64", number);
    }
    auto decoded = decode_compressed(bytes);
    if (auto* error = std::get_if<std::string>(&decoded)) return fmt::format("line {}: histogram: {}", number, *error);
    e.histogram = std::move(std::get<HdrHistogram>(decoded));
    visit(std::move(e));
  }
  if (!version) return std::string("no `#[Histogram log format version 1.x]` header line");
  if (!legend) return std::string("no \"StartTimestamp\",\"Interval_Length\",... legend line");
  return log;
}

std::variant<Hlog, std::string> parse_hlog(std::string_view text) {
  std::vector<HlogEntry> entries;
  auto log = scan_hlog(text, [&](HlogEntry&& e) { entries.push_back(std::move(e)); });
  if (auto* parsed = std::get_if<Hlog>(&log)) parsed->entries = std::move(entries);
  return log;
}

}  // namespace tickpath::report

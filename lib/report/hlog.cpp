#include "report/hlog.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <optional>
#include <sstream>

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

namespace {

// Reads the log line by line, handing each decoded entry to `on_entry` (which may refuse it with
// a message): one histogram is alive at a time, whatever the file's length.
std::optional<std::string> read_hlog(std::string_view text, Hlog& log,
                                     const std::function<std::optional<std::string>(HlogEntry&&, int)>& on_entry) {
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  bool version = false;
  bool legend = false;
  while (std::getline(in, line)) {
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
    if (auto error = on_entry(std::move(e), number)) return fmt::format("line {}: {}", number, *error);
  }
  if (!version) return std::string("no `#[Histogram log format version 1.x]` header line");
  if (!legend) return std::string("no \"StartTimestamp\",\"Interval_Length\",... legend line");
  return std::nullopt;
}

}  // namespace

std::variant<Hlog, std::string> parse_hlog(std::string_view text) {
  Hlog log;
  if (auto error = read_hlog(text, log, [&](HlogEntry&& e, int) -> std::optional<std::string> {
        log.entries.push_back(std::move(e));
        return std::nullopt;
      })) {
    return *error;
  }
  return log;
}

std::variant<std::vector<std::pair<std::string, HdrHistogram>>, std::string> parse_hlog_totals(std::string_view text,
                                                                                                 std::optional<std::uint64_t> max_intervals) {
  std::vector<std::pair<std::string, HdrHistogram>> totals;
  std::vector<std::uint64_t> folded;  // intervals folded per tag, parallel to `totals`
  Hlog header_only;
  const auto fold = [&](HlogEntry&& e, int) -> std::optional<std::string> {
    auto it = std::find_if(totals.begin(), totals.end(), [&](const auto& t) { return t.first == e.tag; });
    if (it == totals.end()) {
      if (totals.size() == kMaxHlogTags) return fmt::format("more than {} tags (stages) in one log", kMaxHlogTags);
      if (max_intervals && *max_intervals == 0) return std::nullopt;
      totals.emplace_back(std::move(e.tag), std::move(e.histogram));
      folded.push_back(1);
      return std::nullopt;
    }
    std::uint64_t& n = folded[static_cast<std::size_t>(it - totals.begin())];
    if (max_intervals && n >= *max_intervals) return std::nullopt;
    ++n;
    HdrHistogram& sum = it->second;
    const HdrHistogram& h = e.histogram;
    if (h.highest_trackable() != sum.highest_trackable() || h.significant_digits() != sum.significant_digits()) {
      return fmt::format("tag \"{}\": highest trackable {} with {} significant digits, but its earlier intervals have "
                         "{} with {} (one tag, one geometry)", it->first, h.highest_trackable(), h.significant_digits(),
                         sum.highest_trackable(), sum.significant_digits());
    }
    if (h.total_count() > kMaxTotalCount - sum.total_count()) {
      return fmt::format("tag \"{}\": the intervals' counts add up past {} (2^63 - 1)", it->first, kMaxTotalCount);
    }
    sum.add(h);
    return std::nullopt;
  };
  if (auto error = read_hlog(text, header_only, fold)) return *error;
  return totals;
}

}  // namespace tickpath::report

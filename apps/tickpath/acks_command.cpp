// `tickpath acks`: the ack log read back (lib/report/ack_log_summary.hpp), as a summary or CSV.
#include "apps/tickpath/acks_command.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "apps/tickpath/cli_error.hpp"
#include "report/ack_log_summary.hpp"

namespace tickpath::app {

int acks_command(const AcksOptions& options) {
  namespace acklog = report::acklog;
  const acklog::ReadMode mode = options.salvage ? acklog::ReadMode::salvage : acklog::ReadMode::strict;
  if (options.csv) {
    const acklog::ReadResult r = acklog::write_log_csv(
        options.file, mode, [](std::string_view chunk) { std::fwrite(chunk.data(), 1, chunk.size(), stdout); });
    return r.error ? fail(2, *r.error, "tickpath acks") : 0;
  }
  const acklog::LogSummary s = acklog::summarize_log(options.file, mode);
  if (s.read.error) return fail(2, *s.read.error, "tickpath acks");
  fmt::print("{}", acklog::format_log_summary(options.file, s, options.salvage));
  return 0;
}

}  // namespace tickpath::app

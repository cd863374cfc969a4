#pragma once
#include <string>

namespace tickpath::app {

struct AcksOptions {
  std::string file;  // an acks.bin
  bool csv = false;  // one row per record instead of the summary
  bool salvage = false;  // read an unfinished or damaged log: intact records only, the rest counted
};

// `tickpath acks FILE [--csv]`: reads an ack log back (report/ack_log_format.hpp).
// Exit codes: 0 read, 2 the file is missing, not an ack log, truncated, unfinished or damaged
// (the message names the file and what was wrong). With --salvage an unfinished, truncated or
// damaged log is read anyway (intact records only; damaged and partial ones counted): exit 2 only
// when it is not an ack log at all.
int acks_command(const AcksOptions& options);

}  // namespace tickpath::app

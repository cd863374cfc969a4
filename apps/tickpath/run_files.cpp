#include "apps/tickpath/run_files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

namespace tickpath::app {

RunFilesResult write_run_files(const std::string& dir, const std::vector<RunFile>& files) {
  RunFilesResult result;
  for (const RunFile& f : files) {
    const std::string path = dir + "/" + f.name;
    errno = 0;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
    out.close();
    if (!out) {
      result.errors.push_back(fmt::format("could not write {}: {}", path, errno != 0 ? std::strerror(errno) : "I/O error"));
      continue;
    }
    result.bytes += f.content.size();
  }
  return result;
}

}  // namespace tickpath::app

#include "platform/process/child_run.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include "runtime/shutdown.hpp"

namespace tickpath::platform {

// One handler for the whole process (runtime/shutdown.cpp), in forward mode here.
void ChildSignals::install() noexcept { runtime::ShutdownSignals::install(runtime::ShutdownSignals::Mode::forward); }
void ChildSignals::uninstall() noexcept { runtime::ShutdownSignals::uninstall(); }
int ChildSignals::received() noexcept { return runtime::ShutdownSignals::signal_number(); }

ChildRun run_child(const std::vector<std::string>& args, const std::function<void(std::string_view)>& on_line) {
  ChildRun result;
  // Everything exec needs is built before fork: between fork and exec only async-signal-safe
  // calls are allowed.
  std::vector<char*> argv;
  static char self[] = "/proc/self/exe";
  argv.push_back(self);
  std::vector<std::string> owned = args;
  for (std::string& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    result.output = fmt::format("pipe: {}", std::strerror(errno));
    return result;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    result.output = fmt::format("fork: {}", std::strerror(errno));
    close(fds[0]);
    close(fds[1]);
    return result;
  }
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  runtime::ShutdownSignals::forward_to(pid);
  close(fds[1]);

  std::string pending;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n', start)) {
      const std::string_view line(pending.data() + start, nl - start);
      if (line.starts_with("report: ")) result.report_dir = std::string(line.substr(8));
      if (on_line) on_line(line);
      start = nl + 1;
    }
    result.output.append(pending, 0, start);
    pending.erase(0, start);
  }
  if (!pending.empty()) {
    if (on_line) on_line(pending);
    result.output += pending;
  }
  close(fds[0]);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  runtime::ShutdownSignals::forward_to(0);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

}  // namespace tickpath::platform

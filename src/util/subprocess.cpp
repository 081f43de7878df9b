#include "util/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace spotfarm::util {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Signals the child gets back at their default action, whatever the parent did with them.
constexpr int k_reset_signals[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGPIPE, SIGCHLD,
                                   SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU};

// Owns a posix_spawn_file_actions_t and a posix_spawnattr_t for the length of one spawn.
struct SpawnSetup {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attr);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
};

std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides, bool inherit) {
    std::vector<std::string> env;
    for (char** e = inherit ? environ : nullptr; e && *e; ++e) {
        std::string_view entry(*e);
        std::string_view name = entry.substr(0, entry.find('='));
        bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                    [&](const auto& kv) { return kv.first == name; });
        if (!replaced) env.emplace_back(entry);
    }
    for (const auto& [name, value] : overrides) env.push_back(name + "=" + value);
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

ExitStatus status_from_wait(int st) {
    if (WIFSIGNALED(st)) return ExitStatus{-1, WTERMSIG(st)};
    return ExitStatus{WEXITSTATUS(st), 0};
}

UniqueFd open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd >= 0) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        return UniqueFd(fd);
    }
#endif
    (void)pid;
    return UniqueFd();
}

}  // namespace

std::string ExitStatus::describe() const {
    if (signal != 0) {
        return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
    }
    return "exit code " + std::to_string(code);
}

Result<Subprocess> Subprocess::spawn(const SpawnOptions& options) {
    if (options.argv.empty()) return make_error("no program to run");
    // Every fd the child receives is first duplicated above all target numbers, so one
    // dup2 cannot clobber the source of another, and no dup2 is a same-number no-op that
    // would leave close-on-exec set.
    int floor = 10;
    for (const auto& m : options.child_fds) {
        if (m.child_fd < 3) return make_error("extra child fds must be numbered 3 or above");
        floor = std::max(floor, m.child_fd + 1);
    }
    std::vector<UniqueFd> staged;
    auto stage = [&](int fd) -> int {
        int high = ::fcntl(fd, F_DUPFD_CLOEXEC, floor);
        if (high >= 0) staged.emplace_back(high);
        return high;
    };
    UniqueFd output_read;
    UniqueFd output_write;
    if (options.output_file.empty()) {
        auto output = make_pipe();
        if (!output) return output.error();
        if (auto st = set_nonblocking(output->read.get()); !st) return st.error();
        output_read = std::move(output->read);
        output_write = std::move(output->write);
    } else {
        output_write.reset(
            ::open(options.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
        if (!output_write) {
            return make_error("cannot open " + options.output_file.string() + ": " +
                              std::strerror(errno));
        }
    }

    SpawnSetup setup;
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    int out_high = stage(output_write.get());
    if (out_high < 0)
        return make_error(std::string("cannot set up a pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_adddup2(&setup.actions, out_high, 1);
    posix_spawn_file_actions_adddup2(&setup.actions, out_high, 2);
    for (const auto& m : options.child_fds) {
        int high = stage(m.parent_fd);
        if (high < 0)
            return make_error(std::string("cannot set up a pipe: ") + std::strerror(errno));
        posix_spawn_file_actions_adddup2(&setup.actions, high, m.child_fd);
    }
    if (!options.cwd.empty()) {
        posix_spawn_file_actions_addchdir_np(&setup.actions, options.cwd.c_str());
    }

    sigset_t empty, defaults;
    sigemptyset(&empty);
    sigemptyset(&defaults);
    for (int s : k_reset_signals) sigaddset(&defaults, s);
    posix_spawnattr_setflags(
        &setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&setup.attr, 0);
    posix_spawnattr_setsigmask(&setup.attr, &empty);
    posix_spawnattr_setsigdefault(&setup.attr, &defaults);

    std::vector<std::string> args = options.argv;
    std::vector<std::string> env = child_environment(options.env, options.inherit_env);
    std::vector<char*> argv = c_strings(args);
    std::vector<char*> envp = c_strings(env);

    pid_t pid = -1;
    int err = ::posix_spawnp(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data());
    if (err != 0) {
        std::string where = options.cwd.empty() ? "" : " in " + options.cwd.string();
        return make_error("cannot run '" + options.argv[0] + "'" + where + ": " +
                          std::strerror(err));
    }
    Subprocess child;
    child.m_pid = pid;
    child.m_output = std::move(output_read);
    child.m_pidfd = open_pidfd(pid);
    return child;
}

Subprocess::Subprocess(Subprocess&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)),
      m_output(std::move(other.m_output)),
      m_pidfd(std::move(other.m_pidfd)),
      m_lines(std::move(other.m_lines)),
      m_status(std::exchange(other.m_status, std::nullopt)) {}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
    if (this != &other) {
        kill_and_reap();
        m_pid = std::exchange(other.m_pid, -1);
        m_output = std::move(other.m_output);
        m_pidfd = std::move(other.m_pidfd);
        m_lines = std::move(other.m_lines);
        m_status = std::exchange(other.m_status, std::nullopt);
    }
    return *this;
}

Subprocess::~Subprocess() {
    kill_and_reap();
}

void Subprocess::kill_and_reap() {
    if (m_pid > 0 && !m_status) {
        ::kill(-m_pid, SIGKILL);
        reap(true);
    }
}

bool Subprocess::read_output(std::vector<std::string>& lines) {
    if (!m_output) return false;
    char buffer[16384];
    for (;;) {
        ssize_t n = ::read(m_output.get(), buffer, sizeof buffer);
        if (n > 0) {
            m_lines.feed(std::string_view(buffer, static_cast<size_t>(n)), lines);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        m_lines.flush(lines);  // end of output, or an error that ends it just the same
        m_output.reset();
        return false;
    }
}

std::optional<ExitStatus> Subprocess::reap(bool block) {
    if (m_status) return m_status;
    if (m_pid <= 0) return std::nullopt;
    int st = 0;
    for (;;) {
        struct rusage usage {};
        pid_t r = ::wait4(m_pid, &st, block ? 0 : WNOHANG, &usage);
        if (r == m_pid) {
            m_status = status_from_wait(st);
            m_status->peak_memory_kb = usage.ru_maxrss;
            m_pidfd.reset();
            return m_status;
        }
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {  // not our child any more (someone else reaped it): treat as gone
            m_status = ExitStatus{-1, SIGKILL};
            return m_status;
        }
        return std::nullopt;
    }
}

std::optional<ExitStatus> Subprocess::poll_exit() {
    if (m_status) return m_status;
    if (m_pid <= 0) return std::nullopt;
    // Look without reaping: while the leader is a zombie its pid cannot be reused, so killing
    // the leftovers of its group cannot hit a stranger.
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
        info.si_pid != m_pid) {
        return std::nullopt;
    }
    ::kill(-m_pid, SIGKILL);
    return reap(true);
}

void Subprocess::drain_output(const LineHandler& on_line) {
    std::vector<std::string> lines;
    read_output(lines);
    if (on_line) {
        for (const auto& line : lines) on_line(line);
    }
}

std::optional<ExitStatus> Subprocess::wait_for(milliseconds timeout, const LineHandler& on_line) {
    auto deadline = steady_clock::now() + timeout;
    for (;;) {
        drain_output(on_line);
        if (auto st = poll_exit()) {
            drain_output(on_line);
            return st;
        }
        auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
        if (left <= milliseconds(0)) return std::nullopt;
        // Without a pidfd the exit is only noticed by polling; 20 ms keeps that cheap.
        if (!m_pidfd) left = std::min(left, milliseconds(20));
        // Once the output has ended, a readable fd would spin: wait on the pidfd alone.
        int fds[2] = {m_output.get(), m_pidfd.get()};
        auto ready = wait_readable(fds, left);
        if (!ready) return std::nullopt;
    }
}

void Subprocess::signal_group(int sig) {
    if (m_pid > 0 && !m_status) ::kill(-m_pid, sig);
}

ExitStatus Subprocess::terminate(milliseconds grace, const LineHandler& on_line) {
    if (m_status) return *m_status;
    signal_group(SIGTERM);
    if (auto st = wait_for(grace, on_line)) return *st;
    signal_group(SIGKILL);
    if (auto st = wait_for(milliseconds(5000), on_line)) return *st;
    return *reap(true);
}

Result<CaptureResult> run_capture(const std::vector<std::string>& argv, milliseconds timeout,
                                  const std::vector<std::pair<std::string, std::string>>& env) {
    constexpr size_t k_max_output = 8 * 1024 * 1024;
    SpawnOptions options;
    options.argv = argv;
    options.env = env;
    auto child = Subprocess::spawn(options);
    if (!child) return child.error();
    CaptureResult result;
    auto append = [&](const std::string& line) {
        if (result.output.size() + line.size() < k_max_output) result.output += line + "\n";
    };
    auto status = child->wait_for(timeout, append);
    if (!status) {
        child->terminate(milliseconds(500));
        auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
        return make_error("'" + argv[0] + "' did not finish within " + std::to_string(seconds) +
                          " s and was stopped");
    }
    result.status = *status;
    return result;
}

}  // namespace spotfarm::util

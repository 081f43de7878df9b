#include "providers/local_provider.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <thread>

#include "core/instance_identity.h"

extern char** environ;

namespace spotfarm::providers {
namespace {

// Closes an fd at scope exit.
struct FdCloser {
    int fd = -1;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// This process's environment with `overrides` set over it.
std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
    std::set<std::string> replaced;
    for (const auto& [name, value] : overrides) replaced.insert(name);
    std::vector<std::string> env;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view text = *entry;
        if (!replaced.count(std::string(text.substr(0, text.find('='))))) env.emplace_back(text);
    }
    for (const auto& [name, value] : overrides) env.push_back(name + "=" + value);
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

std::string describe_exit(int status) {
    if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* name = ::strsignal(sig);
        return "killed by signal " + std::to_string(sig) +
               (name ? std::string(" (") + name + ")" : "");
    }
    return "ended";
}

}  // namespace

LocalProviderOptions local_worker_options(const std::filesystem::path& spotfarm_exe,
                                          const std::string& manager_url,
                                          const std::string& join_token,
                                          std::vector<std::string> extra_args) {
    LocalProviderOptions options;
    options.command = {spotfarm_exe.string(), "worker", "--manager", manager_url};
    options.command.insert(options.command.end(), extra_args.begin(), extra_args.end());
    options.env = {{"SPOTFARM_JOIN_TOKEN", join_token}};
    return options;
}

LocalProvider::LocalProvider(const util::Clock& clock, LocalProviderOptions options)
    : m_clock(clock), m_options(std::move(options)) {}

LocalProvider::~LocalProvider() {
    std::lock_guard lock(m_mutex);
    for (auto& child : m_children) {
        if (child.pid <= 0) continue;
        ::killpg(child.pid, SIGKILL);
        reap(child, true);
    }
}

util::Result<LocalProvider::Child> LocalProvider::spawn(const std::string& id,
                                                        const StartRequest& request) {
    if (m_options.command.empty()) return util::make_error("the local provider has no command");
    std::vector<std::string> args;
    for (const auto& arg : m_options.command) args.push_back(replace_all(arg, "{id}", id));
    auto overrides = m_options.env;
    overrides.emplace_back(std::string(core::k_instance_id_variable), id);
    std::vector<std::string> env = child_environment(overrides);

    std::string log = "/dev/null";
    if (!m_options.log_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(m_options.log_dir, ec);
        log = (m_options.log_dir / (id + ".log")).string();
    }
    FdCloser out{::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)};
    if (out.fd < 0)
        return util::make_error("cannot open the worker log " + log + ": " + std::strerror(errno));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, out.fd, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group, so a stop reaches the worker and everything it started in that
    // group; signals as a fresh process has them, whatever this process blocks or ignores.
    posix_spawnattr_setflags(
        &attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attributes, 0);
    sigset_t none, defaults;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    sigemptyset(&defaults);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD}) sigaddset(&defaults, sig);
    posix_spawnattr_setsigdefault(&attributes, &defaults);

    auto argv = pointers(args);
    auto envp = pointers(env);
    pid_t pid = -1;
    const int error =
        ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0)
        return util::make_error("cannot start the local worker '" + args[0] +
                                "': " + std::strerror(error));

    Child child;
    child.pid = pid;
    child.instance.id = id;
    child.instance.state = WorkerState::running;
    child.instance.kind = "local";
    child.instance.address = "127.0.0.1";
    child.instance.tags = request.tags;
    child.instance.tags["spotfarm:fleet"] = m_options.fleet_id;
    child.instance.started_at = m_clock.wall_now();
    return child;
}

util::Result<StartResult> LocalProvider::start_workers(const StartRequest& request) {
    if (request.count < 1) return util::make_error("start at least one worker");
    std::lock_guard lock(m_mutex);
    StartResult result;
    if (!request.request_id.empty()) {
        if (auto it = m_requests.find(request.request_id); it != m_requests.end()) {
            for (const auto& child : m_children)
                if (std::count(it->second.begin(), it->second.end(), child.instance.id))
                    result.started.push_back(child.instance);
            return result;
        }
    }
    std::vector<std::string> ids;
    for (int i = 0; i < request.count; ++i) {
        auto child = spawn("local-" + std::to_string(m_next_id), request);
        if (!child.ok()) {
            if (result.started.empty()) return child.error();
            result.notes.push_back("started " + std::to_string(result.started.size()) + " of " +
                                   std::to_string(request.count) + ": " + child.error().message);
            break;
        }
        ++m_next_id;
        ids.push_back(child->instance.id);
        result.started.push_back(child->instance);
        m_children.push_back(std::move(*child));
    }
    if (!request.request_id.empty()) m_requests[request.request_id] = ids;
    return result;
}

void LocalProvider::reap(Child& child, bool block) {
    int status = 0;
    pid_t done;
    do {
        done = ::waitpid(child.pid, &status, block ? 0 : WNOHANG);
    } while (done < 0 && errno == EINTR);
    if (done == 0) return;  // still running
    // done < 0: not our child any more (reaped elsewhere); it is gone all the same.
    child.instance.reason = done == child.pid ? describe_exit(status) : "gone";
    child.instance.state = WorkerState::stopped;
    child.pid = -1;
    child.kill_at.reset();
    child.ended_at = m_clock.wall_now();
}

void LocalProvider::poll_children() {
    const auto now = m_clock.now();
    for (auto& child : m_children) {
        if (child.pid <= 0) continue;
        siginfo_t info{};
        // WNOWAIT: the exited leader stays a zombie and keeps its group id reserved while what is
        // left of its group is killed, so the signal cannot reach a stranger.
        if (::waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == child.pid) {
            ::killpg(child.pid, SIGKILL);
            reap(child, true);
        } else if (child.kill_at && now >= *child.kill_at) {
            ::killpg(child.pid, SIGKILL);
        }
    }
}

util::Result<std::vector<WorkerInstance>> LocalProvider::list_workers() {
    std::lock_guard lock(m_mutex);
    poll_children();
    std::vector<WorkerInstance> workers;
    for (const auto& child : m_children) workers.push_back(child.instance);
    return workers;
}

util::Status LocalProvider::stop_workers(const std::vector<std::string>& ids) {
    std::lock_guard lock(m_mutex);
    std::vector<Child*> targets;
    for (const auto& id : ids) {
        auto it = std::find_if(m_children.begin(), m_children.end(),
                               [&](const Child& c) { return c.instance.id == id; });
        if (it == m_children.end())
            return util::make_error("worker " + id + " is not one of this machine's local workers");
        targets.push_back(&*it);
    }
    const auto kill_at = m_clock.now() + m_options.stop_grace;
    for (Child* child : targets) {
        if (child->pid <= 0 || child->kill_at) continue;
        ::killpg(child->pid, SIGTERM);
        child->kill_at = kill_at;
        child->instance.state = WorkerState::stopping;
    }
    return {};
}

util::Status LocalProvider::stop_all() {
    std::lock_guard lock(m_mutex);
    const auto kill_at = m_clock.now() + m_options.stop_grace;
    for (auto& child : m_children) {
        if (child.pid <= 0) continue;
        if (!child.kill_at) ::killpg(child.pid, SIGTERM);
        if (!child.kill_at || *child.kill_at > kill_at) child.kill_at = kill_at;
        child.instance.state = WorkerState::stopping;
    }
    // Counted in steps rather than read off the clock, so a clock that stands still cannot hold
    // this wait open for ever.
    constexpr auto k_step = std::chrono::milliseconds(20);
    for (auto waited = std::chrono::milliseconds(0); waited < m_options.stop_grace;
         waited += k_step) {
        poll_children();
        if (std::none_of(m_children.begin(), m_children.end(),
                         [](const Child& c) { return c.pid > 0; }))
            return {};
        std::this_thread::sleep_for(k_step);
    }
    for (auto& child : m_children) {
        if (child.pid <= 0) continue;
        ::killpg(child.pid, SIGKILL);
        reap(child, true);
    }
    return {};
}

util::Result<CostReport> LocalProvider::cost_so_far() {
    std::lock_guard lock(m_mutex);
    poll_children();
    CostReport report;
    const auto now = m_clock.wall_now();
    for (const auto& child : m_children) {
        const auto start = child.instance.started_at.value_or(now);
        const auto end = child.ended_at.value_or(now);
        report.instance_hours += std::chrono::duration<double>(end - start).count() / 3600;
    }
    return report;
}

std::optional<pid_t> LocalProvider::pid_of(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    for (const auto& child : m_children)
        if (child.instance.id == id && child.pid > 0) return child.pid;
    return std::nullopt;
}

}  // namespace spotfarm::providers

// bench_startup: what a `spotfarm` process costs before it does any work, the price every
// command, worker and manager pays. Three measurements, each a fresh process:
//   --version        `spotfarm --version` to its exit;
//   jobs             `spotfarm jobs` against a manager that is already running, to its exit;
//   manager start    `spotfarm manager` (on a state folder it made before) from the spawn to its
//                    first 200 on /api/v1/health, then stopped with SIGTERM.
// Each gets the median and the smallest wall time, the median CPU time (user + system) and the
// median peak RSS (wait4's ru_usage) over --runs repetitions; for the manager, CPU and RSS cover
// its whole short life, the shutdown included. The repetitions alternate between the measurements
// and between the binaries (in turn forwards and backwards), so a machine whose load drifts shifts
// them alike. Targets: each under 50 ms wall and 30 MiB RSS.
//
// Usage: bench_startup [--runs 15] [--spotfarm [LABEL=]PATH]...
//        (default: the build's spotfarm; give several to compare, e.g. before=/tmp/old/spotfarm)

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "bench_stats.h"
#include "util/result.h"
#include "util/subprocess.h"
#include "util/temp_dir.h"
#include "util/text_file.h"

extern char** environ;

using spotfarm::bench::load_average;
using spotfarm::bench::median;

namespace {

namespace fs = std::filesystem;
using namespace spotfarm;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto k_manager_timeout = 30s;

struct Sample {
    double wall_ms = 0;
    double cpu_ms = 0;  // user + system, which a busy machine inflates far less than wall time
    double rss_mib = 0;
};

// How a child ended: its exit code (128 + signal when a signal ended it) and what it used.
struct Ended {
    int code = 0;
    double cpu_ms = 0;
    double rss_mib = 0;
};

double to_ms(const timeval& t) {
    return t.tv_sec * 1000.0 + t.tv_usec / 1000.0;
}

// One started child, its output in a log file; killed and reaped if still running when dropped.
class Child {
public:
    static util::Result<Child> spawn(const std::vector<std::string>& argv, const fs::path& log) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        Child child;
        child.m_started = Clock::now();
        int rc = ::posix_spawn(&child.m_pid, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) {
            child.m_pid = -1;
            return util::make_error("cannot start " + argv[0] + ": " + std::strerror(rc));
        }
        return child;
    }

    Child(Child&& other) noexcept
        : m_pid(std::exchange(other.m_pid, -1)), m_started(other.m_started) {}
    Child& operator=(Child&&) = delete;
    ~Child() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }

    Clock::time_point started() const { return m_started; }

    // Reaps the child (waiting when `block`); nothing while it runs.
    std::optional<Ended> reap(bool block) {
        if (m_pid <= 0) return std::nullopt;
        int status = 0;
        rusage usage{};
        pid_t r = ::wait4(m_pid, &status, block ? 0 : WNOHANG, &usage);
        if (r != m_pid) return std::nullopt;
        m_pid = -1;
        return Ended{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                     to_ms(usage.ru_utime) + to_ms(usage.ru_stime), usage.ru_maxrss / 1024.0};
    }

    void signal(int sig) const {
        if (m_pid > 0) ::kill(m_pid, sig);
    }

private:
    Child() = default;
    pid_t m_pid = -1;
    Clock::time_point m_started;
};

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string log_tail(const fs::path& log) {
    auto text = util::read_text_file(log);
    if (!text) return "(no output)";
    return text->size() > 2000 ? text->substr(text->size() - 2000) : *text;
}

// Runs `argv` to its end; fails unless it exits 0.
util::Result<Sample> run_to_exit(const std::vector<std::string>& argv, const fs::path& log) {
    auto child = Child::spawn(argv, log);
    if (!child) return child.error();
    auto ended = child->reap(true);
    const double wall_ms = ms_since(child->started());
    if (!ended || ended->code != 0) {
        return util::make_error(fmt::format("{} exited with {}:\n{}", fmt::join(argv, " "),
                                            ended ? ended->code : -1, log_tail(log)));
    }
    return Sample{wall_ms, ended->cpu_ms, ended->rss_mib};
}

// The status code of GET `path` on 127.0.0.1:`port`, or nothing when nobody answers yet.
std::optional<int> http_get_status(int port, const std::string& path) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::nullopt;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::optional<int> status;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        std::string request =
            "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size())) {
            char buffer[64] = {};
            ssize_t n = ::recv(fd, buffer, sizeof buffer - 1, 0);
            int code = 0;
            if (n > 0 && std::sscanf(buffer, "HTTP/1.%*d %d", &code) == 1) status = code;
        }
    }
    ::close(fd);
    return status;
}

std::optional<int> read_port(const fs::path& file) {
    auto text = util::read_text_file(file, 64);
    if (!text || text->empty()) return std::nullopt;
    int port = std::atoi(text->c_str());
    return port > 0 ? std::optional(port) : std::nullopt;
}

std::vector<std::string> manager_argv(const fs::path& exe, const fs::path& state) {
    return {exe.string(), "manager",     "--state-dir", state.string(),
            "--listen",   "127.0.0.1:0", "--port-file", (state / "bench.port").string()};
}

// Starts a manager on `state`, waits for its first answer and, when `keep` is empty, stops it.
// The sample is the time from the spawn to that answer and the peak RSS of its whole life.
util::Result<Sample> start_manager(const fs::path& exe, const fs::path& state,
                                   std::optional<Child>* keep = nullptr, int* port_out = nullptr) {
    const fs::path port_file = state / "bench.port";
    std::error_code ec;
    fs::create_directories(state, ec);
    fs::remove(port_file, ec);
    const fs::path log = state / "bench-manager.log";
    auto child = Child::spawn(manager_argv(exe, state), log);
    if (!child) return child.error();
    std::optional<int> port;
    double wall_ms = 0;
    while (true) {
        if (auto ended = child->reap(false)) {
            return util::make_error(fmt::format("the manager stopped at start (exit {}):\n{}",
                                                ended->code, log_tail(log)));
        }
        if (!port) port = read_port(port_file);
        if (port && http_get_status(*port, "/api/v1/health") == 200) {
            wall_ms = ms_since(child->started());
            break;
        }
        if (Clock::now() - child->started() > k_manager_timeout) {
            return util::make_error("the manager did not answer within 30 s:\n" + log_tail(log));
        }
        std::this_thread::sleep_for(1ms);
    }
    if (keep) {
        if (port_out) *port_out = *port;
        keep->emplace(std::move(child).value());
        return Sample{wall_ms};
    }
    child->signal(SIGTERM);
    auto ended = child->reap(true);
    if (!ended) return util::make_error("the manager could not be reaped");
    return Sample{wall_ms, ended->cpu_ms, ended->rss_mib};
}

// The shared libraries the dynamic loader maps for `exe` (what ldd counts).
int libraries_loaded(const fs::path& exe) {
    auto run = util::run_capture({exe.string()}, 10s, {{"LD_TRACE_LOADED_OBJECTS", "1"}});
    if (!run) return -1;
    int lines = 0;
    for (char c : run->output) lines += c == '\n';
    return lines;
}

struct Measure {
    std::string name;
    std::vector<Sample> samples;
};

// One binary under test, with the manager its `jobs` runs talk to.
struct Binary {
    std::string label;
    fs::path exe;
    fs::path dir;  // its scratch folder
    std::optional<Child> manager;
    int port = 0;
    int libraries = 0;
    Measure version{"--version"};
    Measure jobs{"jobs (manager running)"};
    Measure manager_start{"manager start to first answer"};
};

util::Status prepare(Binary& b) {
    b.libraries = libraries_loaded(b.exe);
    // The manager for `jobs`, and a first start of the measured one, which makes its state.
    if (auto s = start_manager(b.exe, b.dir / "serving", &b.manager, &b.port); !s) return s.error();
    if (auto s = start_manager(b.exe, b.dir / "starting"); !s) return s.error();
    return {};
}

util::Status run_round(Binary& b) {
    const fs::path log = b.dir / "bench-run.log";
    auto version = run_to_exit({b.exe.string(), "--version"}, log);
    if (!version) return version.error();
    b.version.samples.push_back(*version);
    auto jobs = run_to_exit(
        {b.exe.string(), "jobs", "--manager", fmt::format("http://127.0.0.1:{}", b.port),
         "--token-file", (b.dir / "serving" / "people.token").string()},
        log);
    if (!jobs) return jobs.error();
    b.jobs.samples.push_back(*jobs);
    auto manager = start_manager(b.exe, b.dir / "starting");
    if (!manager) return manager.error();
    b.manager_start.samples.push_back(*manager);
    return {};
}

std::string utc_now() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
    return text;
}

void print_row(const Binary& b, const Measure& m) {
    std::vector<double> wall, cpu, rss;
    for (const auto& s : m.samples) {
        wall.push_back(s.wall_ms);
        cpu.push_back(s.cpu_ms);
        rss.push_back(s.rss_mib);
    }
    double min_wall = wall.empty() ? 0 : *std::min_element(wall.begin(), wall.end());
    std::printf("| %-10s | %-29s | %8.1f ms | %8.1f ms | %8.1f ms | %7.1f MiB |\n", b.label.c_str(),
                m.name.c_str(), median(wall), min_wall, median(cpu), median(rss));
}

constexpr const char* k_usage = "usage: bench_startup [--runs 15] [--spotfarm [LABEL=]PATH]...\n";

int usage(const std::string& why) {
    std::cerr << "bench_startup: " << why << "\n" << k_usage;
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 15;
    std::vector<std::pair<std::string, fs::path>> binaries;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << k_usage;
            return 0;
        }
        if (i + 1 >= argc) return usage("missing value after " + a);
        std::string v = argv[++i];
        if (a == "--runs") {
            runs = std::atoi(v.c_str());
            if (runs < 1) return usage("--runs must be at least 1");
        } else if (a == "--spotfarm") {
            auto eq = v.find('=');
            std::string label = eq == std::string::npos ? "" : v.substr(0, eq);
            fs::path path = eq == std::string::npos ? v : v.substr(eq + 1);
            binaries.emplace_back(label.empty() ? path.string() : label, path);
        } else {
            return usage("unknown option " + a);
        }
    }
    if (binaries.empty()) binaries.emplace_back("this build", SPOTFARM_EXE);

    auto scratch = util::TempDir::create("spotfarm-bench-startup-");
    if (!scratch) return usage(scratch.error().message);
    std::vector<Binary> under_test(binaries.size());
    for (std::size_t i = 0; i < binaries.size(); ++i) {
        Binary& b = under_test[i];
        b.label = binaries[i].first;
        std::error_code ec;
        b.exe = fs::canonical(binaries[i].second, ec);
        if (ec) return usage("no spotfarm at " + binaries[i].second.string());
        b.dir = scratch->path() / std::to_string(i);
        if (auto st = prepare(b); !st) {
            std::cerr << "bench_startup: " << b.label << ": " << st.error().message << "\n";
            return 1;
        }
    }

    const std::string load_before = load_average();
    for (int r = 0; r < runs; ++r) {
        for (std::size_t k = 0; k < under_test.size(); ++k) {
            Binary& b = under_test[r % 2 ? under_test.size() - 1 - k : k];
            if (auto st = run_round(b); !st) {
                std::cerr << "bench_startup: " << b.label << ": " << st.error().message << "\n";
                return 1;
            }
        }
    }
    const std::string load_after = load_average();
    for (Binary& b : under_test) {
        if (b.manager) {
            b.manager->signal(SIGTERM);
            b.manager->reap(true);
        }
    }

    std::printf(
        "Start-up of spotfarm processes, %s, %u cores, load %s before and %s after "
        "(1, 5, 15 min)\n",
        utc_now().c_str(), std::thread::hardware_concurrency(), load_before.c_str(),
        load_after.c_str());
    std::printf("%d runs each, alternating; target: each under 50 ms wall and 30 MiB RSS\n\n",
                runs);
    std::printf(
        "| binary     | command                       | wall (med)  | wall (min)  "
        "| CPU (med)   | RSS (med)   |\n");
    std::printf(
        "|------------|-------------------------------|-------------|-------------"
        "|-------------|-------------|\n");
    for (const Binary& b : under_test) {
        print_row(b, b.version);
        print_row(b, b.jobs);
        print_row(b, b.manager_start);
    }
    std::printf("\n");
    for (const Binary& b : under_test) {
        std::printf("%s: %s, %d shared libraries loaded at start\n", b.label.c_str(), b.exe.c_str(),
                    b.libraries);
    }
    return 0;
}

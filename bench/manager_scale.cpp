// Manager scale, no Blender: a real `spotfarm manager` process on loopback, and this one
// asynchronous process playing 1,000 and 10,000 workers (one keep-alive connection each) that
// long-poll for work and complete each one-frame task at once. Prints submit time, completed
// tasks per second, claim latency p50/p99 and the manager's peak memory.
//
//   bench_manager_scale [--tasks 1000000] [--workers 1000,10000] [--seconds 60] [--render-ms 0]
//                       [--render-spread 0.5]
//
// With --render-ms, each render takes that long times a factor drawn evenly from
// [1 - spread, 1 + spread], as real frames differ: workers that all took the same time would
// come back in one wave of 10,000 claims at once, which no farm sees.
//
// Each worker count runs against a fresh manager (its own state folder) until every task is done
// or --seconds have passed since the submit.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "util/http_client.h"
#include "util/subprocess.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
    long tasks = 1'000'000;
    std::vector<int> workers = {1000, 10000};
    double seconds = 60;
    // How long each simulated render takes. 0 (the benchmark's case) saturates the manager: then
    // a claim waits behind every other worker's request (Little's law: workers / throughput).
    int render_ms = 0;
    double render_spread = 0.5;
};

struct RunResult {
    int workers = 0;
    double register_s = 0;
    double submit_s = 0;
    long completed = 0;
    double run_s = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double cpu_per_task_us = 0;  // the manager's CPU time per completed task
    long peak_rss_kb = 0;
    long errors = 0;
};

// Shared by the simulated workers of one run; touched only on the generator's io thread.
struct Load {
    std::string host = "127.0.0.1";
    std::string port;
    std::string join_token;
    long tasks = 0;
    int render_ms = 0;
    double render_spread = 0;
    long completed = 0;
    std::atomic<long> errors{0};
    std::atomic<int> registered{0};
    bool submitted = false;
    std::atomic<bool> stop{false};
    Clock::time_point deadline;
    Clock::time_point last_complete;
    std::vector<double> claim_ms;  // claims sent after the submit that got a task
};

asio::awaitable<http::response<http::string_body>> exchange(tcp::socket& socket,
                                                            beast::flat_buffer& buffer,
                                                            http::request<http::string_body>& req) {
    req.prepare_payload();
    co_await http::async_write(socket, req, asio::use_awaitable);
    http::response<http::string_body> res;
    co_await http::async_read(socket, buffer, res, asio::use_awaitable);
    co_return res;
}

http::request<http::string_body> make_request(const Load& load, http::verb verb,
                                              const std::string& target, const std::string& token,
                                              std::string body) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, load.host + ":" + load.port);
    req.set(http::field::authorization, "Bearer " + token);
    req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = std::move(body);
    return req;
}

// One worker: register, then claim (long-poll) and complete until told to stop.
asio::awaitable<void> simulate_worker(Load& load, int index, tcp::endpoint endpoint) {
    tcp::socket socket(co_await asio::this_coro::executor);
    beast::flat_buffer buffer;
    std::minstd_rand random(static_cast<unsigned>(index) + 1);
    try {
        co_await socket.async_connect(endpoint, asio::use_awaitable);
        socket.set_option(tcp::no_delay(true));
        json hello = {{"name", "sim-" + std::to_string(index)},
                      {"host", "bench"},
                      {"cores", 1},
                      {"memory_mb", 1024},
                      {"blender_version", "4.2.0"}};
        auto reg =
            make_request(load, http::verb::post, "/api/v1/workers", load.join_token, hello.dump());
        auto registered = co_await exchange(socket, buffer, reg);
        if (registered.result_int() != 201) throw std::runtime_error(registered.body());
        json credentials = json::parse(registered.body());
        const std::int64_t id = credentials["id"];
        const std::string secret = credentials["secret"];
        ++load.registered;

        const std::string claim_target = "/api/v1/workers/" + std::to_string(id) + "/claim?wait=20";
        while (!load.stop) {
            auto claim = make_request(load, http::verb::post, claim_target, secret, "{}");
            const auto sent = Clock::now();
            const bool after_submit = load.submitted;
            auto answer = co_await exchange(socket, buffer, claim);
            if (answer.result_int() == 204) continue;
            if (answer.result_int() != 200) {
                ++load.errors;
                continue;
            }
            if (after_submit) {
                load.claim_ms.push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
            }
            json assignment = json::parse(answer.body());
            if (load.render_ms > 0) {
                asio::steady_timer render(socket.get_executor());
                const double factor = std::uniform_real_distribution<double>(
                    1 - load.render_spread, 1 + load.render_spread)(random);
                render.expires_after(std::chrono::milliseconds(
                    static_cast<long>(load.render_ms * std::max(0.0, factor))));
                co_await render.async_wait(asio::use_awaitable);
            }
            const std::int64_t task = assignment["task_id"];
            const std::string frame = assignment["frames"];
            json report = {{"worker_id", id},
                           {"attempt_id", assignment["attempt_id"]},
                           {"frames", json::array({{{"frame", std::stoi(frame)},
                                                    {"output", "/tmp/bench/" + frame + ".png"},
                                                    {"render_seconds", 0.0},
                                                    {"peak_memory_mb", 0},
                                                    {"warnings", json::array()}}})}};
            auto complete = make_request(load, http::verb::post,
                                         "/api/v1/tasks/" + std::to_string(task) + "/complete",
                                         secret, report.dump());
            auto done = co_await exchange(socket, buffer, complete);
            if (done.result_int() != 200) {
                ++load.errors;
                continue;
            }
            ++load.completed;
            load.last_complete = Clock::now();
            if (load.completed >= load.tasks || Clock::now() >= load.deadline) load.stop = true;
        }
    } catch (const std::exception& e) {
        if (!load.stop) {
            ++load.errors;
            if (load.errors < 5) std::cerr << "worker " << index << ": " << e.what() << "\n";
        }
    }
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
}

// The manager as a child process with a fresh state folder; its output is read (and dropped
// unless it says something went wrong) so it never blocks on a full pipe.
class ManagerProcess {
public:
    explicit ManagerProcess(const std::filesystem::path& dir) : m_dir(dir) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        auto spawned = spotfarm::util::Subprocess::spawn(
            {.argv = {SPOTFARM_EXE, "manager", "--state-dir", (dir / "state").string(), "--listen",
                      "127.0.0.1:0", "--port-file", (dir / "port").string(), "--max-body",
                      "1048576"}});
        if (!spawned) throw std::runtime_error(spawned.error().message);
        m_process = std::make_unique<spotfarm::util::Subprocess>(std::move(spawned).value());
        m_reader = std::thread([this] { read_output(); });
    }
    ~ManagerProcess() {
        m_process->terminate(std::chrono::seconds(10));
        m_done = true;
        m_reader.join();
    }

    std::string port() {
        for (int i = 0; i < 600; ++i) {
            std::ifstream in(m_dir / "port");
            std::string port;
            if (std::getline(in, port) && !port.empty()) return port;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("the manager did not start within 30 s");
    }
    std::string join_token() {
        std::ifstream in(m_dir / "state" / "worker-join.token");
        std::string token;
        std::getline(in, token);
        return token;
    }
    std::string people_token() {
        std::ifstream in(m_dir / "state" / "people.token");
        std::string token;
        std::getline(in, token);
        return token;
    }
    // CPU time the manager has used (user + system), in seconds.
    double cpu_seconds() const {
        std::ifstream in("/proc/" + std::to_string(m_process->pid()) + "/stat");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::string field;
        double ticks = 0;
        for (int i = 3; i <= 15 && fields >> field; ++i) {
            if (i == 14 || i == 15) ticks += std::stod(field);
        }
        return ticks / double(::sysconf(_SC_CLK_TCK));
    }
    // VmHWM: the most resident memory the manager has had.
    long peak_rss_kb() const {
        std::ifstream in("/proc/" + std::to_string(m_process->pid()) + "/status");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
        }
        return 0;
    }

private:
    void read_output() {
        std::vector<std::string> lines;
        while (!m_done) {
            pollfd p{m_process->output_fd(), POLLIN, 0};
            if (p.fd < 0) return;
            ::poll(&p, 1, 200);
            lines.clear();
            bool open = m_process->read_output(lines);
            for (const auto& line : lines) {
                if (line.find("error") != std::string::npos ||
                    line.find("warn") != std::string::npos) {
                    std::cerr << "manager: " << line << "\n";
                }
            }
            if (!open) return;
        }
    }

    std::filesystem::path m_dir;
    std::unique_ptr<spotfarm::util::Subprocess> m_process;
    std::thread m_reader;
    std::atomic<bool> m_done{false};
};

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double percentile(std::vector<double>& values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    std::size_t index = std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()));
    return values[index];
}

RunResult run(const Options& options, int workers) {
    RunResult result;
    result.workers = workers;
    ManagerProcess manager(std::filesystem::temp_directory_path() /
                           ("spotfarm-bench-scale-" + std::to_string(::getpid())));
    Load load;
    load.port = manager.port();
    load.join_token = manager.join_token();
    load.tasks = options.tasks;
    load.render_ms = options.render_ms;
    load.render_spread = options.render_spread;
    load.deadline = Clock::time_point::max();

    asio::io_context io(1);
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"),
                           static_cast<unsigned short>(std::stoi(load.port)));
    const auto start = Clock::now();
    for (int i = 0; i < workers; ++i) {
        asio::co_spawn(io, simulate_worker(load, i, endpoint), asio::detached);
    }
    std::thread generator([&] { io.run(); });

    // Wait for every worker to register (they then wait in their first claim).
    while (load.registered + load.errors < workers && seconds_since(start) < 300) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    result.register_s = seconds_since(start);

    spotfarm::util::CurlHttpClient client;
    spotfarm::util::HttpRequest submit;
    submit.method = "POST";
    submit.url = "http://127.0.0.1:" + load.port + "/api/v1/jobs";
    submit.headers = {{"Authorization", "Bearer " + manager.people_token()},
                      {"Content-Type", "application/json"}};
    submit.body = json{
        {"scene", "/scenes/bench.blend"},
        {"output", "/tmp/bench/frame_####"},
        {"frames", "1-" + std::to_string(options.tasks)},
        {"chunk", 1}}.dump();
    submit.timeout = std::chrono::seconds(300);
    asio::post(io, [&] { load.submitted = true; });
    const auto submit_start = Clock::now();
    const double cpu_before = manager.cpu_seconds();
    auto answer = client.send(submit);
    result.submit_s = seconds_since(submit_start);
    if (!answer || answer->status != 201) {
        std::cerr << "submit failed: " << (answer ? answer->body : answer.error().message) << "\n";
    }
    const auto submit_end = Clock::now();
    asio::post(io, [&, submit_end] {
        load.deadline = submit_end + std::chrono::milliseconds(long(options.seconds * 1000));
    });

    // Until every task is done or the time is up; idle workers are then cut off.
    while (!load.stop && seconds_since(submit_end) < options.seconds + 5) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    result.peak_rss_kb = manager.peak_rss_kb();
    const double cpu_run = manager.cpu_seconds() - cpu_before;
    asio::post(io, [&] { io.stop(); });
    generator.join();

    result.completed = load.completed;
    result.errors = load.errors;
    result.run_s = std::chrono::duration<double>(load.last_complete - submit_end).count();
    result.p50_ms = percentile(load.claim_ms, 0.50);
    result.p99_ms = percentile(load.claim_ms, 0.99);
    if (result.completed > 0) result.cpu_per_task_us = cpu_run * 1e6 / double(result.completed);
    return result;
}

Options parse(int argc, char** argv) {
    Options options;
    if (argc % 2 == 0) {
        throw std::runtime_error(
            "usage: bench_manager_scale [--tasks N] [--workers A,B] [--seconds S] "
            "[--render-ms MS] [--render-spread F]");
    }
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        std::string value = argv[i + 1];
        if (key == "--tasks") {
            options.tasks = std::stol(value);
        } else if (key == "--render-ms") {
            options.render_ms = std::stoi(value);
        } else if (key == "--render-spread") {
            options.render_spread = std::stod(value);
        } else if (key == "--seconds") {
            options.seconds = std::stod(value);
        } else if (key == "--workers") {
            options.workers.clear();
            std::stringstream list(value);
            for (std::string item; std::getline(list, item, ',');) {
                options.workers.push_back(std::stoi(item));
            }
        } else {
            throw std::runtime_error("unknown option " + key +
                                     " (use --tasks N --workers A,B --seconds S --render-ms MS)");
        }
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) try {
    Options options = parse(argc, argv);
    // Every simulated worker holds a socket here and one in the manager (which inherits this).
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);

    std::vector<RunResult> results;
    for (int workers : options.workers) {
        std::cerr << "running " << workers << " workers against " << options.tasks
                  << " one-frame tasks...\n";
        results.push_back(run(options, workers));
    }
    std::printf("\nManager scale: %ld one-frame tasks, each render %d ms +/- %.0f%% (loopback)\n",
                options.tasks, options.render_ms, options.render_spread * 100);
    std::printf(
        "| workers | register s | submit s | completed | tasks/s | claim p50 ms | "
        "claim p99 ms | manager CPU us/task | manager peak RSS MiB | errors |\n");
    std::printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (const RunResult& r : results) {
        std::printf("| %d | %.1f | %.2f | %ld | %.0f | %.1f | %.1f | %.0f | %.0f | %ld |\n",
                    r.workers, r.register_s, r.submit_s, r.completed,
                    r.run_s > 0 ? r.completed / r.run_s : 0.0, r.p50_ms, r.p99_ms,
                    r.cpu_per_task_us, r.peak_rss_kb / 1024.0, r.errors);
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_manager_scale: " << e.what() << "\n";
    return 1;
}

// Scheduler scale, in one process and without HTTP: submit a job of one-frame tasks, then claim
// and complete every task through the Farm (store included) with many simulated workers.
// Usage: bench_scheduler [--tasks N] [--workers W] [--dir PATH] [--submit-only 1]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "manager/farm.h"
#include "util/clock.h"

namespace {

using namespace spotfarm;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// User + system CPU seconds of this process so far.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double percentile(std::vector<double>& values, double p) {
    if (values.empty()) return 0;
    auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                     values.end());
    return values[index];
}

int fail(const std::string& what, const util::Error& error) {
    std::fprintf(stderr, "bench_scheduler: %s: %s\n", what.c_str(), error.message.c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    long tasks = 1'000'000;
    long worker_count = 10'000;
    bool submit_only = false;
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("spotfarm-bench-" + std::to_string(getpid()));
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--tasks") tasks = std::atol(argv[i + 1]);
        if (flag == "--workers") worker_count = std::atol(argv[i + 1]);
        if (flag == "--dir") dir = argv[i + 1];
        if (flag == "--submit-only") submit_only = std::string(argv[i + 1]) == "1";
    }
    std::filesystem::create_directories(dir);
    const auto database = dir / "bench.db";
    std::filesystem::remove(database);

    util::SteadyClock clock;
    auto opened = manager::Farm::open(database, clock);
    if (!opened) return fail("open", opened.error());
    manager::Farm& farm = **opened;

    auto start = Clock::now();
    std::vector<core::WorkerId> workers;
    for (long i = 0; i < worker_count; ++i) {
        auto w = farm.register_worker({.name = "sim-" + std::to_string(i), .host = "bench"});
        if (!w) return fail("register", w.error());
        workers.push_back(w->id);
    }
    const double register_s = seconds_since(start);

    start = Clock::now();
    const double submit_cpu_start = cpu_seconds();
    auto job = farm.submit({.name = "bench",
                            .scene = "/bench/scene.blend",
                            .output = "/bench/out/frame_#######",
                            .frames = "1-" + std::to_string(tasks),
                            .settings = R"({"engine":"CYCLES"})"});
    if (!job) return fail("submit", job.error());
    const double submit_s = seconds_since(start);
    const double submit_cpu_s = cpu_seconds() - submit_cpu_start;
    const double rss_after_submit = peak_rss_mib();

    // Each round every worker claims one task, then every worker completes its task.
    std::vector<double> claim_ms;
    claim_ms.reserve(static_cast<std::size_t>(tasks));
    std::vector<manager::Assignment> held;
    held.reserve(workers.size());
    long completed = 0;
    start = Clock::now();
    const double cpu_start = cpu_seconds();
    while (!submit_only && completed < tasks) {
        held.clear();
        for (core::WorkerId w : workers) {
            auto claim_start = Clock::now();
            auto a = farm.claim(w);
            claim_ms.push_back(seconds_since(claim_start) * 1000.0);
            if (!a) return fail("claim", a.error());
            if (!*a) break;
            held.push_back(std::move(**a));
        }
        if (held.empty()) break;
        for (std::size_t i = 0; i < held.size(); ++i) {
            const auto& a = held[i];
            std::vector<core::FrameResult> results;
            for (int f : a.frames.frames())
                results.push_back({f, "/bench/out/" + std::to_string(f), 0.0, 0});
            auto done = farm.complete(a.task, workers[i], std::move(results));
            if (!done) return fail("complete", done.error());
            ++completed;
        }
    }
    const double run_s = seconds_since(start);
    const double run_cpu_s = cpu_seconds() - cpu_start;
    double load[1] = {0};
    getloadavg(load, 1);
    const bool all_done =
        submit_only || farm.show_job(*job)->summary.status == core::JobStatus::completed;
    opened->reset();

    start = Clock::now();
    auto reopened = manager::Farm::open(database, clock);
    if (!reopened) return fail("reopen", reopened.error());
    const double reopen_s = seconds_since(start);
    const auto db_mib = static_cast<double>(std::filesystem::file_size(database)) / (1 << 20);
    reopened->reset();
    std::filesystem::remove_all(dir);

    std::printf("Scheduler scale (in process, Farm + SQLite store, no HTTP)\n");
    std::printf("| figure                                  | value        | target   |\n");
    std::printf("|-----------------------------------------|--------------|----------|\n");
    std::printf("| tasks (one frame each)                  | %12ld |          |\n", tasks);
    std::printf("| simulated workers                       | %12ld |          |\n", worker_count);
    std::printf("| register workers                        | %10.2f s |          |\n", register_s);
    std::printf("| submit job                              | %10.2f s | < 10 s   |\n", submit_s);
    std::printf("| submit job, CPU time                    | %10.2f s |          |\n",
                submit_cpu_s);
    std::printf("| claim + complete all                    | %10.2f s |          |\n", run_s);
    std::printf("| completed tasks per second              | %12.0f | >= 5,000 |\n",
                static_cast<double>(completed) / run_s);
    std::printf("| completed tasks per CPU second          | %12.0f |          |\n",
                static_cast<double>(completed) / run_cpu_s);
    std::printf("| claim latency p50                       | %9.3f ms |          |\n",
                percentile(claim_ms, 0.50));
    std::printf("| claim latency p99                       | %9.3f ms | < 50 ms  |\n",
                percentile(claim_ms, 0.99));
    std::printf("| peak RSS after submit                   | %8.0f MiB |          |\n",
                rss_after_submit);
    std::printf("| peak RSS                                | %8.0f MiB | < 1 GiB  |\n",
                peak_rss_mib());
    std::printf("| reopen (restore) after the run          | %10.2f s |          |\n", reopen_s);
    std::printf("| database size                           | %8.0f MiB |          |\n", db_mib);
    std::printf("| load average during the run (2 cores)   | %12.1f |          |\n", load[0]);
    std::printf("| every task completed                    | %12s |          |\n",
                all_done ? "yes" : "NO");
    return all_done ? 0 : 1;
}

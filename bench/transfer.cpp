// bench_transfer: transfer mode on loopback, against copying the same files with `cp -r` and
// `rsync -a` on the same machine. One `spotfarm manager` process; the figures:
//   upload         `spotfarm submit --transfer --include big/` of a tree of --size-mib MiB
//                  (8 files) into an empty blob store: the upload's own MB/s as submit reports
//                  it, and the whole command's (Blender listing the scene, hashing included);
//   small files    the same with --small files of 4 KiB: the whole command's seconds;
//   resubmit       the unchanged big tree again: the bytes sent;
//   worker reuse   a worker renders a job, then a second job of the same scene: the blobs it
//                  fetched for the second (its cache's files before and after);
//   download       `spotfarm sync` of --frames frames of 64 MiB into an empty folder, the frames
//                  put on the manager through the worker API, as a worker uploads them.
// Each copy and each spotfarm run alternates within a round (the order turns every round), and
// the medians over --rounds are printed with the load. Targets (issue 11): upload >= 400 MB/s,
// 10,000 small files < 10 s, resubmit < 1 MB, worker reuse 0 blobs, download >= 400 MB/s.
//
// Usage: bench_transfer [--rounds 3] [--size-mib 2048] [--small 10000] [--frames 16]

#include <signal.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench_stats.h"
#include "util/file_hash.h"
#include "util/http_client.h"
#include "util/subprocess.h"
#include "util/temp_dir.h"
#include "util/text_file.h"

using spotfarm::bench::load_average;
using spotfarm::bench::median;

namespace {

namespace fs = std::filesystem;
using namespace spotfarm;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
    int rounds = 3;
    int size_mib = 2048;
    int small = 10000;
    int frames = 16;
};

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string trimmed(const fs::path& path) {
    auto text = util::read_text_file(path, 4096);
    std::string s = text ? *text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// `bytes` bytes of pseudo-random data (incompressible, different per seed).
void write_random(const fs::path& path, std::int64_t bytes, std::uint64_t seed) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    std::mt19937_64 rng(seed);
    std::vector<std::uint64_t> block(1 << 17);  // 1 MiB
    while (bytes > 0) {
        for (auto& v : block) v = rng();
        const auto n = std::min<std::int64_t>(bytes, static_cast<std::int64_t>(block.size() * 8));
        out.write(reinterpret_cast<const char*>(block.data()), n);
        bytes -= n;
    }
}

std::int64_t tree_bytes(const fs::path& dir) {
    std::int64_t total = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) total += static_cast<std::int64_t>(e.file_size());
    }
    return total;
}

std::size_t count_files(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file()) ++n;
    }
    return n;
}

// Runs a command to its end; its wall seconds, or nothing (with the output printed) on failure.
std::optional<double> timed(const std::vector<std::string>& argv, std::string* output = nullptr,
                            const std::vector<std::pair<std::string, std::string>>& env = {}) {
    const auto start = Clock::now();
    auto done = util::run_capture(argv, 30min, env);
    const double s = seconds_since(start);
    if (!done || done->status.code != 0) {
        std::cerr << argv[0] << " " << (argv.size() > 1 ? argv[1] : "")
                  << " failed: " << (done ? done->output : done.error().message) << "\n";
        return std::nullopt;
    }
    if (output) *output = done->output;
    return s;
}

// The first JSON object in a command's output.
json first_object(const std::string& output) {
    const auto brace = output.find('{');
    if (brace == std::string::npos) return json();
    return json::parse(output.substr(brace), nullptr, false);
}

class Farm {
public:
    explicit Farm(const fs::path& dir) : m_dir(dir) {
        auto child = util::Subprocess::spawn(
            {{SPOTFARM_EXE, "manager", "--state-dir", state().string(), "--listen", "127.0.0.1:0",
              "--port-file", (dir / "port").string()}});
        if (!child) throw std::runtime_error(child.error().message);
        m_manager.emplace(std::move(child).value());
        const auto deadline = Clock::now() + 60s;
        while (trimmed(dir / "port").empty() && Clock::now() < deadline) {
            m_manager->read_output(m_log);
            std::this_thread::sleep_for(20ms);
        }
        url = "http://127.0.0.1:" + trimmed(dir / "port");
        people = trimmed(state() / "people.token");
        join = trimmed(state() / "worker-join.token");
    }
    ~Farm() {
        if (m_worker) m_worker->terminate(30s);
        if (m_manager) m_manager->terminate(30s);
    }

    fs::path state() const { return m_dir / "state"; }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"SPOTFARM_MANAGER", url}, {"SPOTFARM_TOKEN", people}};
    }
    void pump() {
        if (m_manager) m_manager->read_output(m_log);
        if (m_worker) m_worker->read_output(m_log);
    }

    void start_worker(const fs::path& dir) {
        auto child = util::Subprocess::spawn(
            {{SPOTFARM_EXE, "worker", "--manager", url, "--token", join, "--name", "bench",
              "--state-dir", dir.string(), "--claim-wait", "1"}});
        if (!child) throw std::runtime_error(child.error().message);
        m_worker.emplace(std::move(child).value());
    }

    std::pair<int, json> api(const std::string& method, const std::string& path,
                             const std::string& body = "", const std::string& token = "",
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
        util::HttpRequest request;
        request.method = method;
        request.url = url + "/api/v1" + path;
        request.headers = std::move(headers);
        request.headers.emplace_back("Authorization", "Bearer " + (token.empty() ? people : token));
        request.body = body;
        request.timeout = 120s;
        auto response = m_http.send(request);
        if (!response) return {0, json()};
        return {response->status, json::parse(response->body, nullptr, false)};
    }

    std::string job_status(std::int64_t id) {
        auto [status, body] = api("GET", "/jobs/" + std::to_string(id));
        return body.is_object() ? body.value("status", "") : "";
    }

    bool wait_done(std::int64_t id, std::chrono::seconds limit) {
        const auto deadline = Clock::now() + limit;
        while (Clock::now() < deadline) {
            pump();
            const auto s = job_status(id);
            if (s == "completed") return true;
            if (s == "failed" || s == "canceled") return false;
            std::this_thread::sleep_for(100ms);
        }
        return false;
    }

    // The worker's log line about what it fetched for `job`, or "" when it logged none.
    std::string fetch_line(std::int64_t job) {
        pump();
        const std::string key = "job " + std::to_string(job) + ": ";
        for (const auto& line : m_log) {
            const auto at = line.find(key);
            if (at != std::string::npos && line.find("fetched") != std::string::npos) {
                return line.substr(at);
            }
        }
        return "";
    }

    std::string url;
    std::string people;
    std::string join;

private:
    fs::path m_dir;
    std::optional<util::Subprocess> m_manager;
    std::optional<util::Subprocess> m_worker;
    std::vector<std::string> m_log;
    util::CurlHttpClient m_http;
};

void remove_contents(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) fs::remove_all(e.path(), ec);
}

struct Submitted {
    std::int64_t id = 0;
    double wall = 0;
    double upload_seconds = 0;
    std::int64_t bytes_sent = 0;
};

std::optional<Submitted> submit(Farm& farm, const fs::path& scene,
                                const std::vector<std::string>& extra,
                                const std::string& frames = "1") {
    std::vector<std::string> argv = {SPOTFARM_EXE, "submit", scene.string(), "--frames", frames,
                                     "-o",         "f_####", "--transfer",   "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::string output;
    auto wall = timed(argv, &output, farm.env());
    if (!wall) return std::nullopt;
    json answer = first_object(output);
    Submitted s;
    s.wall = *wall;
    s.id = answer.value("id", std::int64_t{0});
    const json upload = answer.value("transfer", json::object());
    s.upload_seconds = upload.value("seconds", 0.0);
    s.bytes_sent = upload.value("bytes_sent", std::int64_t{-1});
    return s;
}

// The upload rounds' jobs are only there to be uploaded: cancelled, so no worker takes them.
void cancel(Farm& farm, const std::optional<Submitted>& job) {
    if (job && job->id > 0) {
        timed({SPOTFARM_EXE, "cancel", std::to_string(job->id)}, nullptr, farm.env());
    }
}

double mbps(std::int64_t bytes, double seconds) {
    return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0;
}

int run(const Options& opt) {
    auto tmp = util::TempDir::create("spotfarm-bench-transfer-");
    if (!tmp) {
        std::cerr << tmp.error().message << "\n";
        return 1;
    }
    const fs::path root = tmp->path();
    const fs::path shot = root / "shot";
    fs::create_directories(shot);
    fs::copy_file(fs::path(SPOTFARM_BUILD_DIR) / "demo" / "demo.blend", shot / "shot.blend");
    const std::int64_t big_bytes = static_cast<std::int64_t>(opt.size_mib) << 20;
    for (int i = 0; i < 8; ++i) {
        write_random(shot / "big" / fmt::format("part{}.bin", i), big_bytes / 8,
                     static_cast<std::uint64_t>(i) + 1);
    }
    for (int i = 0; i < opt.small; ++i) {
        write_random(shot / "small" / fmt::format("d{:03}", i / 1000) / fmt::format("f{}.bin", i),
                     4096, 1000 + static_cast<std::uint64_t>(i));
    }
    const std::int64_t tree = tree_bytes(shot / "big");

    std::cout << fmt::format(
        "bench_transfer: {} rounds, {} MiB in 8 files, {} files of 4 KiB, {} frames of 64 MiB\n",
        opt.rounds, opt.size_mib, opt.small, opt.frames);
    std::cout << "load before: " << load_average() << "\n";

    Farm farm(root / "farm");
    const fs::path blobs = farm.state() / "blobs";
    std::vector<double> cp_s, rsync_s, up_s, up_wall, small_wall, small_cp, resent;
    const fs::path copy = root / "copy";
    for (int round = 0; round < opt.rounds; ++round) {
        std::vector<std::function<bool()>> steps = {
            [&] {
                fs::remove_all(copy);
                auto s = timed({"cp", "-r", (shot / "big").string(), copy.string()});
                if (s) cp_s.push_back(*s);
                return s.has_value();
            },
            [&] {
                fs::remove_all(copy);
                auto s = timed({"rsync", "-a", (shot / "big").string() + "/", copy.string() + "/"});
                if (s) rsync_s.push_back(*s);
                return s.has_value();
            },
            [&] {
                remove_contents(blobs);
                auto s = submit(farm, shot / "shot.blend", {"--include", (shot / "big").string()});
                cancel(farm, s);
                if (!s) return false;
                up_s.push_back(s->upload_seconds);
                up_wall.push_back(s->wall);
                // The same tree again: only what changed (nothing) is sent.
                auto again =
                    submit(farm, shot / "shot.blend", {"--include", (shot / "big").string()});
                cancel(farm, again);
                if (!again) return false;
                resent.push_back(static_cast<double>(again->bytes_sent));
                return true;
            },
            [&] {
                fs::remove_all(copy);
                auto s = timed({"cp", "-r", (shot / "small").string(), copy.string()});
                if (s) small_cp.push_back(*s);
                return s.has_value();
            },
            [&] {
                remove_contents(blobs);
                auto s =
                    submit(farm, shot / "shot.blend", {"--include", (shot / "small").string()});
                cancel(farm, s);
                if (s) small_wall.push_back(s->wall);
                return s.has_value();
            },
        };
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const std::size_t k = round % 2 ? steps.size() - 1 - i : i;
            if (!steps[k]()) return 1;
        }
    }
    fs::remove_all(copy);

    // Frames as a worker uploads them (the bench registers as one and claims the task that holds
    // them all), then `spotfarm sync` into an empty folder, against cp -r and rsync of the
    // manager's copy.
    std::vector<double> dl_s, dl_cp, dl_rsync;
    std::int64_t frame_bytes = 0;
    {
        auto job = submit(farm, shot / "shot.blend", {"--chunk", std::to_string(opt.frames)},
                          "1-" + std::to_string(opt.frames));
        if (!job) return 1;
        auto [reg_status, reg] = farm.api("POST", "/workers",
                                          json{{"name", "bench-uploader"},
                                               {"host", "localhost"},
                                               {"cores", 1},
                                               {"memory_mb", 1024},
                                               {"gpus", json::array()},
                                               {"blender_version", "bench"},
                                               {"tags", json::array()}}
                                              .dump(),
                                          farm.join);
        if (reg_status != 201 && reg_status != 200) {
            std::cerr << "cannot register the uploader: " << reg.dump() << "\n";
            return 1;
        }
        const std::string secret = reg.value("secret", "");
        const std::string wid = std::to_string(reg.value("id", 0));
        auto [claim_status, task] = farm.api("POST", "/workers/" + wid + "/claim?wait=10",
                                             R"({"warm_job_id":null})", secret);
        if (claim_status != 200) {
            std::cerr << "the uploader got no task: " << task.dump() << "\n";
            return 1;
        }
        const std::string task_path = "/tasks/" + std::to_string(task.value("task_id", 0));
        const std::string attempt = std::to_string(task.value("attempt_id", 0));
        for (int f = 1; f <= opt.frames; ++f) {
            const fs::path frame = root / "frame.bin";
            write_random(frame, 64LL << 20, 5000 + static_cast<std::uint64_t>(f));
            auto bytes = util::read_text_file(frame, 128LL << 20);
            auto digest = util::hash_file(frame);
            if (!bytes || !digest) return 1;
            auto [put_status, put] =
                farm.api("PUT",
                         task_path + "/frames/" + std::to_string(f) + "?attempt=" + attempt +
                             "&name=" + fmt::format("f_{:04}.png", f),
                         *bytes, secret, {{"X-Spotfarm-Sha256", digest->sha256}});
            if (put_status != 200) {
                std::cerr << "frame upload refused: " << put.dump() << "\n";
                return 1;
            }
            frame_bytes += digest->size;
        }
        fs::remove(root / "frame.bin");
        const fs::path store = farm.state() / "outputs" / ("job-" + std::to_string(job->id));
        const fs::path home = root / "home";
        for (int round = 0; round < opt.rounds; ++round) {
            std::vector<std::function<bool()>> steps = {
                [&] {
                    fs::remove_all(home);
                    auto s =
                        timed({SPOTFARM_EXE, "sync", std::to_string(job->id), "-o", home.string()},
                              nullptr, farm.env());
                    if (s) dl_s.push_back(*s);
                    return s.has_value();
                },
                [&] {
                    fs::remove_all(home);
                    auto s = timed({"cp", "-r", store.string(), home.string()});
                    if (s) dl_cp.push_back(*s);
                    return s.has_value();
                },
                [&] {
                    fs::remove_all(home);
                    auto s = timed({"rsync", "-a", store.string() + "/", home.string() + "/"});
                    if (s) dl_rsync.push_back(*s);
                    return s.has_value();
                },
            };
            for (std::size_t i = 0; i < steps.size(); ++i) {
                const std::size_t k = round % 2 ? steps.size() - 1 - i : i;
                if (!steps[k]()) return 1;
            }
        }
        fs::remove_all(home);
        timed({SPOTFARM_EXE, "cancel", std::to_string(job->id)}, nullptr, farm.env());
    }

    // A worker's second job of the same scene fetches nothing.
    const fs::path worker_dir = root / "worker";
    farm.start_worker(worker_dir);
    auto first = submit(farm, shot / "shot.blend", {"--percentage", "10", "--samples", "1"});
    if (!first || !farm.wait_done(first->id, 600s)) {
        std::cerr << "the worker did not finish the first job\n";
        return 1;
    }
    const fs::path cache_dir = worker_dir / "cache";
    const std::size_t cached = count_files(cache_dir);
    const std::string first_fetch = farm.fetch_line(first->id);
    auto second = submit(farm, shot / "shot.blend", {"--percentage", "10", "--samples", "1"});
    if (!second || !farm.wait_done(second->id, 600s)) {
        std::cerr << "the worker did not finish the second job\n";
        return 1;
    }
    const std::size_t cached_after = count_files(cache_dir);
    const std::string second_fetch = farm.fetch_line(second->id);

    std::cout << "\nload after: " << load_average() << "\n\n";
    const double up_mbps = mbps(tree, median(up_s));
    std::cout << fmt::format("{:<34} {:>10} {:>10} {:>10}\n", "", "spotfarm", "cp -r", "rsync -a");
    std::cout << fmt::format(
        "{:<34} {:>9.0f}  {:>9.0f}  {:>9.0f}   MB/s (upload only; target >= 400)\n",
        "upload " + std::to_string(opt.size_mib) + " MiB", up_mbps, mbps(tree, median(cp_s)),
        mbps(tree, median(rsync_s)));
    std::cout << fmt::format(
        "{:<34} {:>9.2f}s {:>9.2f}s {:>9.2f}s  (whole submit: listing, hashing)\n", "  wall",
        median(up_wall), median(cp_s), median(rsync_s));
    std::cout << fmt::format("{:<34} {:>9.2f}s {:>9.2f}s {:>10}   (target < 10 s)\n",
                             std::to_string(opt.small) + " files of 4 KiB", median(small_wall),
                             median(small_cp), "");
    std::cout << fmt::format("{:<34} {:>10.0f}   bytes sent (target < 1,000,000)\n",
                             "resubmit unchanged", median(resent));
    std::cout << fmt::format("{:<34} {:>10}   files added to the worker's cache (target 0)\n",
                             "worker's second job", cached_after - cached);
    std::cout << "  worker, first job:  "
              << (first_fetch.empty() ? "(no fetch logged)" : first_fetch)
              << "\n  worker, second job: "
              << (second_fetch.empty() ? "(no fetch logged: nothing to fetch)" : second_fetch)
              << "\n";
    std::cout << fmt::format("{:<34} {:>9.0f}  {:>9.0f}  {:>9.0f}   MB/s (target >= 400)\n",
                             "download " + std::to_string(opt.frames) + " frames (sync)",
                             mbps(frame_bytes, median(dl_s)), mbps(frame_bytes, median(dl_cp)),
                             mbps(frame_bytes, median(dl_rsync)));
    std::cout << fmt::format("ratios: upload/cp {:.2f}x, upload/rsync {:.2f}x, small/cp {:.1f}x\n",
                             median(up_s) / median(cp_s), median(up_s) / median(rsync_s),
                             median(small_wall) / median(small_cp));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (flag == "--rounds")
            opt.rounds = value;
        else if (flag == "--size-mib")
            opt.size_mib = value;
        else if (flag == "--small")
            opt.small = value;
        else if (flag == "--frames")
            opt.frames = value;
        else {
            std::cerr << "usage: bench_transfer [--rounds 3] [--size-mib 2048] [--small 10000] "
                         "[--frames 16]\n";
            return 2;
        }
    }
    try {
        return run(opt);
    } catch (const std::exception& e) {
        std::cerr << "bench_transfer: " << e.what() << "\n";
        return 1;
    }
}

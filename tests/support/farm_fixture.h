#pragma once
// A real farm on loopback for the farm and reliability suites: a `spotfarm manager` process,
// `spotfarm worker` processes (real Blender), and the manager's API through the real HTTP client.
// Each test has its own folder and its own port (0 at the first start, kept across restarts so
// the workers find the manager again).

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"
#include "support/spotfarm_process.h"
#include "util/http_client.h"

namespace spotfarm::test {

using json = nlohmann::json;
using namespace std::chrono_literals;

std::filesystem::path farm_scene(const std::string& name);
std::string read_trimmed(const std::filesystem::path& path);

class FarmTest : public ::testing::Test {
protected:
    std::filesystem::path state() const { return m_dir / "state"; }
    std::string output_pattern() const { return (m_dir / "out" / "f_####").string(); }
    std::filesystem::path frame_path(int frame) const;

    // Starts (or restarts, on the same state folder and port) the manager.
    void start_manager(double lease_seconds = 10);
    // kill -9 the manager, as a crash would.
    void kill_manager();
    // Starts a worker named w1, w2, ... with `extra` arguments; returns its index.
    std::size_t start_worker(std::vector<std::string> extra = {});
    SpotfarmProcess& worker(std::size_t index) { return *m_workers.at(index); }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // A call with the people token; the body parsed as JSON (null when empty); status 0 when the
    // manager could not be reached.
    std::pair<int, json> api(const std::string& method, const std::string& path,
                             const json& body = nullptr);
    // Submits `frames` of the test scene `scene`, `chunk` frames per task, one Blender thread.
    std::int64_t submit(const std::string& scene, const std::string& frames, bool scripts = false,
                        int chunk = 1);
    json job(std::int64_t id);
    std::string job_status(std::int64_t id);
    json tasks(std::int64_t id, const std::string& status = "");  // a list of task summaries
    json task(std::int64_t id);                                   // with its attempt_list
    // The active tasks of `job` whose frame Blender is rendering (samples reported).
    json rendering_tasks(std::int64_t job);
    // The worker id the manager gave the worker named `name`; 0 when not registered.
    std::int64_t worker_id(const std::string& name);

    // wait_until, reading every process's output meanwhile.
    bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds limit);
    // The output of the manager and every worker so far, for failure messages.
    std::string logs();

    // Every frame of `frames` on disk, whole, and nothing else in the output folder (no
    // temporary file left by a render that was cut short).
    void expect_frames_on_disk(const std::vector<int>& frames);

    void TearDown() override;

    ScratchDir m_dir;
    util::CurlHttpClient m_http;
    std::unique_ptr<SpotfarmProcess> m_manager;
    std::vector<std::unique_ptr<SpotfarmProcess>> m_workers;
    std::string m_manager_log;  // of managers that were stopped
    int m_port = 0;
    std::string m_people;
    std::string m_join;
};

}  // namespace spotfarm::test

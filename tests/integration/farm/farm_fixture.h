#pragma once
// A real farm on loopback for the reliability tests: a `spotfarm manager` process, `spotfarm
// worker` processes, and the manager's API through the real HTTP client.

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "blender/output_validator.h"
#include "support/scratch_dir.h"
#include "util/http_client.h"
#include "util/subprocess.h"

namespace spotfarm::test {

using json = nlohmann::json;
using namespace std::chrono_literals;

inline std::filesystem::path farm_scene(const std::string& name) {
    return std::filesystem::path(SPOTFARM_TEST_SCENES) / (name + ".blend");
}

inline std::string read_trimmed(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

class FarmTest : public ::testing::Test {
protected:
    std::filesystem::path state() const { return m_dir / "state"; }
    std::string output_pattern() const { return (m_dir / "out" / "f_####").string(); }

    // Starts (or restarts) the manager on the state folder; port 0 picks a free port the first
    // time, later starts reuse it so workers find the manager again.
    void start_manager(int lease_seconds) {
        const auto port_file = m_dir / "port";
        std::filesystem::remove(port_file);
        util::SpawnOptions spawn;
        spawn.argv = {SPOTFARM_EXE, "manager", "--state-dir", state().string(),
                      "--listen", "127.0.0.1:" + std::to_string(m_port),
                      "--port-file", port_file.string(),
                      "--lease-timeout", std::to_string(lease_seconds)};
        auto process = util::Subprocess::spawn(spawn);
        ASSERT_TRUE(process.ok()) << process.error().message;
        m_manager.emplace(std::move(process).value());
        ASSERT_TRUE(wait_until([&] { return !read_trimmed(port_file).empty(); }, 30s))
            << "the manager did not start";
        m_port = std::stoi(read_trimmed(port_file));
        m_people = read_trimmed(state() / "people.token");
        m_join = read_trimmed(state() / "worker-join.token");
    }

    void kill_manager() {
        m_manager->signal_group(SIGKILL);
        m_manager->wait_for(10s);
        m_manager.reset();
    }

    // Starts a worker; returns its index in m_workers.
    std::size_t start_worker() {
        const auto index = m_workers.size();
        const auto name = "w" + std::to_string(index + 1);
        util::SpawnOptions spawn;
        spawn.argv = {SPOTFARM_EXE, "worker", "--manager", url(), "--name", name,
                      "--state-dir", (m_dir / "workers" / name).string()};
        spawn.env = {{"SPOTFARM_TOKEN", m_join}};
        auto process = util::Subprocess::spawn(spawn);
        EXPECT_TRUE(process.ok()) << process.error().message;
        m_workers.emplace_back(std::move(process).value());
        return index;
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // A call with the people token; the body parsed as JSON (null when empty).
    std::pair<int, json> api(const std::string& method, const std::string& path,
                             const json& body = nullptr) {
        util::HttpRequest request;
        request.method = method;
        request.url = url() + "/api/v1" + path;
        request.headers = {{"Authorization", "Bearer " + m_people}};
        if (!body.is_null()) {
            request.headers.emplace_back("Content-Type", "application/json");
            request.body = body.dump();
        }
        request.timeout = 10s;
        auto response = m_http.send(request);
        if (!response) return {0, json()};
        json parsed = response->body.empty() ? json() : json::parse(response->body, nullptr, false);
        return {response->status, parsed};
    }

    std::int64_t submit(const std::string& scene, const std::string& frames, bool scripts = false) {
        json spec = {{"scene", farm_scene(scene).string()}, {"output", output_pattern()},
                     {"frames", frames}, {"chunk", 1}, {"threads", 1},
                     {"allow_scripts", scripts}};
        auto [status, body] = api("POST", "/jobs", spec);
        EXPECT_EQ(status, 201) << body.dump();
        return body.value("id", std::int64_t{0});
    }

    json job(std::int64_t id) { return api("GET", "/jobs/" + std::to_string(id)).second; }
    std::string job_status(std::int64_t id) { return job(id).value("status", ""); }
    json tasks(std::int64_t id, const std::string& status = "") {
        auto path = "/jobs/" + std::to_string(id) + "/tasks";
        if (!status.empty()) path += "?status=" + status;
        auto body = api("GET", path).second;
        return body.is_array() ? body : json::array();
    }

    static bool wait_until(const std::function<bool()>& condition, std::chrono::seconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (condition()) return true;
            std::this_thread::sleep_for(100ms);
        }
        return condition();
    }

    // Every frame of `frames` on disk, whole, and no temporary file beside them.
    void expect_frames_on_disk(const std::vector<int>& frames) {
        for (int frame : frames) {
            char name[32];
            std::snprintf(name, sizeof name, "f_%04d.png", frame);
            const auto path = m_dir / "out" / name;
            EXPECT_TRUE(blender::validate_output(path).ok()) << path;
        }
        for (const auto& name : list_dir(m_dir / "out")) {
            if (name == ".spotfarm") continue;  // the farm's state, beside the frames
            EXPECT_EQ(name.rfind("f_", 0), 0u) << "unexpected file in the output: " << name;
        }
    }

    void TearDown() override {
        m_workers.clear();  // kills each worker's process group
        m_manager.reset();
    }

    ScratchDir m_dir;
    util::CurlHttpClient m_http;
    std::optional<util::Subprocess> m_manager;
    std::vector<util::Subprocess> m_workers;
    int m_port = 0;
    std::string m_people;
    std::string m_join;
};

}  // namespace spotfarm::test

#pragma once
// A real manager (ManagerService) on 127.0.0.1 port 0 with its own state folder, talked to with
// the real libcurl client, and shorthands for the calls a worker and a person make.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "manager/manager_service.h"
#include "store/test_dir.h"
#include "util/clock.h"
#include "util/http_client.h"

namespace spotfarm::manager {

struct TestWorker {
    std::int64_t id = 0;
    std::string secret;
};

struct Answer {
    int status = 0;
    nlohmann::json body;  // null when the body was empty or not JSON
    std::string text;
};

class RoutesTest : public ::testing::Test {
protected:
    void SetUp() override { start(); }
    void TearDown() override { manager.reset(); }

    // Opens and starts the manager on the test's state folder.
    void start() {
        ManagerOptions options;
        options.state_dir = dir.path() / "state";
        options.port = 0;
        options.lease_timeout = lease_timeout;
        options.max_body_bytes = max_body_bytes;
        options.max_downloads = max_downloads;
        options.program = program;
        options.reap_interval = reap_interval;
        options.clock = clock;
        options.blob_writer = blob_writer;
        options.frame_check_module =
            std::filesystem::path(SPOTFARM_BUILD_DIR) / "spotfarm_frame_check.so";
        auto opened = ManagerService::open(options);
        ASSERT_TRUE(opened) << opened.error().message;
        manager = std::move(opened).value();
        ASSERT_TRUE(manager->start());
    }

    const std::string& people() const { return manager->tokens().person; }
    const std::string& join() const { return manager->tokens().worker_join; }

    Answer call(std::string method, const std::string& path, const std::string& body,
                const std::string& token,
                std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        util::HttpRequest request;
        request.method = std::move(method);
        request.url = manager->url() + "/api/v1" + path;
        if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body;
        request.timeout = timeout;
        auto response = http.send(request);
        EXPECT_TRUE(response) << request.method << " " << path << ": " << response.error().message;
        if (!response) return {};
        Answer answer{response->status, nullptr, response->body};
        if (!response->body.empty()) {
            answer.body = nlohmann::json::parse(response->body, nullptr, false);
            if (answer.body.is_discarded()) answer.body = nullptr;
        }
        return answer;
    }

    Answer post(const std::string& path, const nlohmann::json& body, const std::string& token) {
        return call("POST", path, body.dump(), token);
    }
    Answer get(const std::string& path, const std::string& token) {
        return call("GET", path, "", token);
    }

    TestWorker register_worker(const std::string& name) {
        auto a = post("/workers",
                      {{"name", name},
                       {"host", "test-host"},
                       {"cores", 2},
                       {"memory_mb", 1024},
                       {"gpus", nlohmann::json::array()},
                       {"blender_version", "4.2.0"},
                       {"tags", nlohmann::json::array()}},
                      join());
        EXPECT_EQ(a.status, 201) << a.text;
        if (a.status != 201) return {};
        return {a.body.value("id", std::int64_t{0}), a.body.value("secret", "")};
    }

    std::int64_t submit(const std::string& frames, int chunk = 1,
                        const std::string& output = "/out/shot/frame_####") {
        auto a = post("/jobs",
                      {{"scene", "/scenes/shot.blend"},
                       {"output", output},
                       {"frames", frames},
                       {"chunk", chunk},
                       {"samples", 4}},
                      people());
        EXPECT_EQ(a.status, 201) << a.text;
        return a.body.is_object() ? a.body.value("id", std::int64_t{0}) : 0;
    }

    Answer claim(const TestWorker& w, double wait = 0) {
        std::string path = "/workers/" + std::to_string(w.id) + "/claim";
        if (wait > 0) path += "?wait=" + std::to_string(wait);
        return call("POST", path, R"({"warm_job_id": null})", w.secret);
    }

    // Every frame of an Assignment reported done.
    static nlohmann::json frames_done(const nlohmann::json& assignment) {
        nlohmann::json frames = nlohmann::json::array();
        std::string spec = assignment["frames"];
        // One-frame tasks in these tests: the spec is the frame.
        frames.push_back({{"frame", std::stoi(spec)},
                          {"output", "/out/shot/frame_" + spec + ".png"},
                          {"render_seconds", 0.5},
                          {"peak_memory_mb", 100},
                          {"warnings", nlohmann::json::array()}});
        return frames;
    }

    Answer complete(const TestWorker& w, const nlohmann::json& assignment) {
        std::int64_t task = assignment["task_id"];
        return post("/tasks/" + std::to_string(task) + "/complete",
                    {{"worker_id", w.id},
                     {"attempt_id", assignment["attempt_id"]},
                     {"frames", frames_done(assignment)}},
                    w.secret);
    }

    Answer fail(const TestWorker& w, const nlohmann::json& assignment, const std::string& error) {
        std::int64_t task = assignment["task_id"];
        return post("/tasks/" + std::to_string(task) + "/fail",
                    {{"worker_id", w.id},
                     {"attempt_id", assignment["attempt_id"]},
                     {"error", error},
                     {"log_tail", "Fra:1 ... " + error},
                     {"frames", nlohmann::json::array()}},
                    w.secret);
    }

    Answer progress(const TestWorker& w, const nlohmann::json& assignment) {
        std::int64_t task = assignment["task_id"];
        return post("/tasks/" + std::to_string(task) + "/progress",
                    {{"worker_id", w.id},
                     {"attempt_id", assignment["attempt_id"]},
                     {"frame", std::stoi(assignment["frames"].get<std::string>())},
                     {"sample", 2},
                     {"samples_total", 4},
                     {"log", "Fra:1 Sample 2/4\n"}},
                    w.secret);
    }

    std::string job_status(std::int64_t job) {
        auto a = get("/jobs/" + std::to_string(job), people());
        EXPECT_EQ(a.status, 200) << a.text;
        return a.body.is_object() ? a.body.value("status", "") : "";
    }

    // Claims and completes until the worker finds no work; returns how many tasks it finished.
    int finish_all(const TestWorker& w) {
        int done = 0;
        for (;;) {
            auto a = claim(w);
            if (a.status != 200) {
                EXPECT_EQ(a.status, 204) << a.text;
                return done;
            }
            auto c = complete(w, a.body);
            EXPECT_EQ(c.status, 200) << c.text;
            ++done;
        }
    }

    store::TestDir dir;
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_downloads = 8;
    std::filesystem::path program;  // empty: this test program
    std::chrono::milliseconds lease_timeout{std::chrono::seconds(30)};
    std::chrono::milliseconds reap_interval{std::chrono::seconds(1)};
    const util::Clock* clock = nullptr;  // the real one
    BlobWriter blob_writer;              // empty: the blob store's own
    util::FakeClock fake_clock;
    util::CurlHttpClient http;
    std::unique_ptr<ManagerService> manager;
};

}  // namespace spotfarm::manager

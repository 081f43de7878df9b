// `spotfarm manager` as a process: its port file, its tokens, a clean stop on SIGTERM, its state
// kept across restarts, and real `spotfarm worker` processes (with the stand-in Blender,
// tests/data/fake_blender.py) rendering a job through it.
#include <csignal>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"
#include "support/spotfarm_process.h"
#include "util/http_client.h"
#include "util/subprocess.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

std::string first_line(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

class ManagerProcessTest : public ::testing::Test {
protected:
    std::unique_ptr<SpotfarmProcess> start_manager() {
        fs::remove(scratch / "port");
        auto manager = std::make_unique<SpotfarmProcess>(std::vector<std::string>{
            "manager", "--state-dir", (scratch / "state").string(), "--listen", "127.0.0.1:0",
            "--port-file", (scratch / "port").string(), "--lease-timeout", "10"});
        wait_until([&] { return !first_line(scratch / "port").empty(); }, 30s,
                   [&] { manager->pump(); });
        port = first_line(scratch / "port");
        EXPECT_FALSE(port.empty()) << manager->log();
        people = first_line(scratch / "state" / "people.token");
        join = first_line(scratch / "state" / "worker-join.token");
        return manager;
    }

    std::string url() const { return "http://127.0.0.1:" + port; }

    util::HttpResponse call(const std::string& method, const std::string& path,
                            const json& body = nullptr) {
        util::HttpRequest request;
        request.method = method;
        request.url = url() + "/api/v1" + path;
        request.headers = {{"Authorization", "Bearer " + people},
                           {"Content-Type", "application/json"}};
        if (!body.is_null()) request.body = body.dump();
        auto response = http.send(request);
        EXPECT_TRUE(response) << response.error().message;
        return response ? *response : util::HttpResponse{};
    }

    std::int64_t submit(const std::string& frames) {
        std::ofstream(scratch / "scene.json") << json::object().dump();
        auto answer = call("POST", "/jobs",
                           {{"scene", (scratch / "scene.json").string()},
                            {"output", (scratch / "out" / "frame_####").string()},
                            {"frames", frames}});
        EXPECT_EQ(answer.status, 201) << answer.body;
        return json::parse(answer.body, nullptr, false).value("id", std::int64_t{0});
    }

    std::string job_status(std::int64_t job) {
        auto answer = call("GET", "/jobs/" + std::to_string(job));
        return json::parse(answer.body, nullptr, false).value("status", "");
    }

    ScratchDir scratch;
    util::CurlHttpClient http;
    std::string port;
    std::string people;
    std::string join;
};

TEST_F(ManagerProcessTest, StopsCleanlyOnSigtermAndKeepsJobsAndTokensAcrossRestarts) {
    auto manager = start_manager();
    ASSERT_FALSE(port.empty());
    manager->pump();
    EXPECT_NE(manager->log().find("export SPOTFARM_TOKEN"), std::string::npos) << manager->log();
    EXPECT_EQ(manager->log().find(people), std::string::npos) << "the token was printed";
    EXPECT_EQ(fs::status(scratch / "state" / "people.token").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    std::int64_t job = submit("1-3");
    ASSERT_GT(job, 0);

    auto status = manager->stop(SIGTERM, 15s);
    ASSERT_TRUE(status) << "the manager did not stop\n" << manager->log();
    EXPECT_EQ(status->code, 0) << manager->log();

    const std::string people_before = people;
    manager = start_manager();
    EXPECT_EQ(people, people_before);
    auto jobs = json::parse(call("GET", "/jobs").body, nullptr, false);
    ASSERT_EQ(jobs["jobs"].size(), 1u) << jobs.dump();
    EXPECT_EQ(jobs["jobs"][0]["id"], job);
    EXPECT_EQ(manager->stop(SIGINT, 15s).value_or(util::ExitStatus{}).code, 0) << manager->log();
}

TEST_F(ManagerProcessTest, TwoWorkerProcessesRenderAJobThroughIt) {
    auto manager = start_manager();
    ASSERT_FALSE(port.empty());
    std::vector<std::unique_ptr<SpotfarmProcess>> workers;
    for (const char* name : {"w1", "w2"}) {
        workers.push_back(std::make_unique<SpotfarmProcess>(
            std::vector<std::string>{"worker", "--manager", url(), "--token", join, "--name", name,
                                     "--state-dir", (scratch / name).string(), "--blender",
                                     SPOTFARM_TEST_DATA "/fake_blender.py", "--claim-wait", "1"}));
    }
    std::int64_t job = submit("1-6");
    wait_until([&] { return job_status(job) == "completed"; }, 90s,
               [&] {
                   for (auto& w : workers) w->pump();
                   manager->pump();
               });
    EXPECT_EQ(job_status(job), "completed") << workers[0]->log() << workers[1]->log();
    for (int frame = 1; frame <= 6; ++frame) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%04d.png", frame);
        EXPECT_TRUE(fs::exists(scratch / "out" / name)) << name;
    }
    for (auto& w : workers) {
        auto status = w->stop(SIGTERM, 20s);
        ASSERT_TRUE(status) << w->log();
        EXPECT_EQ(status->code, 0) << w->log();
    }
    auto listed = json::parse(call("GET", "/workers").body, nullptr, false);
    ASSERT_EQ(listed["workers"].size(), 2u) << listed.dump();
    for (const auto& w : listed["workers"]) EXPECT_EQ(w["status"], "offline") << w.dump();
    EXPECT_EQ(manager->stop(SIGTERM, 15s).value_or(util::ExitStatus{}).code, 0) << manager->log();
}

}  // namespace
}  // namespace spotfarm::test

// `spotfarm worker` told to stop after its manager is gone (the end of a cloud render: the
// manager stops first). A real manager on loopback is stopped, then the worker gets SIGTERM: it
// must not spend its grace retrying calls nobody will answer.
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"
#include "support/spotfarm_process.h"
#include "util/http_client.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string first_line(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

class WorkerManagerGoneTest : public ::testing::Test {
protected:
    void SetUp() override {
        manager = std::make_unique<SpotfarmProcess>(std::vector<std::string>{
            "manager", "--state-dir", (scratch / "state").string(), "--listen", "127.0.0.1:0",
            "--port-file", (scratch / "port").string()});
        wait_until([&] { return !first_line(scratch / "port").empty(); }, 30s,
                   [&] { manager->pump(); });
        port = first_line(scratch / "port");
        ASSERT_FALSE(port.empty()) << manager->log();
        people = first_line(scratch / "state" / "people.token");
        join = first_line(scratch / "state" / "worker-join.token");
    }

    void start_worker(const std::string& grace, const std::string& claim_wait = "1") {
        worker = std::make_unique<SpotfarmProcess>(std::vector<std::string>{
            "worker", "--manager", url(), "--token", join, "--name", "w1", "--state-dir",
            (scratch / "w1").string(), "--blender", SPOTFARM_TEST_DATA "/fake_blender.py",
            "--claim-wait", claim_wait, "--grace", grace});
    }

    // Waits until the worker has printed `text`.
    bool worker_says(const std::string& text, std::chrono::seconds limit = 30s) {
        return wait_until([&] { return worker->log().find(text) != std::string::npos; }, limit,
                          [&] {
                              worker->pump();
                              manager->pump();
                          });
    }

    std::string url() const { return "http://127.0.0.1:" + port; }

    void submit(const json& scene_behaviour, const std::string& frames) {
        std::ofstream(scratch / "scene.json") << scene_behaviour.dump();
        util::HttpRequest request;
        request.method = "POST";
        request.url = url() + "/api/v1/jobs";
        request.headers = {{"Authorization", "Bearer " + people},
                           {"Content-Type", "application/json"}};
        request.body = json{
            {"scene", (scratch / "scene.json").string()},
            {"output", (scratch / "out" / "frame_####").string()},
            {"frames",
             frames}}.dump();
        auto answer = http.send(request);
        ASSERT_TRUE(answer) << answer.error().message;
        ASSERT_EQ(answer->status, 201) << answer->body;
    }

    ScratchDir scratch;
    util::CurlHttpClient http;
    std::unique_ptr<SpotfarmProcess> manager;
    std::unique_ptr<SpotfarmProcess> worker;
    std::string port;
    std::string people;
    std::string join;
};

TEST_F(WorkerManagerGoneTest, IdleWorkerExitsAtOnceWithoutWaitingOutItsGrace) {
    start_worker("60");
    ASSERT_TRUE(worker_says("registered as worker")) << worker->log();
    auto stopped = manager->stop(SIGTERM, 15s);
    ASSERT_TRUE(stopped) << manager->log();
    // The worker has found the manager gone before it is told to stop.
    ASSERT_TRUE(worker_says("trying again with back-off")) << worker->log();

    const auto signaled = Clock::now();
    auto status = worker->stop(SIGTERM, 65s);
    const auto took = Clock::now() - signaled;

    ASSERT_TRUE(status) << "the worker did not exit within its grace\n" << worker->log();
    EXPECT_EQ(status->code, 0) << worker->log();
    // Far inside the 60 s grace: nothing was retried (a bound for slow machines, not a timing).
    EXPECT_LT(took, 20s) << worker->log();
    EXPECT_NE(worker->log().find("nothing to deliver"), std::string::npos) << worker->log();
    EXPECT_EQ(worker->log().find("s to report"), std::string::npos) << worker->log();
}

TEST_F(WorkerManagerGoneTest, IdleWorkerInALongPollLeavesWithoutWaitingItOut) {
    start_worker("60", "60");
    ASSERT_TRUE(worker_says("registered as worker")) << worker->log();
    // Let the first long poll begin (its answer would take 60 s: there is no work).
    ASSERT_FALSE(wait_until([] { return false; }, 1500ms));

    const auto signaled = Clock::now();
    auto status = worker->stop(SIGTERM, 65s);
    const auto took = Clock::now() - signaled;

    ASSERT_TRUE(status) << worker->log();
    EXPECT_EQ(status->code, 0) << worker->log();
    EXPECT_LT(took, 20s) << worker->log();
    EXPECT_NE(worker->log().find("signed off"), std::string::npos) << worker->log();
}

TEST_F(WorkerManagerGoneTest, WorkerWithAReportToDeliverStopsAtTheEndOfItsGraceBlenderToo) {
    const fs::path starts = scratch / "starts.txt";
    submit({{"frames", {{"1", "hang"}}}, {"starts_file", starts.string()}}, "1");
    start_worker("6");
    ASSERT_TRUE(worker_says("rendering frames 1")) << worker->log();
    ASSERT_TRUE(wait_until([&] { return !first_line(starts).empty(); }, 30s));
    const pid_t blender = std::stoi(first_line(starts));
    auto stopped = manager->stop(SIGKILL, 15s);
    ASSERT_TRUE(stopped) << manager->log();

    const auto signaled = Clock::now();
    auto status = worker->stop(SIGTERM, 30s);
    const auto took = Clock::now() - signaled;

    ASSERT_TRUE(status) << "the worker did not exit\n" << worker->log();
    // The frame's end could not be told, so it stopped at once; the release waits in the
    // outbox, which the worker tried to deliver for its grace and then said so.
    EXPECT_LT(took, 6s + 5s) << worker->log();
    EXPECT_NE(status->code, 0) << worker->log();
    EXPECT_NE(worker->log().find("deliver 1 report"), std::string::npos) << worker->log();
    EXPECT_NE(worker->log().find("finished reports wait in"), std::string::npos) << worker->log();
    errno = 0;
    EXPECT_EQ(::kill(blender, 0), -1) << "Blender " << blender << " is still running";
    EXPECT_EQ(errno, ESRCH);
}

}  // namespace
}  // namespace spotfarm::test

// `spotfarm worker` as a process: real HTTP against a manager stand-in on loopback, the
// stand-in Blender (tests/data/fake_blender.py) for frames whose timing the test controls, and
// real signals.
#include <csignal>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "fake_manager.h"
#include "support/scratch_dir.h"
#include "util/subprocess.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using Calls = std::vector<FakeManager::Call>;

class WorkerCliTest : public ::testing::Test {
protected:
    // A task of job 7 whose scene is the stand-in Blender's behaviour.
    json task(int id, const std::string& frames, json behaviour = json::object()) {
        behaviour["starts_file"] = (scratch / "starts.txt").string();
        std::ofstream(scratch / "scene.json") << behaviour.dump();
        return json{{"task_id", id},
                    {"job_id", 7},
                    {"frames", frames},
                    {"job",
                     {{"scene", (scratch / "scene.json").string()},
                      {"output", (scratch / "out" / "frame_####").string()},
                      {"stall_timeout_s", 60}}}};
    }
    void start(std::vector<std::string> extra = {},
               std::vector<std::pair<std::string, std::string>> env = {}) {
        std::vector<std::string> argv = {SPOTFARM_EXE,   "worker",
                                         "--manager",    manager.url(),
                                         "--token",      "join-token",
                                         "--name",       "w1",
                                         "--state-dir",  (scratch / "state").string(),
                                         "--blender",    SPOTFARM_TEST_DATA "/fake_blender.py",
                                         "--claim-wait", "1"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto spawned = util::Subprocess::spawn(util::SpawnOptions{argv, std::move(env)});
        ASSERT_TRUE(spawned) << spawned.error().message;
        process.emplace(std::move(spawned).value());
    }
    // Waits for the worker to exit, keeping its log; nullopt if it does not within `timeout`.
    std::optional<util::ExitStatus> wait_exit(std::chrono::seconds timeout) {
        return process->wait_for(timeout, [this](const std::string& line) { log += line + "\n"; });
    }
    bool wait_for(const std::function<bool(const Calls&)>& done,
                  std::chrono::seconds timeout = 30s) {
        bool ok = manager.wait_until(done, timeout);
        if (process) process->read_output(lines);
        return ok;
    }
    static std::vector<std::string> paths(const Calls& calls) {
        std::vector<std::string> out;
        for (const auto& c : calls) out.push_back(c.path);
        return out;
    }
    static bool has(const Calls& calls, std::string_view ending) {
        return std::any_of(calls.begin(), calls.end(),
                           [&](const FakeManager::Call& c) { return c.path.ends_with(ending); });
    }

    ScratchDir scratch;
    FakeManager manager;
    std::optional<util::Subprocess> process;
    std::vector<std::string> lines;
    std::string log;
};

TEST_F(WorkerCliTest, SigtermMidFrameGivesTheTaskBackAtOnceAndExitsZero) {
    manager.add_task(task(1, "1-3", {{"frames", {{"2", "hang"}}}}));
    start({"--grace", "5"});
    // Frame 1 is done and frame 2 hangs: its end cannot be told, so the worker does not wait.
    ASSERT_TRUE(wait_for([](const Calls& calls) {
        return std::any_of(calls.begin(), calls.end(), [](const FakeManager::Call& c) {
            return c.path == "/tasks/1/progress" && c.body.value("frame", 0) == 2;
        });
    })) << log;

    const auto signaled = std::chrono::steady_clock::now();
    process->signal_group(SIGTERM);
    auto status = wait_exit(20s);

    ASSERT_TRUE(status.has_value()) << "the worker did not exit\n" << log;
    EXPECT_EQ(status->code, 0) << log;
    EXPECT_LT(std::chrono::steady_clock::now() - signaled, 5s) << log;
    auto releases = manager.calls("/tasks/1/release");
    ASSERT_EQ(releases.size(), 1u) << log;
    EXPECT_EQ(releases[0].body["reason"], "shutdown");
    ASSERT_EQ(releases[0].body["frames"].size(), 1u);
    EXPECT_EQ(releases[0].body["frames"][0]["frame"], 1);
    EXPECT_TRUE(manager.calls("/complete").empty());
    auto calls = paths(manager.calls());
    std::vector<std::string> tail(calls.end() - 3, calls.end());
    EXPECT_EQ(tail, (std::vector<std::string>{"/tasks/1/release", "/workers/1/drain",
                                              "/workers/1/sign-off"}));
    EXPECT_TRUE(fs::exists(scratch / "out" / "frame_0001.png"));
    EXPECT_FALSE(fs::exists(scratch / "out" / "frame_0002.png"));
    // Registration with the join token, everything after with the worker's secret.
    EXPECT_EQ(manager.calls("/workers").at(0).authorization, "Bearer join-token");
    EXPECT_EQ(releases[0].authorization, "Bearer worker-secret");
}

TEST_F(WorkerCliTest, RendersTasksReportsThemAndLeavesOnSigint) {
    manager.add_task(task(1, "1-2"));
    manager.add_task(task(2, "3"));
    start();
    ASSERT_TRUE(wait_for([](const Calls& calls) {
        return has(calls, "/tasks/1/complete") && has(calls, "/tasks/2/complete");
    })) << log;
    process->signal_group(SIGINT);
    auto status = wait_exit(20s);

    ASSERT_TRUE(status.has_value()) << log;
    EXPECT_EQ(status->code, 0) << log;
    auto completes = manager.calls("/complete");
    ASSERT_EQ(completes.size(), 2u);
    EXPECT_EQ(completes[0].body["frames"].size(), 2u);
    EXPECT_EQ(completes[0].body["attempt_id"], 100);
    for (int f : {1, 2, 3}) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%04d.png", f);
        EXPECT_TRUE(fs::exists(scratch / "out" / name)) << name;
    }
    // The second claim asked for more of job 7: its scene was still loaded.
    auto claims = manager.calls("/claim");
    ASSERT_GE(claims.size(), 2u);
    EXPECT_EQ(claims[1].body["warm_job_id"], 7);
    auto registration = manager.calls("/workers").at(0).body;
    EXPECT_EQ(registration["name"], "w1");
    EXPECT_EQ(registration["blender_version"], "9.9.9");
    EXPECT_GE(registration["cores"].get<int>(), 1);
    EXPECT_EQ(manager.calls("/sign-off").size(), 1u);
}

TEST_F(WorkerCliTest, BlenderOutputThatIsNotUtf8DoesNotEndTheWorker) {
    // Frame 1 prints an emoji and a stray Latin-1 byte, then renders for 3 s: long enough for a
    // progress call to carry that line.
    // Both tasks read the one scene file: frame 2 renders plainly.
    const json behaviour = {{"frames", {{"1", "mojibake"}}}};
    manager.add_task(task(1, "1", behaviour));
    manager.add_task(task(2, "2", behaviour));
    start();
    ASSERT_TRUE(wait_for([](const Calls& calls) { return has(calls, "/tasks/2/complete"); }))
        << log;

    EXPECT_EQ(manager.calls("/tasks/1/complete").size(), 1u);
    std::string sent;
    for (const auto& call : manager.calls("/tasks/1/progress")) {
        sent += call.body.value("log", "");
    }
    // The emoji arrives as it was, the stray byte as U+FFFD.
    EXPECT_NE(sent.find("Fra:1 caf\xC3\xA9 \xF0\x9F\x98\x80 caf\xEF\xBF\xBD latin-1"),
              std::string::npos)
        << sent;
    process->signal_group(SIGTERM);
    auto status = wait_exit(20s);
    ASSERT_TRUE(status.has_value()) << log;
    EXPECT_EQ(status->code, 0) << log;
}

TEST_F(WorkerCliTest, RetriesAManagerThatIsNotReadyYet) {
    manager.fail_first(3);
    manager.add_task(task(1, "1"));
    start();
    ASSERT_TRUE(wait_for([](const Calls& calls) { return has(calls, "/tasks/1/complete"); }))
        << log;
    process->signal_group(SIGTERM);
    auto status = wait_exit(20s);
    ASSERT_TRUE(status.has_value()) << log;
    EXPECT_EQ(status->code, 0) << log;
    EXPECT_EQ(manager.calls("/workers").size(), 4u);  // three refused, one accepted
}

TEST_F(WorkerCliTest, RefusedTokenEndsTheWorkerWithAClearMessage) {
    manager.refuse_tokens(true);
    start();
    auto status = wait_exit(20s);

    ASSERT_TRUE(status.has_value()) << log;
    EXPECT_EQ(status->code, 2) << log;
    EXPECT_NE(log.find("refused the worker's token"), std::string::npos) << log;
    EXPECT_NE(log.find("SPOTFARM_JOIN_TOKEN"), std::string::npos) << log;
    EXPECT_EQ(manager.calls("/workers").size(), 1u);  // not retried
}

TEST_F(WorkerCliTest, MissingTokenIsAUsageError) {
    auto run = util::run_capture({SPOTFARM_EXE, "worker", "--manager", manager.url()}, 30s,
                                 {{"SPOTFARM_TOKEN", ""}, {"SPOTFARM_JOIN_TOKEN", ""}});
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->status.code, 2);
    EXPECT_NE(run->output.find("--token or SPOTFARM_JOIN_TOKEN"), std::string::npos) << run->output;
    EXPECT_TRUE(manager.calls().empty());
}

TEST_F(WorkerCliTest, BlenderSeesNoneOfTheWorkersSecrets) {
    const fs::path env_file = scratch / "blender-env.json";
    manager.add_task(task(1, "1", {{"env_file", env_file.string()}}));
    start({}, {{"SPOTFARM_TOKEN", "people-secret"},
               {"SPOTFARM_JOIN_TOKEN", "join-secret"},
               {"AWS_SECRET_ACCESS_KEY", "aws-secret"},
               {"AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"},
               {"CUDA_VISIBLE_DEVICES", "0"},
               {"LC_ALL", "C.UTF-8"}});
    ASSERT_TRUE(wait_for([](const Calls& calls) { return has(calls, "/tasks/1/complete"); }))
        << log;

    std::ifstream in(env_file);
    ASSERT_TRUE(in) << "Blender wrote no environment";
    const json env = json::parse(in);
    for (const char* secret :
         {"SPOTFARM_TOKEN", "SPOTFARM_JOIN_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"}) {
        EXPECT_FALSE(env.contains(secret)) << secret;
    }
    const std::string text = env.dump();
    for (const char* value : {"people-secret", "join-secret", "aws-secret", "AKIAEXAMPLE"}) {
        EXPECT_EQ(text.find(value), std::string::npos) << value << " in " << text;
    }
    ASSERT_TRUE(env.contains("PATH")) << text;
    // The worker's PATH, which a Python launcher (pyenv) may have put more in front of.
    EXPECT_NE(env["PATH"].get<std::string>().find(std::getenv("PATH")), std::string::npos) << text;
    EXPECT_EQ(env.value("CUDA_VISIBLE_DEVICES", ""), "0");
    EXPECT_EQ(env.value("LC_ALL", ""), "C.UTF-8");
    EXPECT_EQ(env.value("PYTHONUNBUFFERED", ""), "1");
    process->signal_group(SIGTERM);
    auto status = wait_exit(20s);
    ASSERT_TRUE(status.has_value()) << log;
    EXPECT_EQ(status->code, 0) << log;
}

}  // namespace
}  // namespace spotfarm::test

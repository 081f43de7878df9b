// The local provider with stand-in workers (/bin/sh, /bin/sleep), so it is tested apart from the
// real worker: its own process group, its id in the environment and command line, SIGTERM then
// SIGKILL after the grace, and nothing left running when the provider goes.
#include "providers/local_provider.h"

#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::providers {
namespace {

using namespace std::chrono_literals;

bool process_exists(pid_t pid) {
    return ::kill(pid, 0) == 0;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Waits up to 5 s for a file to exist, the stand-in's sign that it has set its traps.
bool wait_for_file(const std::filesystem::path& path) {
    for (int i = 0; i < 500; ++i) {
        if (std::filesystem::exists(path)) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

// Whether a process runs (exists and is not a zombie).
bool running(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string id, name, state;
    stat >> id >> name >> state;
    return stat && state != "Z";
}

// Polls list_workers() until `id` is stopped or `limit` passes.
std::optional<WorkerInstance> wait_stopped(LocalProvider& provider, const std::string& id,
                                           std::chrono::milliseconds limit = 5000ms) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        auto workers = provider.list_workers();
        if (!workers.ok()) return std::nullopt;
        for (const auto& worker : *workers)
            if (worker.id == id && worker.state == WorkerState::stopped) return worker;
        std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
}

TEST(LocalProvider, StartsWorkersInTheirOwnGroupWithTheirIdAndLogs) {
    spotfarm::test::ScratchDir dir;
    LocalProviderOptions options;
    options.command = {"/bin/sh", "-c",
                       "echo \"id=$SPOTFARM_INSTANCE_ID arg=$0 token=$SPOTFARM_JOIN_TOKEN\"; "
                       "echo oops >&2; exec sleep 30",
                       "{id}"};
    options.env = {{"SPOTFARM_JOIN_TOKEN", "jt-secret"}};
    options.log_dir = dir.path() / "logs";
    LocalProvider provider(util::steady_clock(), options);

    auto started = provider.start_workers({.count = 2, .tags = {{"spotfarm:job", "3"}}});
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_EQ(started->started.size(), 2u);
    const WorkerInstance& first = started->started[0];
    EXPECT_EQ(first.id, "local-1");
    EXPECT_EQ(started->started[1].id, "local-2");
    EXPECT_EQ(first.state, WorkerState::running);
    EXPECT_EQ(first.kind, "local");
    EXPECT_FALSE(first.interruptible);
    EXPECT_EQ(first.tags.at("spotfarm:job"), "3");
    EXPECT_EQ(first.tags.at("spotfarm:fleet"), "local");

    const pid_t pid = provider.pid_of("local-1").value();
    EXPECT_EQ(::getpgid(pid), pid);  // leads its own group
    EXPECT_NE(::getpgid(pid), ::getpgrp());

    const auto log = options.log_dir / "local-2.log";
    for (int i = 0; i < 500 && read_file(log).find("oops") == std::string::npos; ++i)
        std::this_thread::sleep_for(10ms);
    EXPECT_EQ(read_file(log), "id=local-2 arg=local-2 token=jt-secret\noops\n");

    auto workers = provider.list_workers();
    ASSERT_TRUE(workers.ok());
    EXPECT_EQ(workers->size(), 2u);
}

TEST(LocalProvider, StopSendsSigtermToTheGroupWithoutWaiting) {
    LocalProviderOptions options;
    options.command = {"/bin/sleep", "30"};
    options.stop_grace = 10s;
    LocalProvider provider(util::steady_clock(), options);
    ASSERT_TRUE(provider.start_workers({.count = 2}).ok());
    const pid_t pid = provider.pid_of("local-1").value();

    const auto before = std::chrono::steady_clock::now();
    ASSERT_TRUE(provider.stop_workers({"local-1"}).ok());
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
    auto stopped = wait_stopped(provider, "local-1");
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->reason, "killed by signal 15 (Terminated)");
    EXPECT_FALSE(process_exists(pid));
    EXPECT_TRUE(provider.pid_of("local-2"));  // the other one runs on

    EXPECT_FALSE(provider.stop_workers({"local-9"}).ok());
}

TEST(LocalProvider, KillsAWorkerThatIgnoresSigtermAfterTheGrace) {
    spotfarm::test::ScratchDir dir;
    LocalProviderOptions options;
    // The shell and the sleep it starts both ignore SIGTERM (ignored signals survive exec).
    options.command = {"/bin/sh", "-c", "trap '' TERM; touch \"$0\"; sleep 30; true",
                       (dir.path() / "{id}.ready").string()};
    options.stop_grace = 300ms;
    LocalProvider provider(util::steady_clock(), options);
    ASSERT_TRUE(provider.start_workers({.count = 1}).ok());
    ASSERT_TRUE(wait_for_file(dir.path() / "local-1.ready"));
    ASSERT_TRUE(provider.stop_workers({"local-1"}).ok());

    std::this_thread::sleep_for(100ms);
    auto workers = provider.list_workers();
    ASSERT_TRUE(workers.ok());
    EXPECT_EQ(workers->at(0).state, WorkerState::stopping);  // SIGTERM did nothing

    auto stopped = wait_stopped(provider, "local-1");
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->reason, "killed by signal 9 (Killed)");
}

TEST(LocalProvider, StopAllDrainsThenKillsAndReportsHours) {
    spotfarm::test::ScratchDir dir;
    LocalProviderOptions options;
    options.command = {"/bin/sh", "-c",
                       "trap 'exit 0' TERM; touch \"$0\"; while :; do sleep 0.05; done",
                       (dir.path() / "{id}.ready").string()};
    options.stop_grace = 5s;
    LocalProvider provider(util::steady_clock(), options);
    ASSERT_TRUE(provider.start_workers({.count = 3}).ok());
    for (const char* id : {"local-1", "local-2", "local-3"})
        ASSERT_TRUE(wait_for_file(dir.path() / (std::string(id) + ".ready")));
    const auto before = std::chrono::steady_clock::now();
    ASSERT_TRUE(provider.stop_all().ok());
    EXPECT_LT(std::chrono::steady_clock::now() - before, 4s);  // they left on SIGTERM
    auto workers = provider.list_workers();
    ASSERT_TRUE(workers.ok());
    for (const auto& worker : *workers) {
        EXPECT_EQ(worker.state, WorkerState::stopped);
        EXPECT_EQ(worker.reason, "exit code 0");  // drained on SIGTERM, not killed
    }
    auto cost = provider.cost_so_far();
    ASSERT_TRUE(cost.ok());
    EXPECT_GT(cost->instance_hours, 0);
    EXPECT_LT(cost->instance_hours, 3 * 30.0 / 3600);
    EXPECT_EQ(cost->usd, 0);
}

TEST(LocalProvider, AWorkerThatExitsIsReportedStoppedWithItsExitCode) {
    LocalProviderOptions options;
    options.command = {"/bin/sh", "-c", "exit 3"};
    LocalProvider provider(util::steady_clock(), options);
    ASSERT_TRUE(provider.start_workers({.count = 1}).ok());
    auto stopped = wait_stopped(provider, "local-1");
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->reason, "exit code 3");
}

TEST(LocalProvider, NothingOutlivesTheProvider) {
    pid_t leader = 0;
    pid_t grandchild = 0;
    spotfarm::test::ScratchDir dir;
    {
        LocalProviderOptions options;
        // The worker starts a child of its own in the same group, as a worker might.
        options.command = {"/bin/sh", "-c", "sleep 30 & echo $! > \"$0\"; wait",
                           (dir.path() / "child.pid").string()};
        LocalProvider provider(util::steady_clock(), options);
        ASSERT_TRUE(provider.start_workers({.count = 1}).ok());
        leader = provider.pid_of("local-1").value();
        for (int i = 0; i < 500 && read_file(dir.path() / "child.pid").empty(); ++i)
            std::this_thread::sleep_for(10ms);
        grandchild = std::stoi(read_file(dir.path() / "child.pid"));
        EXPECT_TRUE(running(grandchild));
    }
    EXPECT_FALSE(process_exists(leader));
    // The worker's own child is not ours to reap: once killed it is gone, or a zombie that
    // init has yet to reap.
    for (int i = 0; i < 200 && running(grandchild); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_FALSE(running(grandchild));
}

TEST(LocalProvider, SameRequestIdStartsNothingTwiceAndABadCommandFails) {
    LocalProviderOptions options;
    options.command = {"/bin/sleep", "30"};
    LocalProvider provider(util::steady_clock(), options);
    auto first = provider.start_workers({.count = 2, .request_id = "r1"});
    auto again = provider.start_workers({.count = 2, .request_id = "r1"});
    ASSERT_TRUE(first.ok() && again.ok());
    EXPECT_EQ(again->started.size(), 2u);
    EXPECT_EQ(provider.list_workers()->size(), 2u);

    LocalProviderOptions missing;
    missing.command = {"/nonexistent/spotfarm", "worker"};
    LocalProvider broken(util::steady_clock(), missing);
    auto failed = broken.start_workers({.count = 1});
    ASSERT_FALSE(failed.ok());
    EXPECT_NE(failed.error().message.find("cannot start the local worker '/nonexistent/spotfarm'"),
              std::string::npos)
        << failed.error().message;
}

TEST(LocalProvider, WorkerOptionsPutTheTokenInTheEnvironment) {
    const auto options =
        local_worker_options("/opt/spotfarm", "http://127.0.0.1:8700", "jt-1", {"--cores", "2"});
    EXPECT_EQ(options.command, (std::vector<std::string>{"/opt/spotfarm", "worker", "--manager",
                                                         "http://127.0.0.1:8700", "--cores", "2"}));
    ASSERT_EQ(options.env.size(), 1u);
    EXPECT_EQ(options.env[0].first, "SPOTFARM_JOIN_TOKEN");
    EXPECT_EQ(options.env[0].second, "jt-1");
}

}  // namespace
}  // namespace spotfarm::providers

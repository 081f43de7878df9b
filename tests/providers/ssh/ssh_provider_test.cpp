#include "providers/ssh/ssh_provider.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/fake_sessions.h"
#include "support/recording_runner.h"

namespace spotfarm::providers::ssh {
namespace {

using namespace std::chrono_literals;

bool contains(const std::vector<std::string>& argv, const std::string& item) {
    return std::find(argv.begin(), argv.end(), item) != argv.end();
}

class SshProviderTest : public ::testing::Test {
protected:
    SshProviderTest() {
        options.hosts = {
            SshHost{.name = "pc1",
                    .address = "10.0.0.1",
                    .user = "render",
                    .port = 2222,
                    .key = "/keys/farm",
                    .blender = "/opt/b/blender"},
            SshHost{
                .name = "pc2", .address = "nat-box", .reverse_tunnel = true, .tunnel_port = 19000}};
        options.manager_url = "http://10.0.0.100:8420";
        options.tunnel_target = "127.0.0.1:8420";
        options.join_token = "secret";
        options.local_spotfarm = "/usr/bin/spotfarm";
        options.local_version = "spotfarm 1.2.3";
        options.ssh.control_dir = "/run/cm";
        options.stop_grace = 30s;
    }
    SshProvider& provider() {
        if (!m_provider)
            m_provider = std::make_unique<SshProvider>(runner, sessions, clock, options);
        return *m_provider;
    }
    // Both hosts have this spotfarm already.
    void versions_match(int hosts = 2) {
        for (int i = 0; i < hosts; ++i) runner.answer("ssh", 0, "spotfarm 1.2.3\n");
    }

    SshOptions options;
    test::RecordingRunner runner;
    test::FakeSessions sessions;
    util::FakeClock clock;

private:
    std::unique_ptr<SshProvider> m_provider;
};

TEST_F(SshProviderTest, StartsAWorkerUnderAnSshSessionPerHost) {
    versions_match();
    auto started = provider().start_workers({.count = 2});
    ASSERT_TRUE(started) << started.error().message;
    ASSERT_EQ(started->started.size(), 2u);
    EXPECT_EQ(started->started[0].id, "pc1-1");
    EXPECT_EQ(started->started[1].id, "pc2-2");
    EXPECT_TRUE(runner.calls_of("scp").empty()) << "the same version is there already";

    ASSERT_EQ(sessions.started.size(), 2u);
    const auto& pc1 = sessions.started[0]->argv;
    EXPECT_EQ(pc1.front(), "ssh");
    for (const char* option : {"ControlMaster=auto", "ControlPath=/run/cm/%C", "BatchMode=yes",
                               "User=render", "IdentityFile=/keys/farm", "-tt", "2222"})
        EXPECT_TRUE(contains(pc1, option)) << option;
    EXPECT_FALSE(contains(pc1, "-R"));
    const std::string& remote = pc1.back();
    EXPECT_EQ(remote.rfind("echo $$; ", 0), 0u) << remote;
    EXPECT_NE(remote.find("exec \"$HOME\"/'.local/bin/spotfarm' worker --manager "
                          "'http://10.0.0.100:8420' --name 'pc1-1' --blender '/opt/b/blender'"),
              std::string::npos)
        << remote;
    EXPECT_NE(remote.find("SPOTFARM_JOIN_TOKEN='secret'"), std::string::npos);
    EXPECT_EQ(pc1[pc1.size() - 3], "10.0.0.1");
    EXPECT_EQ(pc1[pc1.size() - 2], "--");
}

TEST_F(SshProviderTest, AHostBehindNatGetsTheManagerThroughAReverseTunnel) {
    versions_match();
    ASSERT_TRUE(provider().start_workers({.count = 2}));
    const auto& pc2 = sessions.started.at(1)->argv;
    auto r = std::find(pc2.begin(), pc2.end(), "-R");
    ASSERT_NE(r, pc2.end());
    EXPECT_EQ(*(r + 1), "19000:127.0.0.1:8420");
    EXPECT_TRUE(contains(pc2, "ExitOnForwardFailure=yes"));
    EXPECT_NE(pc2.back().find("--manager 'http://127.0.0.1:19000'"), std::string::npos);
}

TEST_F(SshProviderTest, CopiesTheBinaryWhereTheVersionDiffers) {
    runner.answer("ssh", 127, "sh: 1: spotfarm: not found\n");  // --version
    runner.answer("ssh", 0, "");                                // mkdir -p
    runner.answer("ssh", 0, "spotfarm 1.2.3\n");                // chmod, mv, --version
    options.companions = {"/usr/lib/spotfarm/spotfarm_frame_check.so"};
    auto started = provider().start_workers({.count = 1});
    ASSERT_TRUE(started) << started.error().message;
    const auto scp = runner.calls_of("scp");
    ASSERT_EQ(scp.size(), 2u);
    EXPECT_EQ(scp[1].argv.back(), "10.0.0.1:.local/bin/spotfarm_frame_check.so");
    EXPECT_EQ(scp[0].argv[scp[0].argv.size() - 2], "/usr/bin/spotfarm");
    EXPECT_EQ(scp[0].argv.back(), "10.0.0.1:.local/bin/spotfarm.part");
    EXPECT_TRUE(contains(scp[0].argv, "-P"));
    const auto ssh = runner.calls_of("ssh");
    ASSERT_EQ(ssh.size(), 3u);
    EXPECT_EQ(ssh[1].argv.back(), "mkdir -p \"$HOME\"/'.local/bin'");
    EXPECT_NE(ssh[2].argv.back().find("mv -f"), std::string::npos);
}

TEST_F(SshProviderTest, ACopyThatDoesNotRunThereSaysWhy) {
    options.hosts.resize(1);
    runner.answer("ssh", 0, "spotfarm 0.9\n");
    runner.answer("ssh", 0, "");
    runner.answer("ssh", 126, "cannot execute binary file: Exec format error\n");
    auto started = provider().start_workers({.count = 1});
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("architecture"), std::string::npos);
    EXPECT_TRUE(sessions.started.empty());
}

TEST_F(SshProviderTest, AnUnreachableHostIsRetriedWithBackOff) {
    options.hosts.resize(1);
    options.retry_base = 10s;
    runner.answer("ssh", 255, "ssh: connect to host 10.0.0.1 port 2222: Connection refused\n");
    auto started = provider().start_workers({.count = 1});
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("Connection refused"), std::string::npos);

    // Within the back-off nothing is tried.
    auto again = provider().start_workers({.count = 1});
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->started.empty());
    EXPECT_EQ(runner.calls_of("ssh").size(), 1u);

    clock.advance(10s);
    runner.answer("ssh", 255, "Connection refused\n");
    EXPECT_FALSE(provider().start_workers({.count = 1}));
    clock.advance(10s);  // the second failure doubled the wait
    ASSERT_TRUE(provider().start_workers({.count = 1}));
    EXPECT_EQ(runner.calls_of("ssh").size(), 2u);
    clock.advance(10s);
    versions_match(1);
    again = provider().start_workers({.count = 1});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->started.size(), 1u);
}

TEST_F(SshProviderTest, ADroppedSessionStopsTheWorkerAndBacksOffItsHost) {
    options.hosts.resize(1);
    versions_match(1);
    ASSERT_TRUE(provider().start_workers({.count = 1}));
    auto listed = provider().list_workers();
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->at(0).state, WorkerState::running) << "the pid was printed";

    sessions.started[0]->exit_code = 255;  // the connection dropped
    listed = provider().list_workers();
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->at(0).state, WorkerState::stopped);
    EXPECT_NE(listed->at(0).reason.find("retried"), std::string::npos);
    auto none = provider().start_workers({.count = 1});
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->started.empty());
    clock.advance(options.retry_base);
    versions_match(1);
    auto back = provider().start_workers({.count = 1});
    ASSERT_TRUE(back);
    ASSERT_EQ(back->started.size(), 1u);
    EXPECT_EQ(back->started[0].id, "pc1-2");
}

TEST_F(SshProviderTest, StopSendsSigtermOverSshThenEndsTheSessionAfterTheGrace) {
    options.hosts.resize(1);
    versions_match(1);
    ASSERT_TRUE(provider().start_workers({.count = 1}));
    ASSERT_FALSE(provider().stop_workers({"pc9-1"}));
    ASSERT_TRUE(provider().stop_workers({"pc1-1"}));
    const auto ssh = runner.calls_of("ssh");
    EXPECT_EQ(ssh.back().argv.back(), "kill -TERM 4242");
    auto listed = provider().list_workers();
    EXPECT_EQ(listed->at(0).state, WorkerState::stopping);
    EXPECT_FALSE(sessions.started[0]->killed);
    clock.advance(30s);
    listed = provider().list_workers();
    EXPECT_TRUE(sessions.started[0]->killed);
    listed = provider().list_workers();
    EXPECT_EQ(listed->at(0).state, WorkerState::stopped);
    EXPECT_EQ(listed->at(0).reason, "stopped");
}

TEST_F(SshProviderTest, StopAllEndsSessionsAndSharedConnections) {
    versions_match();
    ASSERT_TRUE(provider().start_workers({.count = 2}));
    for (auto& session : sessions.started) session->exit_code = 0;  // they drained and left
    ASSERT_TRUE(provider().stop_all());
    const auto ssh = runner.calls_of("ssh");
    int closed = 0;
    for (const auto& call : ssh)
        if (contains(call.argv, "-O") && contains(call.argv, "exit")) ++closed;
    EXPECT_EQ(closed, 2);
    auto listed = provider().list_workers();
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    for (const auto& worker : *listed) EXPECT_EQ(worker.state, WorkerState::stopped);
}

}  // namespace
}  // namespace spotfarm::providers::ssh

#include "util/subprocess.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

namespace spotfarm::util {

using namespace std::chrono_literals;

namespace {
std::vector<std::string> sh(const std::string& script) {
    return {"/bin/sh", "-c", script};
}

// True while `pid` runs; a zombie waiting for init to reap it counts as gone.
bool process_running(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto paren = text.rfind(')');
    return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z';
}

// Reads until the child printed a first line (or 5 s passed).
std::vector<std::string> first_line(Subprocess& child) {
    std::vector<std::string> lines;
    for (int i = 0; i < 500 && lines.empty(); ++i) {
        (void)wait_readable(std::vector<int>{child.output_fd()}, 10ms);
        child.read_output(lines);
    }
    return lines;
}
}  // namespace

TEST(Subprocess, CapturesStdoutAndStderrInOrder) {
    auto r = run_capture(sh("echo one; echo two >&2; printf three"), 10s);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->status.success());
    EXPECT_EQ(r->output, "one\ntwo\nthree\n");
    EXPECT_GT(r->status.peak_memory_kb, 0);
}

TEST(Subprocess, ReportsExitCodeAndSignal) {
    auto exited = run_capture(sh("exit 7"), 10s);
    ASSERT_TRUE(exited.ok());
    EXPECT_EQ(exited->status.code, 7);
    EXPECT_EQ(exited->status.describe(), "exit code 7");
    auto killed = run_capture(sh("kill -9 $$"), 10s);
    ASSERT_TRUE(killed.ok());
    EXPECT_EQ(killed->status.signal, SIGKILL);
    EXPECT_NE(killed->status.describe().find("signal 9"), std::string::npos);
}

TEST(Subprocess, MissingProgramIsAnError) {
    auto r = run_capture({"/nonexistent/blender", "--version"}, 10s);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("/nonexistent/blender"), std::string::npos);
    EXPECT_NE(r.error().message.find("No such file"), std::string::npos);
}

TEST(Subprocess, TimeoutKillsTheCommand) {
    auto start = std::chrono::steady_clock::now();
    auto r = run_capture(sh("sleep 30"), 200ms);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("did not finish"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(Subprocess, EnvironmentAndWorkingDirectory) {
    auto dir = std::filesystem::temp_directory_path();
    SpawnOptions options;
    options.argv = sh("echo \"$SPOTFARM_TEST_VALUE\"; pwd");
    options.env = {{"SPOTFARM_TEST_VALUE", "hello world"}};
    options.cwd = dir;
    auto child = Subprocess::spawn(options);
    ASSERT_TRUE(child.ok()) << child.error().message;
    std::vector<std::string> lines;
    auto st = child->wait_for(10s, [&](const std::string& l) { lines.push_back(l); });
    ASSERT_TRUE(st.has_value());
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "hello world");
    EXPECT_EQ(std::filesystem::canonical(lines[1]), std::filesystem::canonical(dir));
}

TEST(Subprocess, ChildRunsInItsOwnProcessGroup) {
    auto child = Subprocess::spawn({sh("sleep 5")});
    ASSERT_TRUE(child.ok());
    EXPECT_EQ(::getpgid(child->pid()), child->pid());
    EXPECT_NE(::getpgid(child->pid()), ::getpgrp());
}

TEST(Subprocess, ExtraPipesReachTheChildUnderChosenNumbers) {
    auto request = make_pipe();
    auto reply = make_pipe();
    ASSERT_TRUE(request.ok() && reply.ok());
    SpawnOptions options;
    // The child reads a line on fd 4 and answers on fd 3: numbers the parent's pipes may
    // themselves occupy, so the mapping must not clobber them.
    options.argv = sh("read line <&4; echo \"got $line\" >&3");
    options.child_fds = {{reply->write.get(), 3}, {request->read.get(), 4}};
    auto child = Subprocess::spawn(options);
    ASSERT_TRUE(child.ok()) << child.error().message;
    reply->write.reset();
    request->read.reset();
    ASSERT_TRUE(write_all(request->write.get(), "ping\n").ok());
    auto st = child->wait_for(10s);
    ASSERT_TRUE(st && st->success());
    char buf[64] = {};
    ssize_t n = ::read(reply->read.get(), buf, sizeof buf - 1);
    EXPECT_EQ(std::string(buf, n > 0 ? n : 0), "got ping\n");
}

TEST(Subprocess, WritingToAPipeWhoseReaderIsGoneIsAnErrorNotASignal) {
    auto pipe = make_pipe();
    ASSERT_TRUE(pipe.ok());
    pipe->read.reset();
    auto st = write_all(pipe->write.get(), "hello?\n");
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("Broken pipe"), std::string::npos);
}

TEST(Subprocess, DestructorKillsTheWholeGroup) {
    pid_t grandchild = -1;
    {
        auto child = Subprocess::spawn({sh("sleep 30 & echo $!; wait")});
        ASSERT_TRUE(child.ok());
        auto lines = first_line(*child);
        ASSERT_FALSE(lines.empty());
        grandchild = std::stoi(lines[0]);
        EXPECT_TRUE(process_running(grandchild));
    }
    // The grandchild was killed with the group; it is reparented to init, which reaps it soon.
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        gone = !process_running(grandchild);
        if (!gone) ::usleep(10'000);
    }
    EXPECT_TRUE(gone);
}

TEST(Subprocess, TerminateEscalatesToKill) {
    auto child = Subprocess::spawn({sh("trap '' TERM; echo ready; while :; do sleep 1; done")});
    ASSERT_TRUE(child.ok());
    ASSERT_FALSE(first_line(*child).empty());
    auto st = child->terminate(100ms);
    EXPECT_EQ(st.signal, SIGKILL);
    EXPECT_EQ(child->exit_status()->signal, SIGKILL);
}

TEST(Subprocess, TerminateStopsAWillingChildWithTerm) {
    auto child = Subprocess::spawn({sh("exec sleep 30")});
    ASSERT_TRUE(child.ok());
    auto st = child->terminate(5s);
    EXPECT_EQ(st.signal, SIGTERM);
}

TEST(Subprocess, WaitForTimesOutWhileTheChildRuns) {
    auto child = Subprocess::spawn({sh("exec sleep 30")});
    ASSERT_TRUE(child.ok());
    EXPECT_FALSE(child->wait_for(50ms).has_value());
    EXPECT_FALSE(child->poll_exit().has_value());
}

}  // namespace spotfarm::util

namespace spotfarm::util {

TEST(Subprocess, OutputFileTakesStdoutAndStderrAppended) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("spotfarm-output-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(file);
    for (const char* word : {"first", "second"}) {
        SpawnOptions options;
        options.argv = sh(std::string("echo ") + word + "; echo err >&2");
        options.output_file = file;
        auto child = Subprocess::spawn(options);
        ASSERT_TRUE(child.ok()) << child.error().message;
        EXPECT_EQ(child->output_fd(), -1);
        auto status = child->wait_for(10s);
        ASSERT_TRUE(status);
        EXPECT_TRUE(status->success());
    }
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "first\nerr\nsecond\nerr\n");
    std::filesystem::remove(file);
}

TEST(Subprocess, OutputFileThatCannotBeOpenedIsAnError) {
    SpawnOptions options;
    options.argv = sh("true");
    options.output_file = "/nonexistent-folder/x.log";
    auto child = Subprocess::spawn(options);
    ASSERT_FALSE(child.ok());
    EXPECT_NE(child.error().message.find("/nonexistent-folder/x.log"), std::string::npos);
}

}  // namespace spotfarm::util

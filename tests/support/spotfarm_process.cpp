#include "support/spotfarm_process.h"

#include <signal.h>

#include <thread>

#include <gtest/gtest.h>

namespace spotfarm::test {

SpotfarmProcess::SpotfarmProcess(std::vector<std::string> args,
                                 std::vector<std::pair<std::string, std::string>> env) {
    args.insert(args.begin(), SPOTFARM_EXE);
    auto spawned = util::Subprocess::spawn({.argv = std::move(args), .env = std::move(env)});
    EXPECT_TRUE(spawned) << spawned.error().message;
    if (spawned) m_child.emplace(std::move(spawned).value());
}

bool SpotfarmProcess::running() {
    return m_child && !exited();
}

void SpotfarmProcess::pump() {
    if (!m_child) return;
    std::vector<std::string> lines;
    m_child->read_output(lines);
    for (const auto& line : lines) m_log += line + "\n";
}

const std::string& SpotfarmProcess::log() {
    pump();
    return m_log;
}

std::optional<util::ExitStatus> SpotfarmProcess::stop(int signal,
                                                      std::chrono::milliseconds timeout) {
    if (!m_child) return std::nullopt;
    if (!m_child->exit_status()) ::kill(m_child->pid(), signal);
    return m_child->wait_for(timeout, [this](const std::string& line) { m_log += line + "\n"; });
}

std::optional<util::ExitStatus> SpotfarmProcess::exited() {
    if (!m_child) return std::nullopt;
    pump();
    return m_child->poll_exit();
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit,
                const std::function<void()>& each) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        if (each) each();
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace spotfarm::test

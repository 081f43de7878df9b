#pragma once
// A real `spotfarm manager` process on loopback (port 0, its own state folder), and the people
// commands run as processes against it, as a user would run them.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"
#include "util/subprocess.h"

namespace spotfarm::test {

using namespace std::chrono_literals;

struct CliRun {
    int code = -1;
    std::string output;  // stdout and stderr as they came
};

class FarmCliTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::filesystem::create_directories(scratch / "home");
        auto spawned = util::Subprocess::spawn(
            {{SPOTFARM_EXE, "manager", "--state-dir", state().string(), "--listen", "127.0.0.1:0",
              "--port-file", (scratch / "port").string()}});
        ASSERT_TRUE(spawned) << spawned.error().message;
        manager.emplace(std::move(spawned).value());
        auto deadline = std::chrono::steady_clock::now() + 30s;
        std::string port;
        while (port.empty() && std::chrono::steady_clock::now() < deadline) {
            drain_manager();
            ASSERT_FALSE(manager->poll_exit()) << "the manager exited:\n" << manager_log();
            std::ifstream(scratch / "port") >> port;
            if (port.empty()) std::this_thread::sleep_for(20ms);
        }
        ASSERT_FALSE(port.empty()) << "the manager wrote no port file:\n" << manager_log();
        url = "http://127.0.0.1:" + port;
    }

    void TearDown() override {
        if (manager) manager->terminate(10s);
    }

    std::filesystem::path state() const { return scratch / "state"; }
    std::filesystem::path people_token() const { return state() / "people.token"; }

    // The environment of a user who set nothing: no variables, no config file.
    std::vector<std::pair<std::string, std::string>> bare_env() const {
        return {{"HOME", (scratch / "home").string()},
                {"XDG_CONFIG_HOME", ""},
                {"SPOTFARM_MANAGER", ""},
                {"SPOTFARM_TOKEN", ""},
                {"SPOTFARM_TOKEN_FILE", ""},
                {"SPOTFARM_CONFIG", ""}};
    }

    // The connection from the environment: the URL and the manager's own people.token file.
    std::vector<std::pair<std::string, std::string>> farm_env() const {
        auto env = bare_env();
        for (auto& [name, value] : env) {
            if (name == "SPOTFARM_MANAGER") value = url;
            if (name == "SPOTFARM_TOKEN_FILE") value = people_token().string();
        }
        return env;
    }

    CliRun run_with(std::vector<std::pair<std::string, std::string>> env,
                    std::vector<std::string> args) {
        args.insert(args.begin(), SPOTFARM_EXE);
        auto done = util::run_capture(args, 60s, env);
        drain_manager();
        if (!done) {
            ADD_FAILURE() << "spotfarm " << args[1] << ": " << done.error().message;
            return {};
        }
        return {done->status.code, done->output};
    }
    CliRun run(std::vector<std::string> args) { return run_with(farm_env(), std::move(args)); }

    // `spotfarm ARGS --json`, parsed; null (and a test failure) when it fails.
    nlohmann::json run_json(std::vector<std::string> args) {
        args.push_back("--json");
        CliRun r = run(args);
        EXPECT_EQ(r.code, 0) << r.output;
        auto parsed = nlohmann::json::parse(r.output, nullptr, false);
        EXPECT_FALSE(parsed.is_discarded()) << r.output;
        return parsed.is_discarded() ? nlohmann::json() : parsed;
    }

    // The line of a table whose first word is `first`, split into words.
    static std::vector<std::string> row(const std::string& table, const std::string& first) {
        std::istringstream lines(table);
        for (std::string line; std::getline(lines, line);) {
            std::istringstream in(line);
            std::vector<std::string> words;
            for (std::string w; in >> w;) words.push_back(w);
            if (!words.empty() && words[0] == first) return words;
        }
        return {};
    }

    std::string manager_log() {
        drain_manager();
        std::string log;
        for (const auto& line : manager_lines) log += line + "\n";
        return log;
    }

    ScratchDir scratch;
    std::optional<util::Subprocess> manager;
    std::vector<std::string> manager_lines;
    std::string url;

private:
    // The manager's log pipe must not fill up, or the manager would block on it.
    void drain_manager() {
        if (manager) manager->read_output(manager_lines);
    }
};

}  // namespace spotfarm::test

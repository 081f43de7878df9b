#pragma once
// A real farm on loopback for integration tests: a `spotfarm manager` process (port 0, its own
// state folder) and `spotfarm worker` processes joined to it. Each process's output is read on a
// thread of its own, so no process ever blocks on a full pipe, and is kept for failure messages.

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "util/result.h"
#include "util/subprocess.h"

namespace spotfarm::test {

// A `spotfarm ARGS...` child, terminated (and its output kept) when this goes away.
class LoopbackProcess {
public:
    static util::Result<std::unique_ptr<LoopbackProcess>> start(std::vector<std::string> args);
    ~LoopbackProcess();
    LoopbackProcess(const LoopbackProcess&) = delete;
    LoopbackProcess& operator=(const LoopbackProcess&) = delete;

    std::string log() const;
    bool exited() const { return m_exited; }

private:
    explicit LoopbackProcess(util::Subprocess child);
    util::Subprocess m_child;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_exited{false};
    std::thread m_reader;
};

class LoopbackFarm {
public:
    // Starts the manager under `dir` (state in dir/state) and waits for its port.
    static util::Result<std::unique_ptr<LoopbackFarm>> start(const std::filesystem::path& dir);

    // Starts a worker named `name` (state in dir/NAME) with extra arguments such as --blender.
    util::Status add_worker(const std::string& name, std::vector<std::string> extra = {});

    const std::string& url() const { return m_url; }
    const std::string& people_token() const { return m_people_token; }
    std::filesystem::path people_token_file() const { return m_dir / "state" / "people.token"; }
    // The manager's and the workers' output, for failure messages.
    std::string logs() const;

private:
    explicit LoopbackFarm(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    std::filesystem::path m_dir;
    std::string m_url;
    std::string m_people_token;
    std::string m_join_token;
    std::vector<std::unique_ptr<LoopbackProcess>> m_workers;  // stop before the manager
    std::unique_ptr<LoopbackProcess> m_manager;
};

}  // namespace spotfarm::test

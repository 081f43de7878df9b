#pragma once
// The farm on one machine, as `spotfarm render` runs it: a manager process on loopback with its
// state beside the output, N local `spotfarm worker` processes, and the manager's HTTP API to
// submit the job and follow it. Every part is the same program a 100-machine farm runs.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/http_client.h"
#include "util/result.h"
#include "util/subprocess.h"

namespace spotfarm::cli {

struct LocalFarmOptions {
    std::filesystem::path spotfarm_exe;  // the binary to start managers and workers from
    std::filesystem::path state_dir;     // the manager's state (SQLite, tokens) and worker logs
    int workers = 1;
    std::string blender;                 // passed to workers; empty: found on PATH
    std::chrono::seconds lease_timeout{30};
};

// Answers of the manager's JSON API.
struct ApiAnswer {
    int status = 0;
    nlohmann::json body;
};

class LocalFarm {
public:
    // Starts the manager and waits until it listens. Fails with the manager's own words when it
    // does not come up.
    static util::Result<std::unique_ptr<LocalFarm>> start(LocalFarmOptions options);
    ~LocalFarm();  // stops workers (drain) and the manager

    const std::string& url() const { return m_url; }

    // Starts the workers (once the job is in the queue, so none waits for nothing).
    util::Status start_workers();
    // Restarts workers that exited on their own; returns how many were restarted.
    int revive_workers();
    // Workers running now.
    int running_workers();

    // A call to the API with the people token. `body` null: no body.
    util::Result<ApiAnswer> call(const std::string& method, const std::string& path,
                                 const nlohmann::json& body = nullptr);

    // Drains the workers (SIGTERM: they hand back their tasks) and stops the manager.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

    // Passes the children's output on to their log files; call often.
    void pump_logs();

private:
    explicit LocalFarm(LocalFarmOptions options);
    util::Status spawn_worker(std::size_t index);

    struct Child {
        std::optional<util::Subprocess> process;
        std::filesystem::path log_path;
        int restarts = 0;
    };

    LocalFarmOptions m_options;
    util::CurlHttpClient m_http;
    std::string m_url;
    std::string m_people_token;
    std::string m_join_token;
    Child m_manager;
    std::vector<Child> m_workers;
};

}  // namespace spotfarm::cli

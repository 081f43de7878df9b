#pragma once
// The `local` provider: workers are child processes on this machine (`spotfarm worker --manager
// URL ...`), each the leader of its own process group. Stopping one sends SIGTERM to its group
// (the worker drains: it hands back its task and signs off) and SIGKILL once the grace has passed
// without an exit. Destroying the provider kills and reaps every worker still running, so no
// worker outlives the process that started it; call stop_all() first for a clean drain.
//
// Each worker learns its id from SPOTFARM_INSTANCE_ID (core/instance_identity.h), and "{id}" in
// the command line is replaced by it. Workers also die with the process that started them, even
// when it is killed with SIGKILL (util/parent_death.h): a farm on this machine never leaves
// workers behind. Thread-safe.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "providers/provider.h"
#include "util/clock.h"
#include "util/dedicated_thread.h"
#include "util/subprocess.h"

namespace spotfarm::providers {

struct LocalProviderOptions {
    std::vector<std::string> command;  // program (looked up on PATH without a slash) and args
    // Set in each worker's environment, over this process's own.
    std::vector<std::pair<std::string, std::string>> env;
    // Each worker's stdout and stderr go to log_dir/ID.log (created); empty: /dev/null.
    std::filesystem::path log_dir;
    std::chrono::milliseconds stop_grace{30000};  // SIGTERM, then SIGKILL after this
    std::string fleet_id = "local";               // the spotfarm:fleet tag of its workers
};

// The command and environment of a local `spotfarm worker`. The join token travels in the
// environment (SPOTFARM_JOIN_TOKEN), not on the command line where every user could read it.
LocalProviderOptions local_worker_options(const std::filesystem::path& spotfarm_exe,
                                          const std::string& manager_url,
                                          const std::string& join_token,
                                          std::vector<std::string> extra_args = {});

class LocalProvider final : public Provider {
public:
    // `clock` dates the workers (wall time) and times the stop grace; it must outlive this.
    LocalProvider(const util::Clock& clock, LocalProviderOptions options);
    ~LocalProvider() override;
    LocalProvider(const LocalProvider&) = delete;
    LocalProvider& operator=(const LocalProvider&) = delete;

    std::string_view name() const override { return "local"; }
    util::Result<StartResult> start_workers(const StartRequest& request) override;
    // Reaps workers that exited and escalates to SIGKILL where a stop's grace ran out.
    util::Result<std::vector<WorkerInstance>> list_workers() override;
    // SIGTERM now; SIGKILL at a later list_workers() (or stop_all()) once the grace has passed.
    util::Status stop_workers(const std::vector<std::string>& ids) override;
    // SIGTERM to every worker, waits up to the grace for them to exit, then SIGKILL. Blocks.
    util::Status stop_all() override;
    // Instance-hours; local workers cost nothing.
    util::Result<CostReport> cost_so_far() override;

    // The process id of a worker still running, for tests and diagnostics.
    std::optional<pid_t> pid_of(const std::string& id) const;

private:
    struct Child {
        WorkerInstance instance;
        std::optional<util::Subprocess> process;  // its own process group; reaped once stopped
        std::optional<util::Clock::time_point> kill_at;
        std::optional<std::chrono::system_clock::time_point> ended_at;
    };

    util::Result<Child> spawn(const std::string& id, const StartRequest& request);
    // Reaps the children that exited; SIGKILL where kill_at has passed. Caller holds m_mutex.
    void poll_children();

    const util::Clock& m_clock;
    LocalProviderOptions m_options;
    mutable std::mutex m_mutex;
    std::vector<Child> m_children;
    std::map<std::string, std::vector<std::string>> m_requests;  // request id -> worker ids
    int m_next_id = 1;
    util::DedicatedThread m_spawner;  // every worker is forked here (see spawn())
};

}  // namespace spotfarm::providers

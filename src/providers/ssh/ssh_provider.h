#pragma once
// The `ssh` provider: one worker on each host of a hosts file, started with OpenSSH's own `ssh`
// (one shared connection per host, ControlMaster) and running under that SSH session, so the
// host is left as it was once the session ends. Before the first start on a host it compares
// `spotfarm --version` there with this one and copies this binary over (scp) when they differ.
// A host with reverse_tunnel reaches the manager through `ssh -R` on the same connection. A
// stop sends SIGTERM to the worker over SSH (it drains) and ends the session after the grace.
// A session that ends unasked (the host dropped) leaves its host out of starts for a back-off
// that doubles with each failure in a row. Thread-safe; every program runs through
// CommandRunner and SessionStarter, so the logic is tested without SSH.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "providers/command_runner.h"
#include "providers/provider.h"
#include "providers/ssh/ssh_command.h"
#include "providers/ssh/ssh_host.h"
#include "providers/ssh/ssh_session.h"
#include "util/clock.h"

namespace spotfarm::providers::ssh {

struct SshOptions {
    std::vector<SshHost> hosts;
    std::string fleet_id = "ssh";
    std::string manager_url;    // what hosts without a tunnel are told
    std::string tunnel_target;  // "HOST:PORT" of the manager as seen from here, for ssh -R
    std::string join_token;     // handed to each worker in its environment
    std::filesystem::path local_spotfarm;  // copied to hosts that lack this version
    // Copied beside it (the frame-check module the worker loads from its own folder).
    std::vector<std::filesystem::path> companions;
    std::string local_version;             // `spotfarm --version` here ("spotfarm 0.3.0")
    std::vector<std::string> worker_args;  // more arguments for every worker; "{id}": its id
    std::filesystem::path log_dir;         // each session's output: ID.log
    SshCommandOptions ssh;
    std::chrono::milliseconds stop_grace{30000};  // SIGTERM over SSH, then the session ends
    util::Clock::duration retry_base = std::chrono::seconds(10);
    util::Clock::duration retry_max = std::chrono::minutes(5);
};

// The remote command that runs the worker for `host` under the session: it prints its pid,
// then becomes the worker.
std::string worker_command(const SshOptions& options, const SshHost& host, const std::string& id);

class SshProvider final : public Provider {
public:
    // `runner`, `sessions` and `clock` must outlive the provider.
    SshProvider(CommandRunner& runner, SessionStarter& sessions, const util::Clock& clock,
                SshOptions options);
    ~SshProvider() override;  // ends every session and shared connection
    SshProvider(const SshProvider&) = delete;
    SshProvider& operator=(const SshProvider&) = delete;

    std::string_view name() const override { return "ssh"; }
    // Starts workers on hosts that have none and are not waiting out a back-off, in file order.
    util::Result<StartResult> start_workers(const StartRequest& request) override;
    util::Result<std::vector<WorkerInstance>> list_workers() override;
    util::Status stop_workers(const std::vector<std::string>& ids) override;
    // Stops every worker, waits up to the grace, ends the sessions and connections. Blocks.
    util::Status stop_all() override;
    util::Result<CostReport> cost_so_far() override;

private:
    struct Worker {
        WorkerInstance instance;
        size_t host = 0;
        std::unique_ptr<Session> session;
        std::optional<util::Clock::time_point> stop_asked;
        std::optional<std::chrono::system_clock::time_point> ended_at;
    };
    struct HostState {
        int failures = 0;  // in a row
        std::optional<util::Clock::time_point> retry_at;
        bool binary_checked = false;
    };

    util::Result<Worker> start_on(size_t host, const StartRequest& request);
    util::Status ensure_binary(const SshHost& host);
    util::Result<CommandOutput> ssh(const SshHost& host, const std::string& remote,
                                    std::chrono::milliseconds timeout);
    void host_failed(size_t host);
    void signal_worker(Worker& worker, const char* signal);
    // Notes ended sessions and ends those whose stop grace passed. Caller holds m_mutex.
    void poll();
    bool live(const Worker& worker) const;

    CommandRunner& m_runner;
    SessionStarter& m_sessions;
    const util::Clock& m_clock;
    SshOptions m_options;
    std::mutex m_mutex;
    std::vector<HostState> m_hosts;
    std::vector<Worker> m_workers;
    std::map<std::string, std::vector<std::string>> m_requests;
    int m_next = 1;
};

}  // namespace spotfarm::providers::ssh

#include "providers/ssh/ssh_provider.h"

#include <algorithm>
#include <thread>

#include "core/instance_identity.h"

namespace spotfarm::providers::ssh {

namespace {

constexpr auto k_command_timeout = std::chrono::seconds(60);
constexpr auto k_copy_timeout = std::chrono::minutes(10);
constexpr int k_default_tunnel_port = 18420;

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
    return text;
}

}  // namespace

std::string worker_command(const SshOptions& options, const SshHost& host, const std::string& id) {
    const std::string manager =
        host.reverse_tunnel
            ? "http://127.0.0.1:" +
                  std::to_string(host.tunnel_port > 0 ? host.tunnel_port : k_default_tunnel_port)
            : options.manager_url;
    std::vector<std::string> tags = host.tags;
    if (host.gpu) tags.push_back("gpu");
    if (host.cores > 0) tags.push_back("cores=" + std::to_string(host.cores));
    std::string command = "echo $$; SPOTFARM_JOIN_TOKEN=" + shell_quote(options.join_token) + " " +
                          std::string(core::k_instance_id_variable) + "=" + shell_quote(id) +
                          " exec " + remote_path(spotfarm_path(host)) + " worker --manager " +
                          shell_quote(manager) + " --name " + shell_quote(id);
    if (!host.blender.empty()) command += " --blender " + remote_path(host.blender);
    if (!tags.empty()) command += " --tags " + shell_quote(joined(tags, ","));
    for (std::string arg : options.worker_args) {
        for (size_t at = arg.find("{id}"); at != std::string::npos; at = arg.find("{id}", at))
            arg.replace(at, 4, id);
        command += " " + shell_quote(arg);
    }
    return command;
}

SshProvider::SshProvider(CommandRunner& runner, SessionStarter& sessions, const util::Clock& clock,
                         SshOptions options)
    : m_runner(runner),
      m_sessions(sessions),
      m_clock(clock),
      m_options(std::move(options)),
      m_hosts(m_options.hosts.size()) {}

SshProvider::~SshProvider() {
    std::lock_guard lock(m_mutex);
    for (auto& worker : m_workers)
        if (worker.session && !worker.session->poll()) worker.session->kill();
    for (const auto& host : m_options.hosts)
        (void)m_runner.run(ssh_close(host, m_options.ssh), {}, std::chrono::seconds(10));
}

util::Result<CommandOutput> SshProvider::ssh(const SshHost& host, const std::string& remote,
                                             std::chrono::milliseconds timeout) {
    auto argv = ssh_base(host, m_options.ssh);
    argv.insert(argv.end(), {"--", remote});
    auto ran = m_runner.run(argv, {}, timeout);
    if (!ran) {
        return util::make_error(
            "cannot run ssh (" + ran.error().message + "): install OpenSSH's client",
            util::ErrorKind::unavailable);
    }
    return ran;
}

util::Status SshProvider::ensure_binary(const SshHost& host) {
    const std::string there = spotfarm_path(host);
    auto version = ssh(host, remote_path(there) + " --version", k_command_timeout);
    if (!version) return version.error();
    // ssh exits 255 when it cannot connect or log in; the remote command's own code otherwise.
    if (version->exit_code == 255) {
        return util::make_error(
            "cannot reach " + host.name + " over ssh: " + trimmed(version->output),
            util::ErrorKind::unavailable);
    }
    if (version->exit_code == 0 && trimmed(version->output) == m_options.local_version) return {};
    if (m_options.local_spotfarm.empty()) {
        return util::make_error(host.name + " has no " + m_options.local_version + " at " + there +
                                    " and there is no binary to copy",
                                util::ErrorKind::unavailable);
    }
    const std::string part = there + ".part";
    const size_t slash = there.find_last_of('/');
    if (slash != std::string::npos && slash > 0) {
        auto made = ssh(host, "mkdir -p " + remote_path(there.substr(0, slash)), k_command_timeout);
        if (!made) return made.error();
    }
    std::vector<std::pair<std::filesystem::path, std::string>> copies = {
        {m_options.local_spotfarm, part}};
    const std::string folder = slash == std::string::npos ? "" : there.substr(0, slash + 1);
    for (const auto& companion : m_options.companions)
        copies.emplace_back(companion, folder + companion.filename().string());
    for (const auto& [local, remote] : copies) {
        auto copied = m_runner.run(scp_to(host, m_options.ssh, local, remote), {}, k_copy_timeout);
        if (!copied) return util::make_error("cannot run scp: " + copied.error().message);
        if (copied->exit_code != 0) {
            return util::make_error("cannot copy " + local.filename().string() + " to " +
                                        host.name + ":" + remote + ": " + trimmed(copied->output),
                                    util::ErrorKind::unavailable);
        }
    }
    auto placed = ssh(host,
                      "chmod 755 " + remote_path(part) + " && mv -f " + remote_path(part) + " " +
                          remote_path(there) + " && " + remote_path(there) + " --version",
                      k_command_timeout);
    if (!placed) return placed.error();
    if (placed->exit_code != 0 || trimmed(placed->output) != m_options.local_version) {
        return util::make_error("spotfarm was copied to " + host.name + ":" + there +
                                    " but does not run there (" + trimmed(placed->output) +
                                    "): is the host another CPU architecture or an older libc?",
                                util::ErrorKind::unavailable);
    }
    return {};
}

util::Result<SshProvider::Worker> SshProvider::start_on(size_t index, const StartRequest& request) {
    const SshHost& host = m_options.hosts[index];
    if (!m_hosts[index].binary_checked) {
        if (auto ready = ensure_binary(host); !ready) return ready.error();
        m_hosts[index].binary_checked = true;
    }
    const std::string id = host.name + "-" + std::to_string(m_next++);
    auto argv = ssh_base(host, m_options.ssh);
    // A terminal, so that the worker gets SIGHUP should the session end before it was stopped.
    argv.insert(argv.end() - 1, "-tt");
    if (host.reverse_tunnel) {
        const int port = host.tunnel_port > 0 ? host.tunnel_port : k_default_tunnel_port;
        argv.insert(argv.end() - 1, {"-o", "ExitOnForwardFailure=yes", "-R",
                                     std::to_string(port) + ":" + m_options.tunnel_target});
    }
    argv.insert(argv.end(), {"--", worker_command(m_options, host, id)});
    auto session = m_sessions.start(argv, {}, (m_options.log_dir / (id + ".log")).string());
    if (!session) return util::make_error("cannot start ssh: " + session.error().message);
    Worker worker;
    worker.host = index;
    worker.session = std::move(session).value();
    worker.instance.id = id;
    worker.instance.state = WorkerState::starting;
    worker.instance.kind = "ssh";
    worker.instance.zone = host.name;
    worker.instance.address = host.address;
    worker.instance.tags = request.tags;
    worker.instance.tags["spotfarm:fleet"] = m_options.fleet_id;
    worker.instance.started_at = m_clock.wall_now();
    return worker;
}

void SshProvider::host_failed(size_t index) {
    HostState& host = m_hosts[index];
    ++host.failures;
    auto wait = m_options.retry_base;
    for (int i = 1; i < host.failures && wait < m_options.retry_max; ++i) wait *= 2;
    host.retry_at = m_clock.now() + std::min(wait, m_options.retry_max);
    host.binary_checked = false;
}

bool SshProvider::live(const Worker& worker) const {
    return worker.instance.state != WorkerState::stopped;
}

util::Result<StartResult> SshProvider::start_workers(const StartRequest& request) {
    if (request.count < 1) return util::make_error("start at least one worker");
    std::lock_guard lock(m_mutex);
    poll();
    StartResult result;
    if (!request.request_id.empty()) {
        if (auto it = m_requests.find(request.request_id); it != m_requests.end()) {
            for (const auto& worker : m_workers)
                if (std::count(it->second.begin(), it->second.end(), worker.instance.id))
                    result.started.push_back(worker.instance);
            return result;
        }
    }
    const auto now = m_clock.now();
    std::vector<std::string> ids;
    std::vector<std::string> failures;
    for (size_t i = 0; i < m_options.hosts.size() && static_cast<int>(ids.size()) < request.count;
         ++i) {
        const bool busy = std::any_of(m_workers.begin(), m_workers.end(),
                                      [&](const Worker& w) { return w.host == i && live(w); });
        if (busy || (m_hosts[i].retry_at && now < *m_hosts[i].retry_at)) continue;
        auto worker = start_on(i, request);
        if (!worker) {
            host_failed(i);
            failures.push_back(m_options.hosts[i].name + ": " + worker.error().message);
            continue;
        }
        ids.push_back(worker->instance.id);
        result.started.push_back(worker->instance);
        m_workers.push_back(std::move(worker).value());
    }
    if (ids.empty() && !failures.empty())
        return util::make_error(joined(failures, "; "), util::ErrorKind::unavailable);
    result.notes = failures;
    if (static_cast<int>(ids.size()) < request.count)
        result.notes.push_back("started " + std::to_string(ids.size()) + " of " +
                               std::to_string(request.count) +
                               ": the other hosts are busy or wait to be retried");
    if (!request.request_id.empty()) m_requests[request.request_id] = ids;
    return result;
}

void SshProvider::poll() {
    const auto now = m_clock.now();
    for (auto& worker : m_workers) {
        if (!live(worker)) continue;
        if (auto ended = worker.session->poll()) {
            worker.instance.state = WorkerState::stopped;
            worker.ended_at = m_clock.wall_now();
            if (worker.stop_asked) {
                worker.instance.reason = "stopped";
                m_hosts[worker.host] =
                    HostState{0, std::nullopt, m_hosts[worker.host].binary_checked};
            } else {
                worker.instance.reason = "the ssh session ended (exit code " +
                                         std::to_string(*ended) + "); the host is retried later";
                host_failed(worker.host);
            }
            continue;
        }
        if (worker.instance.state == WorkerState::starting &&
            !worker.session->first_line().empty()) {
            worker.instance.state = WorkerState::running;
            m_hosts[worker.host].failures = 0;
        }
        if (worker.stop_asked && now >= *worker.stop_asked + m_options.stop_grace)
            worker.session->kill();
    }
}

util::Result<std::vector<WorkerInstance>> SshProvider::list_workers() {
    std::lock_guard lock(m_mutex);
    poll();
    std::vector<WorkerInstance> workers;
    for (const auto& worker : m_workers) workers.push_back(worker.instance);
    return workers;
}

void SshProvider::signal_worker(Worker& worker, const char* signal) {
    std::string pid = trimmed(worker.session->first_line());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) {
        worker.session->kill();  // not started yet: ending the session ends it
        return;
    }
    auto sent = ssh(m_options.hosts[worker.host], std::string("kill -") + signal + " " + pid,
                    std::chrono::seconds(15));
    if (!sent || sent->exit_code != 0) worker.session->kill();
}

util::Status SshProvider::stop_workers(const std::vector<std::string>& ids) {
    std::lock_guard lock(m_mutex);
    std::vector<Worker*> targets;
    for (const auto& id : ids) {
        auto it = std::find_if(m_workers.begin(), m_workers.end(),
                               [&](const Worker& w) { return w.instance.id == id; });
        if (it == m_workers.end()) {
            return util::make_error("worker " + id + " is not one of this fleet's SSH workers",
                                    util::ErrorKind::not_found);
        }
        targets.push_back(&*it);
    }
    for (Worker* worker : targets) {
        if (!live(*worker) || worker->stop_asked) continue;
        worker->stop_asked = m_clock.now();
        worker->instance.state = WorkerState::stopping;
        signal_worker(*worker, "TERM");
    }
    return {};
}

util::Status SshProvider::stop_all() {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& worker : m_workers)
            if (live(worker)) ids.push_back(worker.instance.id);
    }
    if (auto stopped = stop_workers(ids); !stopped) return stopped;
    constexpr auto k_step = std::chrono::milliseconds(50);
    for (auto waited = std::chrono::milliseconds(0); waited < m_options.stop_grace;
         waited += k_step) {
        {
            std::lock_guard lock(m_mutex);
            poll();
            if (std::none_of(m_workers.begin(), m_workers.end(),
                             [this](const Worker& w) { return live(w); }))
                break;
        }
        std::this_thread::sleep_for(k_step);
    }
    std::lock_guard lock(m_mutex);
    for (auto& worker : m_workers) {
        if (!live(worker)) continue;
        worker.session->kill();
        worker.instance.state = WorkerState::stopped;
        worker.instance.reason = "stopped (the session was ended after the grace)";
        worker.ended_at = m_clock.wall_now();
    }
    for (const auto& host : m_options.hosts)
        (void)m_runner.run(ssh_close(host, m_options.ssh), {}, std::chrono::seconds(10));
    return {};
}

util::Result<CostReport> SshProvider::cost_so_far() {
    std::lock_guard lock(m_mutex);
    poll();
    CostReport report;
    const auto now = m_clock.wall_now();
    for (const auto& worker : m_workers) {
        const auto start = worker.instance.started_at.value_or(now);
        report.instance_hours +=
            std::chrono::duration<double>(worker.ended_at.value_or(now) - start).count() / 3600;
    }
    return report;
}

}  // namespace spotfarm::providers::ssh

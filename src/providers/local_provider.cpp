#include "providers/local_provider.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "core/instance_identity.h"
#include "util/parent_death.h"

namespace spotfarm::providers {
namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

}  // namespace

LocalProviderOptions local_worker_options(const std::filesystem::path& spotfarm_exe,
                                          const std::string& manager_url,
                                          const std::string& join_token,
                                          std::vector<std::string> extra_args) {
    LocalProviderOptions options;
    options.command = {spotfarm_exe.string(), "worker", "--manager", manager_url};
    options.command.insert(options.command.end(), extra_args.begin(), extra_args.end());
    options.env = {{"SPOTFARM_JOIN_TOKEN", join_token}};
    return options;
}

LocalProvider::LocalProvider(const util::Clock& clock, LocalProviderOptions options)
    : m_clock(clock), m_options(std::move(options)) {}

LocalProvider::~LocalProvider() {
    std::lock_guard lock(m_mutex);
    // Destroying a Subprocess kills its group and reaps it.
    m_children.clear();
}

util::Result<LocalProvider::Child> LocalProvider::spawn(const std::string& id,
                                                        const StartRequest& request) {
    if (m_options.command.empty()) return util::make_error("the local provider has no command");
    util::SpawnOptions spawn;
    for (const auto& arg : m_options.command) spawn.argv.push_back(replace_all(arg, "{id}", id));
    spawn.env = m_options.env;
    spawn.env.emplace_back(std::string(core::k_instance_id_variable), id);
    // The worker ends with this process: it sets PR_SET_PDEATHSIG when it finds this variable and
    // checks that its parent is still this pid (util/parent_death.h).
    spawn.env.emplace_back(std::string(util::k_parent_pid_variable), std::to_string(::getpid()));
    if (!m_options.log_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(m_options.log_dir, ec);
        spawn.output_file = m_options.log_dir / (id + ".log");
    } else {
        spawn.output_file = "/dev/null";
    }
    // PR_SET_PDEATHSIG fires when the *thread* that forked the child ends, not the process: every
    // worker is forked from the one thread of m_spawner, which lives as long as this provider.
    auto process = m_spawner.run([&] { return util::Subprocess::spawn(spawn); });
    if (!process) {
        return util::make_error("cannot start the local worker '" + spawn.argv[0] +
                                "': " + process.error().message);
    }
    Child child;
    child.process.emplace(std::move(process).value());
    child.instance.id = id;
    child.instance.state = WorkerState::running;
    child.instance.kind = "local";
    child.instance.address = "127.0.0.1";
    child.instance.tags = request.tags;
    child.instance.tags["spotfarm:fleet"] = m_options.fleet_id;
    child.instance.started_at = m_clock.wall_now();
    return child;
}

util::Result<StartResult> LocalProvider::start_workers(const StartRequest& request) {
    if (request.count < 1) return util::make_error("start at least one worker");
    std::lock_guard lock(m_mutex);
    StartResult result;
    if (!request.request_id.empty()) {
        if (auto it = m_requests.find(request.request_id); it != m_requests.end()) {
            for (const auto& child : m_children)
                if (std::count(it->second.begin(), it->second.end(), child.instance.id))
                    result.started.push_back(child.instance);
            return result;
        }
    }
    std::vector<std::string> ids;
    for (int i = 0; i < request.count; ++i) {
        auto child = spawn("local-" + std::to_string(m_next_id), request);
        if (!child.ok()) {
            if (result.started.empty()) return child.error();
            result.notes.push_back("started " + std::to_string(result.started.size()) + " of " +
                                   std::to_string(request.count) + ": " + child.error().message);
            break;
        }
        ++m_next_id;
        ids.push_back(child->instance.id);
        result.started.push_back(child->instance);
        m_children.push_back(std::move(*child));
    }
    if (!request.request_id.empty()) m_requests[request.request_id] = ids;
    return result;
}

void LocalProvider::poll_children() {
    const auto now = m_clock.now();
    for (auto& child : m_children) {
        if (!child.process || child.instance.state == WorkerState::stopped) continue;
        // poll_exit() kills what is left of the worker's group before it reaps the leader.
        if (auto ended = child.process->poll_exit()) {
            child.instance.reason = ended->describe();
            child.instance.state = WorkerState::stopped;
            child.kill_at.reset();
            child.ended_at = m_clock.wall_now();
        } else if (child.kill_at && now >= *child.kill_at) {
            child.process->signal_group(SIGKILL);
        }
    }
}

util::Result<std::vector<WorkerInstance>> LocalProvider::list_workers() {
    std::lock_guard lock(m_mutex);
    poll_children();
    std::vector<WorkerInstance> workers;
    for (const auto& child : m_children) workers.push_back(child.instance);
    return workers;
}

util::Status LocalProvider::stop_workers(const std::vector<std::string>& ids) {
    std::lock_guard lock(m_mutex);
    std::vector<Child*> targets;
    for (const auto& id : ids) {
        auto it = std::find_if(m_children.begin(), m_children.end(),
                               [&](const Child& c) { return c.instance.id == id; });
        if (it == m_children.end())
            return util::make_error("worker " + id + " is not one of this machine's local workers");
        targets.push_back(&*it);
    }
    const auto kill_at = m_clock.now() + m_options.stop_grace;
    for (Child* child : targets) {
        if (child->instance.state == WorkerState::stopped || child->kill_at) continue;
        child->process->signal_group(SIGTERM);
        child->kill_at = kill_at;
        child->instance.state = WorkerState::stopping;
    }
    return {};
}

util::Status LocalProvider::stop_all() {
    std::lock_guard lock(m_mutex);
    const auto kill_at = m_clock.now() + m_options.stop_grace;
    for (auto& child : m_children) {
        if (child.instance.state == WorkerState::stopped) continue;
        if (!child.kill_at) child.process->signal_group(SIGTERM);
        if (!child.kill_at || *child.kill_at > kill_at) child.kill_at = kill_at;
        child.instance.state = WorkerState::stopping;
    }
    auto running = [this] {
        return std::any_of(m_children.begin(), m_children.end(),
                           [](const Child& c) { return c.instance.state != WorkerState::stopped; });
    };
    // Counted in steps rather than read off the clock, so a clock that stands still cannot hold
    // this wait open for ever.
    constexpr auto k_step = std::chrono::milliseconds(20);
    for (auto waited = std::chrono::milliseconds(0); waited < m_options.stop_grace;
         waited += k_step) {
        poll_children();
        if (!running()) return {};
        std::this_thread::sleep_for(k_step);
    }
    for (auto& child : m_children) {
        if (child.instance.state == WorkerState::stopped) continue;
        child.process->signal_group(SIGKILL);
    }
    for (int i = 0; i < 250 && running(); ++i) {
        poll_children();
        std::this_thread::sleep_for(k_step);
    }
    return {};
}

util::Result<CostReport> LocalProvider::cost_so_far() {
    std::lock_guard lock(m_mutex);
    poll_children();
    CostReport report;
    const auto now = m_clock.wall_now();
    for (const auto& child : m_children) {
        const auto start = child.instance.started_at.value_or(now);
        const auto end = child.ended_at.value_or(now);
        report.instance_hours += std::chrono::duration<double>(end - start).count() / 3600;
    }
    return report;
}

std::optional<pid_t> LocalProvider::pid_of(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    for (const auto& child : m_children)
        if (child.instance.id == id && child.instance.state != WorkerState::stopped)
            return child.process->pid();
    return std::nullopt;
}

}  // namespace spotfarm::providers

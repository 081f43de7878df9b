#include "providers/slurm/slurm_provider.h"

#include <algorithm>
#include <filesystem>

#include "providers/slurm/batch_script.h"
#include "providers/slurm/queue_listing.h"
#include "util/atomic_file.h"

namespace spotfarm::providers::slurm {

namespace {

constexpr auto k_command_timeout = std::chrono::seconds(60);

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r'))
        text.pop_back();
    return text;
}

// sbatch --parsable prints "JOBID" or "JOBID;CLUSTER".
std::optional<std::string> job_id_of(const std::string& output) {
    std::string id = trimmed(output);
    id = id.substr(id.find_last_of('\n') == std::string::npos ? 0 : id.find_last_of('\n') + 1);
    id = id.substr(0, id.find(';'));
    if (id.empty() ||
        !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return id;
}

}  // namespace

SlurmProvider::SlurmProvider(CommandRunner& runner, const util::Clock& clock, SlurmOptions options)
    : m_runner(runner), m_clock(clock), m_options(std::move(options)) {}

util::Result<CommandOutput> SlurmProvider::run(const std::vector<std::string>& argv,
                                               const CommandEnv& env) {
    auto ran = m_runner.run(argv, env, k_command_timeout);
    if (!ran) {
        return util::make_error("cannot run " + argv[0] + " (" + ran.error().message +
                                    "): is Slurm's client installed and on PATH?",
                                util::ErrorKind::unavailable);
    }
    if (ran->exit_code != 0) {
        return util::make_error(describe_command(argv) + " failed (exit code " +
                                    std::to_string(ran->exit_code) + "): " + trimmed(ran->output),
                                util::ErrorKind::unavailable);
    }
    return ran;
}

util::Result<StartResult> SlurmProvider::start_workers(const StartRequest& request) {
    if (request.count < 1) return util::make_error("start at least one worker");
    std::lock_guard lock(m_mutex);
    StartResult result;
    if (!request.request_id.empty()) {
        if (auto it = m_requests.find(request.request_id); it != m_requests.end()) {
            for (const auto& id : it->second) result.started.push_back(m_known[id]);
            return result;
        }
    }
    auto script = batch_script(m_options, request.count);
    if (!script) return script.error();
    const auto path =
        m_options.work_dir / "scripts" /
        (job_name(m_options) + "-" + std::to_string(m_clock.wall_now().time_since_epoch().count()) +
         "-" + std::to_string(++m_scripts) + ".sh");
    std::error_code ec;
    std::filesystem::create_directories(m_options.work_dir / "logs", ec);
    std::filesystem::create_directories(path.parent_path(), ec);
    if (auto written = util::write_file_atomic(path, *script); !written) return written.error();
    auto submitted = run({"sbatch", "--parsable", path.string()}, m_options.env);
    if (!submitted) return submitted.error();
    const auto job = job_id_of(submitted->output);
    if (!job) {
        return util::make_error("sbatch answered '" + trimmed(submitted->output) +
                                "', not a job id: is this Slurm's sbatch?");
    }
    std::vector<std::string> ids;
    for (int i = 0; i < request.count; ++i) {
        WorkerInstance w;
        w.id = *job + "_" + std::to_string(i);
        w.state = WorkerState::starting;
        w.kind = "slurm";
        w.zone = m_options.partition;
        w.tags = request.tags;
        w.tags["spotfarm:fleet"] = m_options.fleet_id;
        w.reason = "PENDING";
        w.detail = w.reason;
        m_known[w.id] = w;
        ids.push_back(w.id);
        result.started.push_back(std::move(w));
    }
    result.notes.push_back("submitted job array " + *job + " of " + std::to_string(request.count) +
                           " workers (" + path.string() + ")");
    if (!request.request_id.empty()) m_requests[request.request_id] = ids;
    return result;
}

void SlurmProvider::note_departures(const std::vector<WorkerInstance>& listed) {
    std::vector<std::string> gone;
    for (auto& [id, known] : m_known) {
        if (known.state == WorkerState::stopped) continue;
        const bool queued = std::any_of(listed.begin(), listed.end(),
                                        [&](const WorkerInstance& w) { return w.id == id; });
        if (!queued) gone.push_back(id);
    }
    if (gone.empty()) return;
    std::string jobs;
    for (const auto& id : gone) jobs += (jobs.empty() ? "" : ",") + id;
    std::map<std::string, std::string> states;
    // sacct needs accounting storage; without it a departed task is just gone.
    auto ran = m_runner.run({"sacct", "-n", "-P", "-X", "-o", "JobID,State,ExitCode", "-j", jobs},
                            {}, k_command_timeout);
    if (ran && ran->exit_code == 0) states = parse_sacct(ran->output);
    const auto now = m_clock.wall_now();
    for (const auto& id : gone) {
        WorkerInstance& w = m_known[id];
        w.state = WorkerState::stopped;
        auto state = states.find(id);
        w.reason = state != states.end() ? state->second : "left the Slurm queue";
        w.detail = w.reason;
        m_ended.emplace(id, now);
    }
}

util::Result<std::vector<WorkerInstance>> SlurmProvider::list_workers() {
    std::lock_guard lock(m_mutex);
    auto ran =
        run({"squeue", "-h", "-r", "-n", job_name(m_options), "-o", std::string(k_squeue_format)});
    if (!ran) return ran.error();
    const auto listed = parse_squeue(ran->output);
    for (const auto& w : listed) {
        WorkerInstance& known = m_known[w.id];
        auto tags = known.tags;
        const auto started = known.started_at;
        known = w;
        known.tags = tags;
        known.tags["spotfarm:fleet"] = m_options.fleet_id;
        if (!known.started_at) known.started_at = started;
        if (known.state == WorkerState::stopped) m_ended.emplace(w.id, m_clock.wall_now());
    }
    note_departures(listed);
    std::vector<WorkerInstance> workers;
    for (const auto& [id, w] : m_known) workers.push_back(w);
    return workers;
}

util::Status SlurmProvider::stop_workers(const std::vector<std::string>& ids) {
    std::lock_guard lock(m_mutex);
    for (const auto& id : ids) {
        if (!m_known.count(id))
            return util::make_error(
                "job " + id + " is not one of fleet " + m_options.fleet_id + "'s Slurm tasks",
                util::ErrorKind::not_found);
    }
    std::vector<std::string> argv = {"scancel"};
    for (const auto& id : ids)
        if (m_known[id].state != WorkerState::stopped) argv.push_back(id);
    if (argv.size() == 1) return {};
    if (auto ran = run(argv); !ran) return ran.error();
    for (const auto& id : ids)
        if (m_known[id].state != WorkerState::stopped) m_known[id].state = WorkerState::stopping;
    return {};
}

util::Status SlurmProvider::stop_all() {
    std::lock_guard lock(m_mutex);
    if (auto ran = run({"scancel", "-n", job_name(m_options)}); !ran) return ran.error();
    for (auto& [id, w] : m_known)
        if (w.state != WorkerState::stopped) w.state = WorkerState::stopping;
    return {};
}

util::Result<CostReport> SlurmProvider::cost_so_far() {
    std::lock_guard lock(m_mutex);
    CostReport report;
    const auto now = m_clock.wall_now();
    for (const auto& [id, w] : m_known) {
        if (!w.started_at) continue;
        const auto ended = m_ended.find(id);
        const auto end = ended != m_ended.end() ? ended->second : now;
        if (end > *w.started_at)
            report.instance_hours +=
                std::chrono::duration<double>(end - *w.started_at).count() / 3600;
    }
    report.notes.push_back("Slurm time is the cluster's: no price");
    return report;
}

}  // namespace spotfarm::providers::slurm

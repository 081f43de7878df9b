#include "chaos.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "protocol/job_summary.h"
#include "support/process_scan.h"
#include "support/run_cli.h"

namespace spotfarm::test {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr Fault k_faults[] = {Fault::kill_worker, Fault::kill_blender, Fault::kill_manager,
                              Fault::pause_worker};

std::string process_name(pid_t pid) {
    return read_trimmed("/proc/" + std::to_string(pid) + "/comm");
}

// Zombie children of this process: orphans handed to it as their subreaper, once they end.
std::vector<pid_t> zombie_children() {
    std::vector<pid_t> zombies;
    const pid_t self = ::getpid();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const std::string text = read_trimmed(entry.path() / "stat");
        const auto close = text.rfind(')');
        if (close == std::string::npos || close + 2 >= text.size()) continue;
        std::istringstream fields(text.substr(close + 2));
        std::string state;
        long ppid = 0;
        fields >> state >> ppid;
        if (ppid == self && state == "Z") zombies.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return zombies;
}

std::string pid_list(const std::vector<pid_t>& pids) {
    std::string text;
    for (pid_t pid : pids) {
        text += (text.empty() ? "" : ", ") + std::to_string(pid) + " (" + process_name(pid) + ")";
    }
    return text;
}

}  // namespace

const char* fault_name(Fault fault) {
    switch (fault) {
        case Fault::kill_worker:
            return "kill_worker";
        case Fault::kill_blender:
            return "kill_blender";
        case Fault::kill_manager:
            return "kill_manager";
        case Fault::pause_worker:
            return "pause_worker";
    }
    return "?";
}

ChaosOptions chaos_options_from_environment(ChaosOptions defaults) {
    if (const char* seconds = std::getenv("SPOTFARM_CHAOS_SECONDS"); seconds && *seconds) {
        defaults.duration = std::chrono::seconds(std::atoll(seconds));
    }
    if (const char* seed = std::getenv("SPOTFARM_CHAOS_SEED"); seed && *seed) {
        defaults.seed = static_cast<unsigned>(std::strtoul(seed, nullptr, 10));
    }
    return defaults;
}

std::string ChaosFigures::describe(unsigned seed) const {
    int total = 0;
    std::string kinds;
    for (Fault kind : k_faults) {
        const int n = faults.count(kind) ? faults.at(kind) : 0;
        total += n;
        kinds +=
            (kinds.empty() ? "" : ", ") + std::string(fault_name(kind)) + " " + std::to_string(n);
    }
    std::ostringstream out;
    out << "chaos: seed " << seed << ", " << jobs << " job(s), " << frames << " frames, " << total
        << " faults (" << kinds << "), " << broken_jobs << " job(s) with a broken invariant, "
        << elapsed.count() << " s";
    return out.str();
}

ChaosFigures ChaosTest::run_chaos(const ChaosOptions& options) {
    m_options = options;
    m_random.seed(options.seed);
    const auto started = steady_clock::now();
    m_started = started;
    ChaosFigures figures;
    // Blender processes whose worker was killed come to this process instead of init, so that
    // one still running at the end is found, and none is left a zombie.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    start_manager(options.lease_seconds);
    if (HasFatalFailure()) return figures;
    for (int i = 0; i < options.workers; ++i) spawn_worker(static_cast<std::size_t>(i));

    int injected = 0;
    const bool timed = options.duration.count() > 0;
    for (int index = 1;; ++index) {
        Job job = submit_job(index, options.frames);
        if (job.id == 0) break;
        const auto deadline = steady_clock::now() + options.job_limit;
        while (job.status != "completed" && steady_clock::now() < deadline &&
               (timed || injected < options.faults)) {
            watch(job, random_span(options.min_gap, options.max_gap));
            if (job.status == "completed" || HasFatalFailure()) break;
            const Fault kind = next_fault();
            note(std::string("fault ") + fault_name(kind));
            if (inject(kind, job)) {
                ++figures.faults[kind];
                ++injected;
            }
        }
        if (HasFatalFailure()) break;
        if (finish(job, deadline))
            check(job);
        else
            job.broken.push_back("not completed within " +
                                 std::to_string(options.job_limit.count()) + " s (status '" +
                                 job.status + "')");
        ++figures.jobs;
        figures.frames += job.frames;
        for (const auto& problem : job.broken) ADD_FAILURE() << "job " << job.id << ": " << problem;
        if (!job.broken.empty()) {
            ++figures.broken_jobs;
            ADD_FAILURE() << "timeline of job " << job.id << ":\n" << m_timeline;
        }
        m_timeline.clear();
        figures.elapsed =
            std::chrono::duration_cast<std::chrono::seconds>(steady_clock::now() - started);
        std::cout << "chaos: job " << job.id << " of " << job.frames << " frames "
                  << (job.broken.empty() ? "held" : "BROKE") << "; "
                  << figures.describe(options.seed) << std::endl;
        const bool more =
            timed ? steady_clock::now() - started < options.duration : injected < options.faults;
        if (job.status != "completed" || !more) break;
    }
    stop_all();
    ::prctl(PR_SET_CHILD_SUBREAPER, 0);
    figures.elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(steady_clock::now() - started);
    return figures;
}

fs::path ChaosTest::frame_file(const Job& job, int frame) const {
    char name[32];
    std::snprintf(name, sizeof name, "f_%04d.png", frame);
    return job.out / name;
}

ChaosTest::Job ChaosTest::submit_job(int index, int frames) {
    Job job;
    job.frames = frames;
    job.out = m_dir / ("out-" + std::to_string(index));
    // Small and quick: the point is many frames and many faults, not pixels.
    const CliRun run =
        run_cli({"submit", SPOTFARM_DEMO_SCENE, "--frames", "1-" + std::to_string(frames), "-o",
                 (job.out / "f_####").string(), "--percentage", "40", "--samples", "12", "-F",
                 "PNG", "--threads", "1", "--manager", url(), "--token", m_people, "--json"},
                std::chrono::seconds(60));
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    const json answer = json::parse(run.out, nullptr, false);
    if (answer.is_object()) job.id = answer.value("id", std::int64_t{0});
    EXPECT_NE(job.id, 0) << run.out << run.err;
    return job;
}

void ChaosTest::observe(Job& job) {
    reap_orphans();
    const auto now = steady_clock::now();
    if (now - m_last_look < milliseconds(250)) return;
    m_last_look = now;
    auto [code, body] = api("GET", "/jobs/" + std::to_string(job.id));
    if (code != 200) return;  // the manager is down or starting
    auto detail = protocol::from_json<protocol::JobDetail>(body);
    if (!detail) {
        job.broken.push_back("unreadable job view: " + detail.error().message);
        return;
    }
    job.status = std::string(core::to_string(detail->summary.status));
    auto completed = detail->frames_by_status.find(core::TaskStatus::completed);
    if (completed == detail->frames_by_status.end()) return;
    for (int frame : completed->second.frames()) {
        if (job.done.count(frame) > 0) continue;
        if (auto stamp = stamp_of(frame_file(job, frame))) {
            job.done[frame] = *stamp;
            note("frame " + std::to_string(frame) + " completed, inode " +
                 std::to_string(stamp->inode) + ", mtime " + std::to_string(stamp->mtime_ns));
        } else {
            job.done[frame] = FileStamp{};
            job.broken.push_back("frame " + std::to_string(frame) +
                                 " shown completed but not on disk");
        }
    }
}

void ChaosTest::watch(Job& job, milliseconds span) {
    wait_for(
        [&] {
            observe(job);
            return false;
        },
        span);
}

bool ChaosTest::finish(Job& job, steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
    return wait_for(
        [&] {
            observe(job);
            return job.status == "completed";
        },
        std::max(left, milliseconds(0)));
}

std::vector<std::pair<std::size_t, pid_t>> ChaosTest::blenders() {
    std::vector<std::pair<std::size_t, pid_t>> found;
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        for (pid_t child : children_of(slot(i).pid())) {
            if (process_name(child).rfind("blender", 0) == 0) found.emplace_back(i, child);
        }
    }
    return found;
}

void ChaosTest::spawn_worker(std::size_t index) {
    // The same name and state folder as the worker it replaces: a machine that rebooted, with
    // whatever reports its outbox still holds.
    std::string name = "w";
    name += std::to_string(index + 1);
    m_workers.push_back(std::make_unique<SpotfarmProcess>(
        std::vector<std::string>{"worker", "--manager", url(), "--name", name, "--state-dir",
                                 (m_dir / "workers" / name).string(), "--claim-wait", "1"},
        std::vector<std::pair<std::string, std::string>>{{"SPOTFARM_TOKEN", m_join}}));
    if (index < m_slots.size())
        m_slots[index] = m_workers.size() - 1;
    else
        m_slots.push_back(m_workers.size() - 1);
}

Fault ChaosTest::next_fault() {
    // A shuffled bag with each kind once: every kind comes up as often, in a seeded order.
    if (m_bag.empty()) {
        m_bag.assign(std::begin(k_faults), std::end(k_faults));
        std::shuffle(m_bag.begin(), m_bag.end(), m_random);
    }
    const Fault kind = m_bag.back();
    m_bag.pop_back();
    return kind;
}

milliseconds ChaosTest::random_span(milliseconds low, milliseconds high) {
    std::uniform_int_distribution<long long> pick(low.count(), high.count());
    return milliseconds(pick(m_random));
}

bool ChaosTest::inject(Fault kind, Job& job) {
    std::uniform_int_distribution<std::size_t> any_slot(0, m_slots.size() - 1);
    switch (kind) {
        case Fault::kill_worker: {
            const std::size_t victim = any_slot(m_random);
            note("  SIGKILL worker w" + std::to_string(victim + 1) + " pid " +
                 std::to_string(slot(victim).pid()));
            slot(victim).stop(SIGKILL, std::chrono::seconds(10));
            spawn_worker(victim);
            return true;
        }
        case Fault::kill_blender: {
            // Blender runs only while a worker holds work; give it a moment to start one.
            std::vector<std::pair<std::size_t, pid_t>> running;
            wait_for(
                [&] {
                    observe(job);
                    return !(running = blenders()).empty() || job.status == "completed";
                },
                std::chrono::seconds(5));
            if (running.empty()) return false;
            std::uniform_int_distribution<std::size_t> any(0, running.size() - 1);
            const auto [owner, pid] = running[any(m_random)];
            note("  SIGKILL Blender " + std::to_string(pid) + " of w" + std::to_string(owner + 1));
            return ::kill(pid, SIGKILL) == 0;
        }
        case Fault::kill_manager: {
            kill_manager();
            watch(job, random_span(milliseconds(500), milliseconds(3000)));
            start_manager(m_options.lease_seconds);
            note("  manager started again");
            return true;
        }
        case Fault::pause_worker: {
            // A machine that froze (a paused VM, a laptop lid): the worker and its Blender stop
            // together, for longer than the lease, and wake to find their task given away.
            const std::size_t victim = any_slot(m_random);
            std::vector<pid_t> frozen = {slot(victim).pid()};
            for (pid_t child : children_of(slot(victim).pid())) frozen.push_back(child);
            note("  SIGSTOP w" + std::to_string(victim + 1) + " and its Blender");
            for (pid_t pid : frozen) ::kill(pid, SIGSTOP);
            const auto lease = milliseconds(static_cast<long long>(m_options.lease_seconds * 1000));
            watch(job, lease + random_span(milliseconds(1000), milliseconds(3000)));
            for (pid_t pid : frozen) ::kill(pid, SIGCONT);
            note("  SIGCONT w" + std::to_string(victim + 1));
            return true;
        }
    }
    return false;
}

void ChaosTest::note(const std::string& what) {
    const auto ms =
        std::chrono::duration_cast<milliseconds>(steady_clock::now() - m_started).count();
    char at[32];
    std::snprintf(at, sizeof at, "%8.2f s  ", static_cast<double>(ms) / 1000.0);
    m_timeline += at + what + "\n";
}

std::string ChaosTest::frame_history(const Job& job, int frame) {
    for (const auto& t : tasks(job.id)) {
        if (t.value("frames", "") != std::to_string(frame)) continue;
        return task(t.value("id", std::int64_t{0})).dump(1);
    }
    return "(no task found for frame " + std::to_string(frame) + ")";
}

void ChaosTest::reap_orphans() {
    std::vector<pid_t> ours;
    if (m_manager) ours.push_back(m_manager->pid());
    for (const auto& w : m_workers) ours.push_back(w->pid());
    for (pid_t zombie : zombie_children()) {
        if (std::find(ours.begin(), ours.end(), zombie) == ours.end()) {
            ::waitpid(zombie, nullptr, WNOHANG);
        }
    }
}

void ChaosTest::stop_all() {
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        if (!slot(i).running()) continue;
        auto status = slot(i).stop(SIGTERM, std::chrono::seconds(30));
        EXPECT_TRUE(status && status->code == 0)
            << "worker w" << i + 1 << " did not leave cleanly on SIGTERM: "
            << (status ? status->describe() : "still running after 30 s");
    }
    if (m_manager) {
        auto status = m_manager->stop(SIGTERM, std::chrono::seconds(30));
        EXPECT_TRUE(status && status->code == 0)
            << "the manager did not stop cleanly on SIGTERM: "
            << (status ? status->describe() : "still running after 30 s");
    }
    std::vector<pid_t> left;
    const bool gone = wait_until(
        [&] {
            reap_orphans();
            left = processes_mentioning(m_dir.path().string());
            for (pid_t child : children_of(::getpid())) {
                if (std::find(left.begin(), left.end(), child) == left.end()) left.push_back(child);
            }
            return left.empty();
        },
        std::chrono::seconds(10));
    EXPECT_TRUE(gone) << "left running 10 s after the farm stopped: " << pid_list(left);
    for (pid_t pid : left) ::kill(pid, SIGKILL);
}

}  // namespace spotfarm::test

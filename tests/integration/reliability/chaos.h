#pragma once
// A local farm rendering under random faults: workers, their Blender processes and the manager
// are killed (and the manager and workers started again), workers are frozen past their lease,
// and each job's frames are then checked: on disk once, whole, never written again after the
// manager recorded them, the job completed, and no process left behind at the end. Faults, victims
// and pauses come from one seeded generator, so a seed names a run (timing still varies).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "reliability_helpers.h"

namespace spotfarm::test {

enum class Fault { kill_worker, kill_blender, kill_manager, pause_worker };

// "kill_worker", "kill_blender", ...
const char* fault_name(Fault fault);

struct ChaosOptions {
    unsigned seed = 1;
    int frames = 100;  // frames per job
    int workers = 3;
    double lease_seconds = 4;
    // 0: jobs until `faults` faults were injected. Otherwise jobs one after another, a new one as
    // the last completes, with faults throughout, until this much time has passed.
    std::chrono::seconds duration{0};
    // With duration 0: faults to inject in all, in as many jobs as that takes (a fast machine
    // finishes a job before its faults are in); none after the count is reached.
    int faults = 12;
    std::chrono::milliseconds min_gap{2000};  // between two faults
    std::chrono::milliseconds max_gap{5000};
    std::chrono::seconds job_limit{600};  // from submission to "completed"
};

// `defaults` with SPOTFARM_CHAOS_SECONDS (duration) and SPOTFARM_CHAOS_SEED (seed) applied.
ChaosOptions chaos_options_from_environment(ChaosOptions defaults);

// What a run did, printed at its end.
struct ChaosFigures {
    std::map<Fault, int> faults;
    int jobs = 0;  // completed and checked
    std::int64_t frames = 0;
    int broken_jobs = 0;  // jobs where an invariant did not hold
    std::chrono::seconds elapsed{0};
    // One line: seed, jobs, frames, faults by kind, time.
    std::string describe(unsigned seed) const;
};

class ChaosTest : public FarmTest {
protected:
    // Runs jobs under faults as `options` say, checks each job as it completes and, once all is
    // stopped, that nothing is left running. Failures are reported as test failures.
    ChaosFigures run_chaos(const ChaosOptions& options);

private:
    // One submitted job and what was seen of it.
    struct Job {
        std::int64_t id = 0;
        int frames = 0;
        std::filesystem::path out;
        std::map<int, FileStamp> done;  // stamped as soon as the manager showed it completed
        std::vector<std::string> broken;
        std::string status;
    };

    std::filesystem::path frame_file(const Job& job, int frame) const;
    Job submit_job(int index, int frames);
    // Reads the job's view and stamps frames newly shown completed (at most every 250 ms).
    void observe(Job& job);
    // Waits `span`, watching the job meanwhile.
    void watch(Job& job, std::chrono::milliseconds span);
    // Whether the job completed within the limit; waits for it, watching.
    bool finish(Job& job, std::chrono::steady_clock::time_point deadline);
    // The invariants of a completed job; each broken one is added to job.broken.
    void check(Job& job);

    void spawn_worker(std::size_t slot);
    SpotfarmProcess& slot(std::size_t index) { return worker(m_slots.at(index)); }
    // (slot, pid) of every Blender process the workers run.
    std::vector<std::pair<std::size_t, pid_t>> blenders();
    // Injects one fault of `kind`; false when there was nothing to hit (no Blender running).
    bool inject(Fault kind, Job& job);
    Fault next_fault();
    std::chrono::milliseconds random_span(std::chrono::milliseconds low,
                                          std::chrono::milliseconds high);
    // Adds a line to the run's timeline, shown when an invariant breaks.
    void note(const std::string& what);
    // The attempts of the task that holds `frame`, for a failure message.
    std::string frame_history(const Job& job, int frame);
    // Stops workers and manager, and checks that no process of the run is left.
    void stop_all();
    // Reaps Blender processes that lost their worker and were handed to this process.
    void reap_orphans();

    ChaosOptions m_options;
    std::mt19937 m_random;
    std::vector<Fault> m_bag;          // faults still to come in this round, one of each kind
    std::vector<std::size_t> m_slots;  // slot -> index in m_workers of the slot's current worker
    std::chrono::steady_clock::time_point m_last_look{};
    std::chrono::steady_clock::time_point m_started{};
    std::string m_timeline;
};

}  // namespace spotfarm::test

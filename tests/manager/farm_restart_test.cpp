// A manager killed at any instant restarts with no frame lost and no finished frame rendered
// again. The farm runs in a child process that is killed with SIGKILL, so nothing is closed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "manager/farm.h"
#include "manager/farm_fixture.h"

namespace spotfarm::manager {
namespace {

// Runs `body` in a child process on its own Farm over `database`; the child is killed with SIGKILL
// once it wrote `kill_after` bytes to its pipe (one per transition), or kills itself at the end.
template <class Body>
void run_killed_child(const std::filesystem::path& database, int kill_after, Body body) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        util::SteadyClock clock;
        auto farm = Farm::open(database, clock);
        if (!farm) ::_exit(10);
        auto tick = [&] {
            char byte = 1;
            if (::write(fds[1], &byte, 1) != 1) ::_exit(11);
        };
        if (!body(**farm, tick)) ::_exit(12);
        ::kill(::getpid(), SIGKILL);
        ::_exit(13);
    }
    ::close(fds[1]);
    char byte;
    for (int read = 0; read < kill_after && ::read(fds[0], &byte, 1) == 1; ++read) {
    }
    ::kill(pid, SIGKILL);
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited with " << WEXITSTATUS(status);
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

std::vector<core::FrameResult> results(const core::FrameSet& frames) {
    std::vector<core::FrameResult> out;
    for (int f : frames.frames()) out.push_back({f, "/out/" + std::to_string(f)});
    return out;
}

}  // namespace

TEST_F(FarmTest, AKilledManagerLosesNoFrameAndRendersNoFinishedFrameAgain) {
    farm.reset();
    core::TaskId abandoned;  // leased to a worker that died with the manager
    run_killed_child(database(), 1 << 30, [&](Farm& f, auto&&) {
        auto w1 = f.register_worker({.name = "w1"});
        auto w2 = f.register_worker({.name = "w2"});
        if (!w1 || !w2 || !f.submit({.scene = "/a.blend", .output = "/o/#", .frames = "1-10"})) {
            return false;
        }
        for (int i = 0; i < 3; ++i) {
            auto a = f.claim(w1->id);
            if (!a || !*a || !f.complete((*a)->task, w1->id, results((*a)->frames))) return false;
        }
        auto running = f.claim(w2->id);  // w2 outlives the manager
        auto lost = f.claim(w1->id);     // w1 dies with it
        return running && *running && lost && *lost;
    });
    open();
    const core::JobId job(1);
    const core::WorkerId alive(2);
    auto shown = farm->show_job(job);
    ASSERT_TRUE(shown) << shown.error().message;
    EXPECT_EQ(shown->frames_by_status.at(core::TaskStatus::completed), "1-3");
    EXPECT_EQ(shown->frames_by_status.at(core::TaskStatus::active), "4-5");
    EXPECT_EQ(shown->frames_by_status.at(core::TaskStatus::queued), "6-10");

    // The worker that outlived the manager keeps its lease and delivers.
    auto running = farm->list_tasks(job, {.status = core::TaskStatus::active});
    ASSERT_EQ(running->size(), 2u);
    core::TaskId kept = (*running)[0].worker == alive ? (*running)[0].id : (*running)[1].id;
    abandoned = (*running)[0].worker == alive ? (*running)[1].id : (*running)[0].id;
    ASSERT_TRUE(farm->heartbeat(kept, alive, {})->keep_going);

    // A new worker gets only the frames nobody finished.
    WorkerCredentials fresh = worker("fresh");
    std::vector<std::string> rendered;
    while (auto a = try_claim(fresh.id)) {
        rendered.push_back(a->frames.to_string());
        ASSERT_TRUE(complete(*a, fresh.id));
    }
    EXPECT_EQ(rendered, (std::vector<std::string>{"6", "7", "8", "9", "10"}));
    ASSERT_TRUE(farm->complete(kept, alive, results(farm->scheduler().find_task(kept)->frames)));

    // The dead worker's task comes back when its lease, restarted at opening, runs out.
    clock.advance(policy.lease / 2);
    ASSERT_TRUE(farm->heartbeat(kept, alive, {}));  // keeps w2 counted as alive
    EXPECT_FALSE(try_claim(fresh.id));
    clock.advance(policy.lease / 2);
    ASSERT_EQ(farm->reap(clock.now())->leases_expired, 1u);
    Assignment last = claim(fresh.id);
    EXPECT_EQ(last.task, abandoned);
    ASSERT_TRUE(complete(last, fresh.id));
    EXPECT_EQ(farm->show_job(job)->summary.status, core::JobStatus::completed);
    for (int frame = 1; frame <= 3; ++frame) {
        EXPECT_EQ(farm->show_task(core::TaskId(frame))->attempts.size(), 1u) << frame;
    }
}

TEST_F(FarmTest, KillsAtArbitraryInstantsLeaveAConsistentState) {
    farm.reset();
    constexpr int k_frames = 300;
    for (int kill_after : {3, 40, 170}) {
        SCOPED_TRACE("killed after " + std::to_string(kill_after) + " transitions");
        const auto file = dir.path() / ("state-" + std::to_string(kill_after) + ".db");
        run_killed_child(file, kill_after, [&](Farm& f, auto&& tick) {
            std::vector<core::WorkerId> workers;
            for (int i = 0; i < 4; ++i) workers.push_back(f.register_worker({.name = "w"})->id);
            if (!f.submit({.scene = "/a.blend", .output = "/o/#", .frames = "1-300"})) return false;
            for (int i = 0;; ++i) {
                core::WorkerId w = workers[i % workers.size()];
                auto a = f.claim(w);
                if (!a) return false;
                if (!*a) return true;
                tick();
                if (!f.complete((*a)->task, w, results((*a)->frames))) return false;
                tick();
            }
        });
        auto opened = Farm::open(file, clock, policy);
        ASSERT_TRUE(opened) << opened.error().message;
        Farm& f = **opened;
        ASSERT_EQ(f.list_jobs().size(), 1u);
        const core::JobId job = f.list_jobs()[0].id;

        std::set<core::TaskId> finished;
        auto done = f.list_tasks(job, {.status = core::TaskStatus::completed, .limit = 1000});
        for (const TaskSummary& t : *done) {
            finished.insert(t.id);
            auto attempts = f.show_task(t.id)->attempts;
            int completed = 0;
            for (const auto& a : attempts)
                completed += a.outcome == core::AttemptOutcome::completed;
            EXPECT_EQ(completed, 1) << "task " << t.id.value;
        }
        auto counts = f.show_job(job)->summary.tasks;
        std::int64_t total = 0;
        for (const auto& [status, n] : counts) total += n;
        EXPECT_EQ(total, k_frames);

        clock.advance(policy.lease);
        ASSERT_TRUE(f.reap(clock.now()));
        auto w = f.register_worker({.name = "after"});
        ASSERT_TRUE(w);
        int rendered = 0;
        while (true) {
            auto a = f.claim(w->id);
            ASSERT_TRUE(a);
            if (!*a) break;
            EXPECT_EQ(finished.count((*a)->task), 0u) << "finished task handed out again";
            ASSERT_TRUE(f.complete((*a)->task, w->id, results((*a)->frames)));
            ++rendered;
        }
        EXPECT_EQ(rendered + static_cast<int>(finished.size()), k_frames);
        EXPECT_EQ(f.show_job(job)->summary.status, core::JobStatus::completed);
        EXPECT_EQ(f.show_job(job)->frames_done, k_frames);
    }
}

}  // namespace spotfarm::manager

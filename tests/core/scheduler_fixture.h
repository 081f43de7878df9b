#pragma once
// A scheduler on a fake clock with shorthands for the common moves of its tests.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/scheduler.h"
#include "util/clock.h"

namespace spotfarm::core {

class SchedulerTest : public ::testing::Test {
protected:
    void SetUp() override { make(); }
    // Rebuilds the scheduler after a test changed `policy`.
    void make() { s = std::make_unique<Scheduler>(clock, policy); }

    JobId submit(const std::string& frames, int priority = k_default_priority, int chunk = 1) {
        JobSpec spec;
        spec.scene = "/scenes/a.blend";
        spec.output = "/out/a_####";
        spec.frames = frames;
        spec.priority = priority;
        spec.chunk = chunk;
        auto id = s->submit(spec, ch);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(JobId{});
    }

    WorkerId worker(const std::string& name = "w") {
        return s->register_worker({.name = name, .host = "host"}, "hash", ch);
    }

    std::optional<TaskId> try_claim(WorkerId w, std::optional<JobId> warm = {}) {
        auto r = s->claim(w, warm, ch);
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return r ? *r : std::nullopt;
    }

    TaskId claim(WorkerId w, std::optional<JobId> warm = {}) {
        auto t = try_claim(w, warm);
        EXPECT_TRUE(t) << "no task for worker " << w.value;
        return t.value_or(TaskId{});
    }

    std::vector<FrameResult> results_for(TaskId t) {
        std::vector<FrameResult> out;
        const Task* found = s->find_task(t);
        if (found == nullptr) return out;
        for (int f : found->frames.frames()) out.push_back({f, "/out/" + std::to_string(f)});
        return out;
    }

    util::Result<CompleteOutcome> complete(TaskId t, WorkerId w,
                                           std::optional<AttemptId> late = {}) {
        return s->complete(t, w, results_for(t), late, ch);
    }

    FailOutcome fail(TaskId t, WorkerId w) {
        auto r = s->fail(t, w, "boom", "log", ch);
        EXPECT_TRUE(r);
        return r.value_or(FailOutcome::stale);
    }

    HeartbeatResult heartbeat(TaskId t, WorkerId w) {
        auto r = s->heartbeat(t, w, ch);
        EXPECT_TRUE(r);
        return r.value_or(HeartbeatResult{});
    }

    const Job& job(JobId id) { return *s->find_job(id); }
    const Task& task(TaskId id) { return *s->find_task(id); }

    bool has_event(const std::string& kind) const {
        for (const auto& e : ch.events) {
            if (e.kind == kind) return true;
        }
        return false;
    }

    util::FakeClock clock;
    SchedulerPolicy policy;
    std::unique_ptr<Scheduler> s;
    Changes ch;
};

}  // namespace spotfarm::core

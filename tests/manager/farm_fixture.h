#pragma once
// A Farm on a fake clock with its own state database, and shorthands for the tests.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "manager/farm.h"
#include "store/test_dir.h"
#include "util/clock.h"

namespace spotfarm::manager {

class FarmTest : public ::testing::Test {
protected:
    void SetUp() override { open(); }

    std::filesystem::path database() const { return dir.path() / "state.db"; }

    void open() {
        farm.reset();
        auto opened = Farm::open(database(), clock, policy);
        ASSERT_TRUE(opened) << opened.error().message;
        farm = std::move(opened).value();
    }

    core::JobId submit(const std::string& frames, int chunk = 1, int priority = 50) {
        auto id = farm->submit({.scene = "/scenes/a.blend",
                                .output = "/out/a_####",
                                .frames = frames,
                                .chunk = chunk,
                                .priority = priority,
                                .settings = R"({"engine":"CYCLES","samples":4})"});
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(core::JobId{});
    }

    WorkerCredentials worker(const std::string& name = "w") {
        auto c = farm->register_worker({.name = name, .host = "host", .cores = 4});
        EXPECT_TRUE(c) << (c ? "" : c.error().message);
        return c.value_or(WorkerCredentials{});
    }

    std::optional<Assignment> try_claim(core::WorkerId w) {
        auto a = farm->claim(w);
        EXPECT_TRUE(a) << (a ? "" : a.error().message);
        return a ? *a : std::nullopt;
    }

    Assignment claim(core::WorkerId w) {
        auto a = try_claim(w);
        EXPECT_TRUE(a) << "no task for worker " << w.value;
        return a.value_or(Assignment{});
    }

    static std::vector<core::FrameResult> results_for(const core::FrameSet& frames) {
        std::vector<core::FrameResult> out;
        for (int f : frames.frames())
            out.push_back({f, "/out/a_" + std::to_string(f), 2.0, 1 << 20});
        return out;
    }

    util::Result<core::CompleteOutcome> complete(const Assignment& a, core::WorkerId w) {
        return farm->complete(a.task, w, results_for(a.frames));
    }

    store::TestDir dir;
    util::FakeClock clock;
    core::SchedulerPolicy policy;
    std::unique_ptr<Farm> farm;
};

}  // namespace spotfarm::manager

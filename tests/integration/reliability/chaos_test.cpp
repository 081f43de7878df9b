// The farm under random faults (chaos.h): 100-frame jobs on three workers while workers, their
// Blender processes and the manager are killed and workers frozen past their lease, three times
// each; then every frame is on disk once, whole, never rewritten after it was completed, and
// nothing is left running. `make chaos` runs the same for an hour (SPOTFARM_CHAOS_SECONDS),
// job after job.

#include "chaos.h"

namespace spotfarm::test {

TEST_F(ChaosTest, FramesStayOnceWholeAndFinalUnderRandomKills) {
    ChaosOptions options;
    options.seed = 20261205;
    options.frames = 100;
    options.workers = 3;
    options.faults = 12;  // three of each kind
    const ChaosOptions chosen = chaos_options_from_environment(options);

    const ChaosFigures figures = run_chaos(chosen);
    std::cout << figures.describe(chosen.seed) << std::endl;
    EXPECT_GE(figures.jobs, 1);
    EXPECT_EQ(figures.broken_jobs, 0);
    if (chosen.duration.count() == 0) {
        int total = 0;
        for (const auto& [kind, n] : figures.faults) total += n;
        EXPECT_EQ(total, options.faults) << figures.describe(chosen.seed);
    }
}

}  // namespace spotfarm::test

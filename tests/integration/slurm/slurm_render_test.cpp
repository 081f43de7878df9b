// A render through `spotfarm manager --provider slurm` on a real one-node Slurm cluster (munged,
// slurmctld and slurmd started by the test, support/slurm_cluster.h). Each worker job's time
// limit (1 minute, Slurm's least) is shorter than the job's frames take on one worker: the first
// allocation must drain before Slurm's SIGTERM (it ends COMPLETED, not TIMEOUT) and a later one
// finish the frames. Slurm's own job completion log must show the workers were its jobs, and
// squeue must be empty once the fleet scaled to zero.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "support/run_cli.h"
#include "support/scratch_dir.h"
#include "support/slurm_cluster.h"
#include "support/spotfarm_process.h"
#include "util/text_file.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

std::string first_line(const fs::path& path) {
    auto text = util::read_text_file(path, 4096);
    if (!text) return {};
    return text->substr(0, text->find('\n'));
}

TEST(SlurmRender, WorkersAreSlurmJobsAndDrainBeforeTheirTimeLimit) {
    if (const std::string why = SlurmCluster::cannot_run_here(); !why.empty()) GTEST_SKIP() << why;
    ScratchDir scratch;
    auto cluster = SlurmCluster::start(scratch / "slurm");
    ASSERT_TRUE(cluster) << cluster.error().message;
    SlurmCluster& slurm = **cluster;

    const fs::path state = scratch / "state";
    auto env = slurm.env();
    SpotfarmProcess manager({"manager",
                             "--state-dir",
                             state.string(),
                             "--listen",
                             "127.0.0.1:0",
                             "--port-file",
                             (scratch / "port").string(),
                             "--provider",
                             "slurm",
                             "--partition",
                             "render",
                             "--time-limit",
                             "1",
                             "--max",
                             "1",
                             "--frames-per-worker",
                             "1",
                             "--idle-grace",
                             "1",
                             "--register-timeout",
                             "120"},
                            env);
    ASSERT_TRUE(wait_until([&] { return !first_line(scratch / "port").empty(); }, 30s,
                           [&] { manager.pump(); }))
        << manager.log();
    const std::string url = "http://127.0.0.1:" + first_line(scratch / "port");
    const std::vector<std::pair<std::string, std::string>> client = {
        {"SPOTFARM_MANAGER", url}, {"SPOTFARM_TOKEN_FILE", (state / "people.token").string()}};

    // 16 frames of at least 3 s each (the scene's own handler sleeps): more than one 1-minute
    // allocation can render, however fast the machine.
    const fs::path out = scratch / "out";
    auto submitted = run_cli({"submit", std::string(SPOTFARM_TEST_SCENES) + "/paced_frames.blend",
                              "--frames", "1-16", "--allow-scripts", "--threads", "1", "--chunk",
                              "1", "-o", (out / "f_####").string(), "--json"},
                             60s, client);
    ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
    const auto job = json::parse(submitted.out).at("id").get<std::int64_t>();

    std::string status;
    EXPECT_TRUE(wait_until(
        [&] {
            auto shown = run_cli({"job", std::to_string(job), "--json"}, 30s, client);
            const json answer = json::parse(shown.out, nullptr, false);
            status = answer.is_object() ? answer.value("status", "") : "";
            return status == "completed" || status == "failed" || status == "canceled";
        },
        400s, [&] { manager.pump(); }))
        << "job status " << status << "\n"
        << manager.log() << slurm.logs();
    EXPECT_EQ(status, "completed");
    for (int frame = 1; frame <= 16; ++frame) {
        char name[32];
        std::snprintf(name, sizeof name, "f_%04d.png", frame);
        EXPECT_TRUE(fs::exists(out / name)) << name;
    }

    // The fleet scales to zero once the queue stays empty: nothing is left in Slurm's queue.
    std::string queue;
    EXPECT_TRUE(wait_until(
        [&] {
            queue = slurm.run({"squeue", "-h"});
            return queue.empty();
        },
        90s, [&] { manager.pump(); }))
        << queue;

    // Slurm's record: the workers that registered were array tasks of the fleet's jobs, and no
    // allocation ran into its time limit.
    std::set<std::string> slurm_tasks;
    std::string log_text;
    EXPECT_TRUE(wait_until(
        [&] {
            slurm_tasks.clear();
            log_text.clear();
            for (const auto& line : slurm.completed_jobs()) {
                log_text += line + "\n";
                if (jobcomp_field(line, "Name").rfind("spotfarm-", 0) != 0) continue;
                slurm_tasks.insert(jobcomp_field(line, "ArrayJobId") + "_" +
                                   jobcomp_field(line, "ArrayTaskId"));
                EXPECT_NE(jobcomp_field(line, "JobState"), "TIMEOUT") << line;
            }
            return slurm_tasks.size() >= 2;
        },
        30s))
        << "the job completion log shows fewer than two worker allocations:\n"
        << log_text;

    auto workers = run_cli({"workers", "--json"}, 30s, client);
    ASSERT_EQ(workers.exit_code, 0) << workers.err;
    json listed = json::parse(workers.out, nullptr, false);
    if (listed.is_object()) listed = listed.value("workers", json());
    ASSERT_TRUE(listed.is_array()) << workers.out;
    std::set<std::string> rendered_by;
    for (const auto& worker : listed) {
        const std::string name = worker.value("name", "");
        ASSERT_EQ(name.rfind("slurm-", 0), 0u) << name;
        EXPECT_TRUE(slurm_tasks.count(name.substr(6))) << name << " is not in\n" << log_text;
        rendered_by.insert(name);
    }
    EXPECT_GE(rendered_by.size(), 2u) << workers.out;

    EXPECT_TRUE(manager.stop(SIGTERM, 30s).has_value()) << manager.log();
}

}  // namespace
}  // namespace spotfarm::test

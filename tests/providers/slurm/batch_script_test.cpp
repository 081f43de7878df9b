#include "providers/slurm/batch_script.h"

#include <gtest/gtest.h>

namespace spotfarm::providers::slurm {
namespace {

SlurmOptions options() {
    SlurmOptions o;
    o.fleet_id = "f1";
    o.worker_command = {"/opt/spot farm/spotfarm", "worker", "--name", "slurm-{id}"};
    o.work_dir = "/shared/fleet";
    return o;
}

bool has_line(const std::string& script, const std::string& line) {
    return script.find("\n" + line + "\n") != std::string::npos;
}

TEST(BatchScript, OneArrayWithTheClusterOptions) {
    SlurmOptions o = options();
    o.partition = "render";
    o.account = "art";
    o.time_limit = "1:00:00";
    o.gres = "gpu:1";
    o.cpus_per_task = 8;
    o.memory = "16G";
    o.extra_lines = {"--qos=low", "#SBATCH --exclusive"};
    auto script = batch_script(o, 3);
    ASSERT_TRUE(script) << script.error().message;
    EXPECT_EQ(script->rfind("#!/bin/sh\n", 0), 0u);
    for (const char* line :
         {"#SBATCH --job-name=spotfarm-f1", "#SBATCH --array=0-2", "#SBATCH --partition=render",
          "#SBATCH --account=art", "#SBATCH --time=1:00:00", "#SBATCH --gres=gpu:1",
          "#SBATCH --cpus-per-task=8", "#SBATCH --mem=16G", "#SBATCH --qos=low",
          "#SBATCH --exclusive", "#SBATCH --output=/shared/fleet/logs/%A_%a.log"}) {
        EXPECT_TRUE(has_line(*script, line)) << line << " missing from\n" << *script;
    }
}

TEST(BatchScript, LeavesOutWhatIsNotAsked) {
    auto script = batch_script(options(), 1);
    ASSERT_TRUE(script);
    EXPECT_TRUE(has_line(*script, "#SBATCH --array=0-0"));
    for (const char* absent : {"--partition", "--account", "--time", "--gres", "--mem"})
        EXPECT_EQ(script->find(absent), std::string::npos) << absent;
}

TEST(BatchScript, ExecsTheWorkerQuotedWithTheTaskId) {
    auto script = batch_script(options(), 2);
    ASSERT_TRUE(script);
    EXPECT_TRUE(
        has_line(*script, "SPOTFARM_INSTANCE_ID=\"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\""));
    EXPECT_TRUE(has_line(*script,
                         "exec '/opt/spot farm/spotfarm' 'worker' '--name' "
                         "'slurm-'\"$SPOTFARM_INSTANCE_ID\"''"))
        << *script;
}

TEST(BatchScript, RefusesWhatIsNotABatchOption) {
    SlurmOptions o = options();
    o.extra_lines = {"rm -rf /"};
    auto script = batch_script(o, 1);
    ASSERT_FALSE(script);
    EXPECT_EQ(script.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(script.error().message.find("--qos=low"), std::string::npos);
    EXPECT_FALSE(batch_script(options(), 0));
}

}  // namespace
}  // namespace spotfarm::providers::slurm

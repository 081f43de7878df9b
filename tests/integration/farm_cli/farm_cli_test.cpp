// The people commands (submit, jobs, job, pause/resume/cancel/requeue/delete, workers) as
// processes against a real `spotfarm manager`, and with a real worker rendering with Blender.
#include <csignal>
#include <fstream>

#include "farm_cli_fixture.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;

const std::string k_scene = SPOTFARM_TEST_SCENES "/tiny_cycles.blend";

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST_F(FarmCliTest, SubmitListShowAndSteerAJob) {
    std::string out = (scratch / "out/frame_####").string();
    CliRun submitted = run({"submit", k_scene, "--frames", "1-4", "-o", out, "--chunk", "2",
                            "--priority", "60", "--name", "tiny", "--samples", "1"});
    ASSERT_EQ(submitted.code, 0) << submitted.output;
    EXPECT_TRUE(has(submitted.output, "Submitted job 1 (tiny): frames 1-4 of " + k_scene))
        << submitted.output;
    EXPECT_TRUE(has(submitted.output, "spotfarm job 1")) << submitted.output;

    CliRun jobs = run({"jobs"});
    ASSERT_EQ(jobs.code, 0) << jobs.output;
    auto words = row(jobs.output, "1");
    ASSERT_EQ(words.size(), 7u) << jobs.output;
    EXPECT_EQ(std::vector<std::string>(words.begin(), words.begin() + 6),
              (std::vector<std::string>{"1", "tiny", "queued", "60", "0/4", "0"}));

    nlohmann::json listed = run_json({"jobs"});
    ASSERT_EQ(listed["jobs"].size(), 1u) << listed.dump();
    EXPECT_EQ(listed["jobs"][0]["frames"], "1-4");
    EXPECT_EQ(listed["jobs"][0]["chunk"], 2);

    CliRun detail = run({"job", "1"});
    ASSERT_EQ(detail.code, 0) << detail.output;
    EXPECT_TRUE(has(detail.output, "Job 1 \"tiny\": queued, priority 60")) << detail.output;
    EXPECT_TRUE(has(detail.output, "  output    " + out + "\n")) << detail.output;
    EXPECT_TRUE(has(detail.output, "  settings  fps=24 fps_base=1.0 samples=1\n")) << detail.output;
    EXPECT_EQ(row(detail.output, "queued"), (std::vector<std::string>{"queued", "4", "1-4"}))
        << detail.output;

    CliRun paused = run({"pause", "1"});
    EXPECT_EQ(paused.code, 0) << paused.output;
    EXPECT_TRUE(has(paused.output, "Job 1 paused. Go on with: spotfarm resume 1"));
    EXPECT_EQ(run_json({"job", "1"})["status"], "paused");
    EXPECT_EQ(run({"resume", "1"}).code, 0);
    // Resuming a job that is not paused: the manager refuses and says why.
    CliRun again = run({"resume", "1"});
    EXPECT_EQ(again.code, 1) << again.output;
    EXPECT_TRUE(has(again.output, "spotfarm resume: the manager at " + url + " refused: "))
        << again.output;
    EXPECT_TRUE(has(again.output, "(HTTP 409")) << again.output;

    EXPECT_EQ(run({"cancel", "1"}).code, 0);
    EXPECT_EQ(run_json({"job", "1"})["status"], "canceled");
    EXPECT_EQ(run({"requeue", "1"}).code, 0);
    EXPECT_EQ(run_json({"job", "1"})["status"], "queued");

    CliRun deleted = run({"delete", "1"});
    EXPECT_EQ(deleted.code, 0) << deleted.output;
    CliRun gone = run({"job", "1"});
    EXPECT_EQ(gone.code, 1) << gone.output;
    EXPECT_TRUE(has(gone.output, "HTTP 404")) << gone.output;
    EXPECT_TRUE(has(run({"jobs"}).output, "No jobs.")) << run({"jobs"}).output;
}

TEST_F(FarmCliTest, AWorkerRendersTheJobAndTheCommandsShowIt) {
    std::string join;
    std::ifstream(state() / "worker-join.token") >> join;
    ASSERT_FALSE(join.empty());
    auto spawned = util::Subprocess::spawn(
        {{SPOTFARM_EXE, "worker", "--manager", url, "--token", join, "--name", "cli-worker",
          "--state-dir", (scratch / "worker").string(), "--claim-wait", "1"}});
    ASSERT_TRUE(spawned) << spawned.error().message;
    util::Subprocess worker = std::move(spawned).value();
    std::vector<std::string> worker_log;

    std::string out = (scratch / "out/frame_####").string();
    CliRun submitted = run({"submit", k_scene, "--frames", "1-2", "-o", out});
    ASSERT_EQ(submitted.code, 0) << submitted.output;
    std::string status;
    auto deadline = std::chrono::steady_clock::now() + 240s;
    while (status != "completed" && status != "failed" &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(500ms);
        worker.read_output(worker_log);
        status = run_json({"job", "1"}).value("status", "");
    }
    worker.read_output(worker_log);
    std::string log;
    for (const auto& line : worker_log) log += line + "\n";
    ASSERT_EQ(status, "completed") << run({"job", "1"}).output << log << manager_log();
    EXPECT_TRUE(fs::exists(scratch / "out/frame_0001.png"));
    EXPECT_TRUE(fs::exists(scratch / "out/frame_0002.png"));

    auto words = row(run({"jobs"}).output, "1");
    ASSERT_EQ(words.size(), 7u);
    EXPECT_EQ(std::vector<std::string>(words.begin() + 2, words.begin() + 6),
              (std::vector<std::string>{"completed", "50", "2/2", "0"}));
    CliRun detail = run({"job", "1"});
    EXPECT_TRUE(has(detail.output, "  progress  2/2 frames done (100%), 0 failed\n"))
        << detail.output;
    EXPECT_EQ(row(detail.output, "completed"), (std::vector<std::string>{"completed", "2", "1-2"}));

    CliRun workers = run({"workers"});
    ASSERT_EQ(workers.code, 0) << workers.output;
    words = row(workers.output, "1");
    ASSERT_GE(words.size(), 7u) << workers.output;
    EXPECT_EQ(words[1], "cli-worker");
    EXPECT_EQ(words[3], "online");
    EXPECT_EQ(words[4], "-");  // it holds no task now
    EXPECT_EQ(words.back(), "ago");
    nlohmann::json listed = run_json({"workers"});
    ASSERT_EQ(listed["workers"].size(), 1u);
    EXPECT_EQ(listed["workers"][0]["name"], "cli-worker");
    EXPECT_GE(listed["workers"][0]["cores"].get<int>(), 1);

    worker.terminate(30s);
}

TEST_F(FarmCliTest, FailuresEndWithTheirExitCodesAndSayWhatToDo) {
    auto flags = [this](std::string token) {
        return std::vector<std::string>{"jobs", "--manager", url, "--token", std::move(token)};
    };
    CliRun wrong_token = run_with(bare_env(), flags("not-the-people-token"));
    EXPECT_EQ(wrong_token.code, 1) << wrong_token.output;
    EXPECT_TRUE(has(wrong_token.output, "HTTP 401")) << wrong_token.output;
    EXPECT_TRUE(has(wrong_token.output, "The token came from --token")) << wrong_token.output;

    CliRun unreachable = run_with(bare_env(), {"jobs", "--manager", "http://127.0.0.1:1",
                                               "--token-file", people_token().string()});
    EXPECT_EQ(unreachable.code, 3) << unreachable.output;
    EXPECT_TRUE(has(unreachable.output, "cannot reach the manager at http://127.0.0.1:1"))
        << unreachable.output;
    EXPECT_TRUE(has(unreachable.output, "spotfarm manager --state-dir")) << unreachable.output;

    CliRun nothing_set = run_with(bare_env(), {"workers"});
    EXPECT_EQ(nothing_set.code, 2) << nothing_set.output;
    EXPECT_TRUE(has(nothing_set.output, "SPOTFARM_MANAGER")) << nothing_set.output;
    EXPECT_TRUE(has(nothing_set.output, "config.toml")) << nothing_set.output;

    CliRun no_scene = run({"submit", (scratch / "missing.blend").string(), "--frames", "1-2", "-o",
                           (scratch / "out/").string()});
    EXPECT_EQ(no_scene.code, 2) << no_scene.output;
    EXPECT_TRUE(has(no_scene.output, "scene file not found")) << no_scene.output;

    CliRun no_job = run({"cancel", "42"});
    EXPECT_EQ(no_job.code, 1) << no_job.output;
    EXPECT_TRUE(has(no_job.output, "HTTP 404")) << no_job.output;

    CliRun bad_id = run({"job", "seven"});
    EXPECT_EQ(bad_id.code, 2) << bad_id.output;
}

TEST_F(FarmCliTest, AConfigFileGivesTheManagerAndTheTokenFile) {
    fs::path config = scratch / "farm.toml";
    std::ofstream(config) << "manager = \"" << url << "\"\n"
                          << "token_file = \"state/people.token\"\n";
    auto env = bare_env();
    for (auto& [name, value] : env) {
        if (name == "SPOTFARM_CONFIG") value = config.string();
    }
    CliRun jobs = run_with(env, {"jobs"});
    EXPECT_EQ(jobs.code, 0) << jobs.output;
    EXPECT_TRUE(has(jobs.output, "No jobs.")) << jobs.output;
    // The same file as the default one, found through HOME.
    fs::create_directories(scratch / "home/.config/spotfarm");
    std::ofstream(scratch / "home/.config/spotfarm/config.toml")
        << "manager = \"" << url << "\"\ntoken_file = \"" << people_token().string() << "\"\n";
    CliRun workers = run_with(bare_env(), {"workers"});
    EXPECT_EQ(workers.code, 0) << workers.output;
    EXPECT_TRUE(has(workers.output, "No workers.")) << workers.output;
}

}  // namespace
}  // namespace spotfarm::test

// A real worker against a real manager: one started with --refuse-scripts never renders a job that
// allows scripts, and the warnings of a job's frames show in `spotfarm job`.
#include <chrono>
#include <fstream>
#include <thread>

#include "farm_cli_fixture.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;

std::string scene(const std::string& name) {
    return SPOTFARM_TEST_SCENES "/" + name + ".blend";
}

class WorkerRefusalsTest : public FarmCliTest {
protected:
    util::Subprocess start_worker(std::vector<std::string> extra) {
        std::string join;
        std::ifstream(state() / "worker-join.token") >> join;
        EXPECT_FALSE(join.empty());
        std::vector<std::string> args = {
            SPOTFARM_EXE,   "worker", "--manager", url,           "--token",
            join,           "--name", "w1",        "--state-dir", (scratch / "worker").string(),
            "--claim-wait", "1"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto spawned = util::Subprocess::spawn({args, bare_env()});
        EXPECT_TRUE(spawned) << spawned.error().message;
        return std::move(spawned).value();
    }

    // Waits until job `id` is completed or failed (or 240 s passed); its status.
    std::string wait_for(int id, util::Subprocess& worker, std::vector<std::string>& log) {
        std::string status;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
        while (status != "completed" && status != "failed" &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            worker.read_output(log);
            status = run_json({"job", std::to_string(id)}).value("status", "");
        }
        return status;
    }
};

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

TEST_F(WorkerRefusalsTest, AWorkerThatRefusesScriptsNeverRendersAScriptJob) {
    const std::string out = (scratch / "out").string();
    // The script job first and of higher priority: a worker that took scripts would take it first.
    CliRun scripts = run({"submit", scene("tiny_cycles"), "--frames", "1-2", "-o",
                          out + "/scripts_####", "--allow-scripts", "--priority", "90"});
    ASSERT_EQ(scripts.code, 0) << scripts.output;
    CliRun plain =
        run({"submit", scene("tiny_cycles"), "--frames", "1-2", "-o", out + "/plain_####"});
    ASSERT_EQ(plain.code, 0) << plain.output;

    util::Subprocess worker = start_worker({"--refuse-scripts"});
    std::vector<std::string> log;
    ASSERT_EQ(wait_for(2, worker, log), "completed") << joined(log) << manager_log();
    // A few more claims' worth of time: still nothing of job 1.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    worker.read_output(log);
    const auto job1 = run_json({"job", "1"});
    EXPECT_EQ(job1.value("status", ""), "queued") << job1.dump();
    EXPECT_EQ(job1.value("frames_done", -1), 0);
    EXPECT_FALSE(fs::exists(out + "/scripts_0001.png"));
    EXPECT_TRUE(fs::exists(out + "/plain_0001.png"));
    EXPECT_NE(joined(log).find("refuses jobs with scripts"), std::string::npos) << joined(log);
    worker.terminate(std::chrono::seconds(30));
}

TEST_F(WorkerRefusalsTest, TheConfigFileCanSayItToo) {
    const fs::path config = scratch / "worker.toml";
    std::ofstream(config) << "[worker]\nrefuse_scripts = true\n";
    const std::string out = (scratch / "out").string();
    CliRun scripts = run({"submit", scene("tiny_cycles"), "--frames", "1", "-o",
                          out + "/scripts_####", "--allow-scripts"});
    ASSERT_EQ(scripts.code, 0) << scripts.output;
    CliRun plain =
        run({"submit", scene("tiny_cycles"), "--frames", "1", "-o", out + "/plain_####"});
    ASSERT_EQ(plain.code, 0) << plain.output;
    util::Subprocess worker = start_worker({"--config", config.string()});
    std::vector<std::string> log;
    ASSERT_EQ(wait_for(2, worker, log), "completed") << joined(log) << manager_log();
    EXPECT_EQ(run_json({"job", "1"}).value("frames_done", -1), 0);
    worker.terminate(std::chrono::seconds(30));
}

TEST_F(WorkerRefusalsTest, TheJobShowsTheWarningsOfItsFrames) {
    const std::string out = (scratch / "out").string();
    CliRun submitted = run({"submit", scene("missing_texture"), "--frames", "1-2", "-o",
                            out + "/f_####", "--device", "cpu"});
    ASSERT_EQ(submitted.code, 0) << submitted.output;
    util::Subprocess worker = start_worker({});
    std::vector<std::string> log;
    ASSERT_EQ(wait_for(1, worker, log), "completed") << joined(log) << manager_log();

    const auto job = run_json({"job", "1"});
    ASSERT_TRUE(job["warnings"].is_array()) << job.dump();
    ASSERT_EQ(job["warnings"].size(), 1u) << job.dump();
    EXPECT_NE(job["warnings"][0].value("message", "").find("wood.png"), std::string::npos)
        << job.dump();
    EXPECT_EQ(job["warnings"][0].value("frames", ""), "1-2");
    CliRun text = run({"job", "1"});
    EXPECT_NE(text.output.find("Warnings"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("/nonexistent/spotfarm/textures/wood.png"), std::string::npos)
        << text.output;
    worker.terminate(std::chrono::seconds(30));
}

}  // namespace
}  // namespace spotfarm::test

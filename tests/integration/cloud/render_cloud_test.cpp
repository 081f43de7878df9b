// `spotfarm render --cloud aws` end to end against the EC2 stand-in (which checks every SigV4
// signature): each instance it launches becomes a real `spotfarm worker` process, started from
// the manager URL and join token in the user-data it received, with an IMDS stand-in of its own;
// terminating the instance stops the worker. The stand-in Blender (tests/data/fake_blender.py)
// renders "slow" frames of about 3 s and writes real PNG files.
#include <csignal>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "blender/output_validator.h"
#include "run_spotfarm.h"
#include "support/fake_ec2.h"
#include "support/fake_imds.h"
#include "support/scratch_dir.h"
#include "util/subprocess.h"

namespace spotfarm::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using providers::aws::InstanceState;

// What a booted instance would run: the worker the user-data asks for.
struct Instance {
    std::unique_ptr<FakeImds> imds;
    std::optional<util::Subprocess> worker;
    std::string log;
};

class CloudRender : public ::testing::Test {
protected:
    void SetUp() override {
        ec2.on_launch([this](const FakeEc2Instance& launched) { boot(launched); });
        ec2.on_terminate([this](const FakeEc2Instance& gone) {
            std::lock_guard lock(mutex);
            auto it = instances.find(gone.id);
            if (it != instances.end() && it->second.worker) it->second.worker->signal_group(SIGTERM);
        });
        std::ofstream(dir / "shot.json")
            << R"({"frames": {"1": "slow", "2": "slow", "3": "slow", "4": "slow", "5": "slow",
                              "6": "slow", "7": "slow", "8": "slow", "9": "slow"}})";
    }
    void TearDown() override {
        std::lock_guard lock(mutex);
        for (auto& [id, instance] : instances)
            if (instance.worker) instance.worker->terminate(5s);
    }

    void boot(const FakeEc2Instance& launched) {
        std::smatch url, token;
        ASSERT_TRUE(std::regex_search(launched.user_data, url,
                                      std::regex(R"(spotfarm worker --manager (\S+))")))
            << launched.user_data;
        ASSERT_TRUE(std::regex_search(launched.user_data, token,
                                      std::regex(R"(SPOTFARM_JOIN_TOKEN=(\S+))")));
        Instance instance;
        instance.imds = std::make_unique<FakeImds>();
        util::SpawnOptions spawn;
        spawn.argv = {SPOTFARM_EXE,
                      "worker",
                      "--manager",
                      url[1].str(),
                      "--name",
                      launched.id,
                      "--state-dir",
                      (dir / "instances" / launched.id).string(),
                      "--blender",
                      SPOTFARM_TEST_DATA "/fake_blender.py",
                      "--claim-wait",
                      "1",
                      "--imds-url",
                      instance.imds->base_url(),
                      "--spot-poll",
                      "1"};
        spawn.env = {{"SPOTFARM_JOIN_TOKEN", token[1].str()},
                     {"SPOTFARM_INSTANCE_ID", launched.id}};
        auto process = util::Subprocess::spawn(spawn);
        ASSERT_TRUE(process) << process.error().message;
        instance.worker.emplace(std::move(process).value());
        std::lock_guard lock(mutex);
        instances.emplace(launched.id, std::move(instance));
    }

    std::vector<std::string> env(const std::string& secret = {}) const {
        return user_env(dir.path(), ec2.credentials().access_key_id,
                        secret.empty() ? ec2.credentials().secret_access_key : secret);
    }
    std::vector<std::string> render_args(int count) {
        return {"render",       (dir / "shot.json").string(),
                "--frames",     "1-9",
                "-o",           (dir / "out" / "frame_####").string(),
                "--cloud",      "aws",
                "--count",      std::to_string(count),
                "--instance-type", "c7i.large",
                "--ami",        "ami-0123456789abcdef0",
                "--listen",     "127.0.0.1:0",
                "--ec2-endpoint", ec2.endpoint()};
    }
    // Reads the instance's worker output; true once it renders a frame.
    bool rendering(const std::string& id) {
        std::lock_guard lock(mutex);
        auto it = instances.find(id);
        if (it == instances.end() || !it->second.worker) return false;
        std::vector<std::string> lines;
        it->second.worker->read_output(lines);
        for (const auto& line : lines) it->second.log += line + "\n";
        return it->second.log.find(": rendering frames") != std::string::npos;
    }
    bool worker_exited(const std::string& id) {
        std::lock_guard lock(mutex);
        return instances.at(id).worker->poll_exit().has_value();
    }

    FakeEc2 ec2;
    test::ScratchDir dir;
    std::mutex mutex;
    std::map<std::string, Instance> instances;
};

std::string diagnose(const SpotfarmRun& run) {
    return "exit " + std::to_string(run.exit_code) + "\n--- stdout\n" + run.out + "--- stderr\n" +
           run.err;
}

TEST_F(CloudRender, ThreeInstancesOneInterruptedEveryFrameOnceAndNothingLeft) {
    SpotfarmRun run;
    std::jthread render([&] { run = run_spotfarm(render_args(3), env(), dir.path()); });

    // The first instance gets its notice while it renders a frame it cannot finish in time.
    std::string victim;
    for (auto until = std::chrono::steady_clock::now() + 60s;
         victim.empty() && std::chrono::steady_clock::now() < until;
         std::this_thread::sleep_for(100ms)) {
        auto launched = ec2.instances();
        if (!launched.empty() && rendering(launched.front().id)) victim = launched.front().id;
    }
    ASSERT_FALSE(victim.empty()) << "no instance rendered";
    {
        std::lock_guard lock(mutex);
        instances.at(victim).imds->set_interruption("terminate",
                                                    std::chrono::system_clock::now() + 3s);
    }
    for (auto until = std::chrono::steady_clock::now() + 20s;
         !worker_exited(victim) && std::chrono::steady_clock::now() < until;)
        std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(worker_exited(victim)) << "the interrupted worker did not leave";
    ec2.set_state(victim, InstanceState::terminated);  // AWS takes the instance back

    render.join();
    ASSERT_EQ(run.exit_code, 0) << diagnose(run);
    EXPECT_NE(run.out.find("9 of 9"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("is terminated"), std::string::npos) << run.out;

    const auto all = ec2.instances();
    EXPECT_GE(all.size(), 4u) << "the interrupted instance was replaced";
    for (const auto& instance : all) {
        EXPECT_EQ(instance.state, InstanceState::terminated) << instance.id;
        EXPECT_TRUE(instance.spot) << instance.id;
    }
    EXPECT_EQ(ec2.refused_signatures(), 0);
    std::vector<std::string> frames = test::list_dir(dir / "out");
    std::erase_if(frames, [](const std::string& name) { return !name.ends_with(".png"); });
    ASSERT_EQ(frames.size(), 9u);
    for (int frame = 1; frame <= 9; ++frame) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%04d.png", frame);
        EXPECT_TRUE(blender::validate_output(dir / "out" / name)) << name;
    }
}

TEST_F(CloudRender, BadCredentialsAreRefusedClearlyAndLaunchNothing) {
    auto run = run_spotfarm(render_args(2), env("not-the-secret"), dir.path());
    EXPECT_NE(run.exit_code, 0) << diagnose(run);
    EXPECT_NE(run.err.find("AWS rejected the credentials"), std::string::npos) << diagnose(run);
    EXPECT_TRUE(ec2.instances().empty());
}

}  // namespace
}  // namespace spotfarm::testing

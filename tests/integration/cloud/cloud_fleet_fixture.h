#pragma once
// The EC2 stand-in (which checks every SigV4 signature) with instances that boot: each instance
// it launches becomes a real `spotfarm worker` process, started from the manager URL and join
// token in the user-data it received, with an IMDS stand-in of its own; terminating the instance
// stops the worker. The stand-in Blender (tests/data/fake_blender.py) writes real PNG files;
// "slow" frames take about 3 s. Shared by the `render --cloud aws` and `manager --provider aws`
// tests.

#include <csignal>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "blender/output_validator.h"
#include "run_spotfarm.h"
#include "support/fake_ec2.h"
#include "support/fake_imds.h"
#include "support/scratch_dir.h"
#include "util/subprocess.h"

namespace spotfarm::testing {

// What a booted instance would run: the worker the user-data asks for.
struct BootedInstance {
    std::unique_ptr<FakeImds> imds;
    std::optional<util::Subprocess> worker;
    std::string log;
};

inline std::string diagnose(const SpotfarmRun& run) {
    return "exit " + std::to_string(run.exit_code) + "\n--- stdout\n" + run.out + "--- stderr\n" +
           run.err;
}

// Polls `condition` every 100 ms until it holds or `timeout` passes; returns the last answer.
template <class Condition>
bool wait_until(Condition&& condition, std::chrono::milliseconds timeout) {
    for (auto until = std::chrono::steady_clock::now() + timeout;;
         std::this_thread::sleep_for(std::chrono::milliseconds(100))) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
    }
}

class CloudFleet : public ::testing::Test {
protected:
    void SetUp() override {
        ec2.on_launch([this](const FakeEc2Instance& launched) {
            if (!never_boots.count(int(ec2_launches++))) boot(launched);
        });
        ec2.on_terminate([this](const FakeEc2Instance& gone) {
            std::lock_guard lock(mutex);
            auto it = instances.find(gone.id);
            if (it != instances.end() && it->second.worker)
                it->second.worker->signal_group(SIGTERM);
        });
    }
    void TearDown() override {
        std::lock_guard lock(mutex);
        for (auto& [id, instance] : instances)
            if (instance.worker) instance.worker->terminate(std::chrono::seconds(5));
    }

    // shot.json: frames 1..count, each rendered as `action` ("ok", "slow").
    void write_scene(int count, const std::string& action) {
        std::string frames;
        for (int frame = 1; frame <= count; ++frame)
            frames +=
                (frame > 1 ? ", " : "") + ("\"" + std::to_string(frame) + "\": \"" + action + "\"");
        dir.write("shot.json", "{\"frames\": {" + frames + "}}");
        frame_count = count;
    }

    void boot(const FakeEc2Instance& launched) {
        std::smatch url, token;
        ASSERT_TRUE(std::regex_search(launched.user_data, url,
                                      std::regex(R"(spotfarm worker --manager (\S+))")))
            << launched.user_data;
        ASSERT_TRUE(std::regex_search(launched.user_data, token,
                                      std::regex(R"(SPOTFARM_JOIN_TOKEN=(\S+))")));
        BootedInstance instance;
        instance.imds = std::make_unique<FakeImds>();
        util::SpawnOptions spawn;
        spawn.argv = {SPOTFARM_EXE,   "worker",
                      "--manager",    url[1].str(),
                      "--name",       launched.id,
                      "--state-dir",  (dir / "instances" / launched.id).string(),
                      "--blender",    SPOTFARM_TEST_DATA "/fake_blender.py",
                      "--claim-wait", "1",
                      "--imds-url",   instance.imds->base_url(),
                      "--spot-poll",  "1"};
        spawn.env = {{"SPOTFARM_JOIN_TOKEN", token[1].str()},
                     {"SPOTFARM_INSTANCE_ID", launched.id}};
        auto process = util::Subprocess::spawn(spawn);
        ASSERT_TRUE(process) << process.error().message;
        instance.worker.emplace(std::move(process).value());
        std::lock_guard lock(mutex);
        instances.emplace(launched.id, std::move(instance));
    }

    std::vector<std::string> env(const std::string& key = {},
                                 const std::string& secret = {}) const {
        return user_env(dir.path(), key.empty() ? ec2.credentials().access_key_id : key,
                        secret.empty() ? ec2.credentials().secret_access_key : secret);
    }
    // `spotfarm render shot.json` of every frame of the scene on up to `count` instances.
    std::vector<std::string> render_args(int count) const {
        std::vector<std::string> args = {"render",
                                         (dir / "shot.json").string(),
                                         "--frames",
                                         "1-" + std::to_string(frame_count),
                                         "-o",
                                         (dir / "out" / "frame_####").string(),
                                         "--cloud",
                                         "aws",
                                         "--count",
                                         std::to_string(count),
                                         "--ami",
                                         "ami-0123456789abcdef0",
                                         "--listen",
                                         "127.0.0.1:0",
                                         "--ec2-endpoint",
                                         ec2.endpoint()};
        args.insert(args.end(), machines.begin(), machines.end());
        return args;
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
    // Every booted instance's worker output so far, for failure messages.
    std::string worker_logs() {
        std::lock_guard lock(mutex);
        std::string text;
        for (auto& [id, instance] : instances) {
            std::vector<std::string> lines;
            if (instance.worker) instance.worker->read_output(lines);
            for (const auto& line : lines) instance.log += line + "\n";
            text += "--- worker of " + id + "\n" + instance.log;
        }
        return text;
    }
    bool worker_exited(const std::string& id) {
        std::lock_guard lock(mutex);
        return instances.at(id).worker->poll_exit().has_value();
    }
    bool booted(const std::string& id) {
        std::lock_guard lock(mutex);
        return instances.count(id) > 0;
    }

    // Every frame of the scene is on disk once, as a valid PNG, and nothing else is.
    void expect_every_frame_on_disk() {
        std::vector<std::string> frames = test::list_dir(dir / "out");
        std::erase_if(frames, [](const std::string& name) { return !name.ends_with(".png"); });
        ASSERT_EQ(frames.size(), size_t(frame_count));
        for (int frame = 1; frame <= frame_count; ++frame) {
            char name[32];
            std::snprintf(name, sizeof name, "frame_%04d.png", frame);
            EXPECT_TRUE(blender::validate_output(dir / "out" / name)) << name;
        }
    }
    // Every instance the stand-in ever launched is terminated, and its worker has exited (within
    // the worker's drain grace of 20 s: its manager may already be gone).
    void expect_nothing_left_running() {
        for (const auto& instance : ec2.instances())
            EXPECT_EQ(instance.state, providers::aws::InstanceState::terminated) << instance.id;
        for (const auto& instance : ec2.instances()) {
            if (!booted(instance.id)) continue;
            EXPECT_TRUE(
                wait_until([&] { return worker_exited(instance.id); }, std::chrono::seconds(30)))
                << "the worker of " << instance.id << " still runs\n"
                << worker_logs();
        }
    }
    int calls_of(const std::string& action) const {
        int n = 0;
        for (const auto& call : ec2.calls()) n += call.action == action;
        return n;
    }

    FakeEc2 ec2;
    // The machine flags of render_args(); empty: the default attribute-based selection.
    std::vector<std::string> machines = {"--instance-type", "c7i.large"};
    test::ScratchDir dir;
    int frame_count = 0;
    std::set<int> never_boots;  // launch numbers (0 = the first instance) that start no worker
    std::atomic<int> ec2_launches{0};
    std::mutex mutex;
    std::map<std::string, BootedInstance> instances;
};

}  // namespace spotfarm::testing

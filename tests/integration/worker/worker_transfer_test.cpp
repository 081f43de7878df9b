// `spotfarm worker` on a transfer-mode job (docs/transfer.md): the scene exists only as blobs on
// the manager stand-in, the worker fetches them into its cache, renders in its own copy of the
// job's folder and uploads each frame before it reports the task complete.
#include <fstream>

#include <gtest/gtest.h>

#include "fake_manager.h"
#include "protocol/transfer.h"
#include "support/scratch_dir.h"
#include "util/file_hash.h"
#include "util/subprocess.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using Calls = std::vector<FakeManager::Call>;

std::string sha256_of(const std::string& bytes) {
    util::Sha256 digest;
    digest.update(bytes);
    return digest.hex_digest();
}

class WorkerTransferTest : public ::testing::Test {
protected:
    // Serves `files` (tree path -> bytes) and their tree; returns the tree's hash.
    std::string serve(const std::map<std::string, std::string>& files) {
        protocol::Tree tree;
        for (const auto& [path, bytes] : files) {
            manager.add_blob(sha256_of(bytes), bytes);
            tree.files.push_back({path, sha256_of(bytes), std::int64_t(bytes.size())});
        }
        const std::string blob = protocol::to_tree_blob(tree);
        manager.add_blob(sha256_of(blob), blob);
        return sha256_of(blob);
    }
    json task(int id, const std::string& frames, const std::string& tree) {
        return json{{"task_id", id},
                    {"job_id", 7},
                    {"frames", frames},
                    {"job",
                     {{"scene", "shots/scene.json"},
                      {"output", "renders/frame_####"},
                      {"tree", tree},
                      {"stall_timeout_s", 60}}}};
    }
    void start() {
        std::vector<std::string> argv = {SPOTFARM_EXE,   "worker",
                                         "--manager",    manager.url(),
                                         "--token",      "join-token",
                                         "--name",       "w1",
                                         "--state-dir",  (scratch / "state").string(),
                                         "--blender",    SPOTFARM_TEST_DATA "/fake_blender.py",
                                         "--claim-wait", "1",
                                         "--cache-size", "64M"};
        auto spawned = util::Subprocess::spawn(util::SpawnOptions{argv, {}});
        ASSERT_TRUE(spawned) << spawned.error().message;
        process.emplace(std::move(spawned).value());
    }
    bool wait_for(const std::function<bool(const Calls&)>& done) {
        bool ok = manager.wait_until(done, 30s);
        if (process) process->read_output(lines);
        return ok;
    }
    std::string log() const {
        std::string text;
        for (const auto& line : lines) text += line + "\n";
        return text;
    }
    void stop() {
        process->signal_group(SIGTERM);
        auto status = process->wait_for(20s, [this](const std::string& l) { lines.push_back(l); });
        ASSERT_TRUE(status.has_value()) << log();
        EXPECT_EQ(status->code, 0) << log();
    }

    ScratchDir scratch;
    FakeManager manager;
    std::optional<util::Subprocess> process;
    std::vector<std::string> lines;
};

TEST_F(WorkerTransferTest, FetchesTheTreeRendersInItAndUploadsEveryFrameBeforeCompleting) {
    const std::string scene = json{{"resolution", {6, 2}}}.dump();
    const std::string texture(300'000, 't');
    const std::string tree = serve({{"shots/scene.json", scene}, {"shots/tex/wood.png", texture}});
    manager.add_task(task(1, "1-2", tree));
    manager.add_task(task(2, "3", tree));
    start();

    ASSERT_TRUE(wait_for([](const Calls& calls) {
        return std::count_if(calls.begin(), calls.end(),
                             [](const auto& c) { return c.path.ends_with("/complete"); }) == 2;
    })) << log();

    // Every frame is on the manager, whole, under its name in the job's output store.
    auto frames = manager.frames();
    ASSERT_EQ(frames.size(), 3u) << log();
    for (const char* name :
         {"renders/frame_0001.png", "renders/frame_0002.png", "renders/frame_0003.png"}) {
        ASSERT_EQ(frames.count(name), 1u) << name << "\n" << log();
        const auto& [bytes, hash] = frames.at(name);
        EXPECT_EQ(bytes.substr(0, 8), "\x89PNG\r\n\x1a\n");
        EXPECT_EQ(hash, sha256_of(bytes));
    }
    // Reported by those names, only after the uploads.
    auto completes = manager.calls("/tasks/1/complete");
    ASSERT_EQ(completes.size(), 1u);
    EXPECT_EQ(completes[0].body["frames"][0]["output"], "renders/frame_0001.png");
    auto calls = manager.calls();
    std::vector<std::string> order;
    for (const auto& c : calls) {
        if (c.path.starts_with("/tasks/1/")) order.push_back(c.path);
    }
    auto complete_at = std::find(order.begin(), order.end(), "/tasks/1/complete");
    EXPECT_EQ(std::count(order.begin(), complete_at, "/tasks/1/frames/1"), 1);
    EXPECT_EQ(std::count(order.begin(), complete_at, "/tasks/1/frames/2"), 1);

    // Each blob came once for both tasks, into the worker's cache; the frames left its disk.
    EXPECT_EQ(manager.calls("/blobs/" + sha256_of(texture)).size(), 1u);
    EXPECT_EQ(manager.calls("/blobs/" + tree).size(), 1u);
    const fs::path cache = scratch / "state" / "cache" / "blobs";
    EXPECT_TRUE(fs::exists(cache / sha256_of(texture).substr(0, 2) / sha256_of(texture)));
    const fs::path job = scratch / "state" / "work" / "job-7";
    EXPECT_TRUE(fs::exists(job / "tree" / "shots" / "tex" / "wood.png"));
    EXPECT_FALSE(fs::exists(job / "out" / "renders" / "frame_0001.png"));

    stop();
    EXPECT_FALSE(fs::exists(job));  // left: the job's folder goes, the cache stays
    EXPECT_TRUE(fs::exists(cache / sha256_of(texture).substr(0, 2) / sha256_of(texture)));
}

TEST_F(WorkerTransferTest, ABlobTheManagerLostFailsTheTaskSayingWhichFile) {
    serve({{"shots/scene.json", "{}"}});
    // A tree that lists a file the manager does not have.
    protocol::Tree broken;
    broken.files = {{"shots/scene.json", sha256_of("{}"), 2},
                    {"shots/tex/gone.png", std::string(64, 'e'), 10}};
    const std::string blob = protocol::to_tree_blob(broken);
    manager.add_blob(sha256_of(blob), blob);
    manager.add_task(task(1, "1", sha256_of(blob)));
    start();

    ASSERT_TRUE(wait_for([](const Calls& calls) {
        return std::any_of(calls.begin(), calls.end(),
                           [](const auto& c) { return c.path == "/tasks/1/fail"; });
    })) << log();
    const std::string error = manager.calls("/tasks/1/fail").at(0).body["error"];
    EXPECT_NE(error.find("shots/tex/gone.png of job 7"), std::string::npos) << error;
    EXPECT_NE(error.find("submit the job again"), std::string::npos) << error;
    EXPECT_TRUE(manager.frames().empty());
    stop();
}

}  // namespace
}  // namespace spotfarm::test

// Transfer mode end to end: a manager and two workers whose folders do not overlap render a scene
// with a texture in a subfolder, a linked library and a file outside the scene's folder, after the
// scene's folder is gone from the submitter's machine; `spotfarm sync` brings every frame into a
// third folder. A second run kills a worker mid-fetch and the manager mid-upload.

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <OpenImageIO/imageio.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "blender/output_validator.h"
#include "support/farm_fixture.h"
#include "util/file_hash.h"
#include "util/subprocess.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;

const std::vector<int> k_frames = {1, 2, 3};

std::vector<float> pixels(const fs::path& path) {
    auto in = OIIO::ImageInput::open(path.string());
    if (!in) return {};
    const auto& spec = in->spec();
    std::vector<float> data(static_cast<std::size_t>(spec.width) * spec.height * spec.nchannels);
    in->read_image(0, 0, 0, spec.nchannels, OIIO::TypeDesc::FLOAT, data.data());
    return data;
}

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

// The frames f_0001.png ... of `frames`, by name.
std::set<std::string> frame_names(const std::vector<int>& frames) {
    std::set<std::string> names;
    for (int f : frames) {
        char name[32];
        std::snprintf(name, sizeof name, "f_%04d.png", f);
        names.insert(name);
    }
    return names;
}

class TransferTest : public FarmTest {
protected:
    // The artist's machine: OUT/shot/shot.blend with tex/, lib/ and OUT/external/rock.png.
    fs::path make_scene(const fs::path& out) {
        auto made = util::run_capture(
            {"blender", "-b", "--factory-startup", "--python-exit-code", "1", "--python",
             std::string(SPOTFARM_SOURCE_DIR) + "/tests/scenes/make_transfer_scene.py", "--",
             out.string()},
            std::chrono::seconds(120));
        EXPECT_TRUE(made && made->status.code == 0) << (made ? made->output : made.error().message);
        return out / "shot" / "shot.blend";
    }

    // `spotfarm ARGS` with the people token, to its end; exit code and output.
    std::pair<int, std::string> spotfarm(std::vector<std::string> args,
                                         std::chrono::seconds limit = std::chrono::seconds(300)) {
        args.insert(args.begin(), SPOTFARM_EXE);
        auto done = util::run_capture(args, limit,
                                      {{"SPOTFARM_TOKEN", m_people}, {"SPOTFARM_MANAGER", url()}});
        if (!done) return {-1, done.error().message};
        return {done->status.code, done->output};
    }

    // Submits in transfer mode and returns the job id from the --json answer.
    std::int64_t submit_transfer(const fs::path& scene, std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"submit", scene.string(), "--frames",   "1-3",
                                         "-o",     "f_####",       "--transfer", "--threads",
                                         "1",      "--strict",     "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto [code, output] = spotfarm(args);
        EXPECT_EQ(code, 0) << output;
        auto answer = nlohmann::json::parse(
            output.substr(std::min(output.find('{'), output.size())), nullptr, false);
        EXPECT_TRUE(answer.is_object() && answer.contains("id")) << output;
        return answer.is_object() ? answer.value("id", std::int64_t{0}) : 0;
    }

    bool finished(std::int64_t id) {
        const auto status = job_status(id);
        return status == "completed" || status == "failed" || status == "canceled";
    }

    // Every frame in `dir` once, whole, identical to the manager's copy, nothing else there.
    void expect_synced(std::int64_t id, const fs::path& dir) {
        EXPECT_EQ(names_in(dir), frame_names(k_frames));
        auto listing = api("GET", "/jobs/" + std::to_string(id) + "/frames").second;
        ASSERT_TRUE(listing.contains("frames")) << listing.dump();
        ASSERT_EQ(listing["frames"].size(), k_frames.size()) << listing.dump();
        for (const auto& f : listing["frames"]) {
            const fs::path local = dir / f["name"].get<std::string>();
            EXPECT_TRUE(blender::validate_output(local).ok()) << local;
            auto digest = util::hash_file(local);
            ASSERT_TRUE(digest) << digest.error().message;
            EXPECT_EQ(digest->sha256, f["sha256"].get<std::string>()) << local;
        }
    }
};

TEST_F(TransferTest, ASceneNoWorkerCanSeeRendersAndSyncBringsEveryFrameOnce) {
    const fs::path artist = m_dir / "artist";
    const fs::path scene = make_scene(artist);
    ASSERT_TRUE(fs::exists(scene));
    // What the scene looks like rendered where it was made: the farm must match it pixel for
    // pixel, which it can only do with the texture, the library and the outside file found.
    auto [ref_code, ref_output] =
        spotfarm({"exec", scene.string(), "--frames", "1", "-o",
                  (m_dir / "reference" / "f_####").string(), "--threads", "1", "--strict"});
    ASSERT_EQ(ref_code, 0) << ref_output;

    start_manager();
    const std::int64_t id = submit_transfer(scene);
    ASSERT_GT(id, 0);
    // The workers run after the artist's folder is gone: nothing they render can come from it.
    fs::rename(artist, m_dir / "gone");
    start_worker();
    start_worker();
    ASSERT_TRUE(wait_for([&] { return finished(id); }, 300s)) << logs();
    ASSERT_EQ(job_status(id), "completed") << job(id).dump() << logs();
    for (const auto& w : {"w1", "w2"}) {
        EXPECT_FALSE(fs::exists(m_dir / "workers" / w / "shot.blend"));
    }

    const fs::path home = m_dir / "home-frames";
    auto [code, output] = spotfarm({"sync", std::to_string(id), "-o", home.string()});
    ASSERT_EQ(code, 0) << output;
    expect_synced(id, home);
    EXPECT_EQ(pixels(home / "f_0001.png"), pixels(m_dir / "reference" / "f_0001.png"));

    // A second sync has nothing to fetch and changes nothing.
    const auto before = fs::last_write_time(home / "f_0002.png");
    auto [again_code, again] =
        spotfarm({"sync", std::to_string(id), "-o", home.string(), "--json"});
    ASSERT_EQ(again_code, 0) << again;
    auto summary = nlohmann::json::parse(again.substr(std::min(again.find('{'), again.size())),
                                         nullptr, false);
    ASSERT_TRUE(summary.is_object()) << again;
    EXPECT_EQ(summary.value("downloaded", -1), 0) << again;
    EXPECT_EQ(fs::last_write_time(home / "f_0002.png"), before);
}

TEST_F(TransferTest, AWorkerKilledMidFetchAndAManagerKilledMidUploadLoseNothing) {
    const fs::path artist = m_dir / "artist";
    const fs::path scene = make_scene(artist);
    // A large extra file makes the transfers long enough to be cut in the middle.
    const fs::path big = artist / "shot" / "cache" / "big.bin";
    fs::create_directories(big.parent_path());
    {
        std::ofstream out(big, std::ios::binary);
        std::string block(1 << 20, '\0');
        for (int i = 0; i < 192; ++i) {
            for (std::size_t j = 0; j < block.size(); j += 64) block[j] = static_cast<char>(i + j);
            out.write(block.data(), static_cast<std::streamsize>(block.size()));
        }
    }
    auto big_digest = util::hash_file(big);
    ASSERT_TRUE(big_digest);
    const std::string big_hash = big_digest->sha256;

    start_manager();
    // The submit is frozen once the manager holds part of the big file, the manager is killed,
    // started again, and the submit goes on: it must resume, not start over, and succeed.
    SpotfarmProcess submit(
        {"submit", scene.string(), "--frames", "1-3", "-o", "f_####", "--transfer", "--threads",
         "1", "--strict", "--include", big.string(), "--json"},
        {{"SPOTFARM_TOKEN", m_people}, {"SPOTFARM_MANAGER", url()}});
    const fs::path partial = state() / "blobs" / "partial" / big_hash;
    ASSERT_TRUE(wait_for([&] { return fs::exists(partial) || !submit.running(); }, 120s))
        << submit.log();
    ::kill(submit.pid(), SIGSTOP);
    ASSERT_TRUE(fs::exists(partial)) << "the upload ended before it could be cut\n" << submit.log();
    kill_manager();
    start_manager();
    ::kill(submit.pid(), SIGCONT);
    ASSERT_TRUE(wait_for([&] { return !submit.running(); }, 300s)) << submit.log();
    ASSERT_EQ(submit.exited()->code, 0) << submit.log() << logs();
    auto answer = nlohmann::json::parse(
        submit.log().substr(std::min(submit.log().find('{'), submit.log().size())), nullptr, false);
    ASSERT_TRUE(answer.is_object()) << submit.log();
    const std::int64_t id = answer.value("id", std::int64_t{0});
    ASSERT_GT(id, 0);
    fs::rename(artist, m_dir / "gone");

    // The first worker is killed while it fetches the big file; the second, on a folder of its
    // own, renders everything.
    const std::size_t first = start_worker();
    const fs::path cache = m_dir / "workers" / "w1";
    auto fetching = [&] {
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(cache, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->path().filename() == big_hash + ".part") return true;
        }
        return false;
    };
    ASSERT_TRUE(wait_for([&] { return fetching() || finished(id); }, 180s)) << logs();
    ::kill(worker(first).pid(), SIGSTOP);
    ASSERT_TRUE(fetching()) << "the fetch ended before the worker could be killed\n" << logs();
    worker(first).stop(SIGKILL, 10s);
    start_worker();
    ASSERT_TRUE(wait_for([&] { return finished(id); }, 400s)) << logs();
    ASSERT_EQ(job_status(id), "completed") << job(id).dump() << logs();

    const fs::path home = m_dir / "home-frames";
    auto [code, output] = spotfarm({"sync", std::to_string(id), "-o", home.string()});
    ASSERT_EQ(code, 0) << output;
    expect_synced(id, home);
}

}  // namespace
}  // namespace spotfarm::test

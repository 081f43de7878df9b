// `spotfarm estimate --manager`: the sample frames render as a job on a real farm on loopback (a
// `spotfarm manager` and a `spotfarm worker` process, real Blender), the estimate rests on the
// times the manager reports, and the job and its images are gone afterwards.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/loopback_farm.h"
#include "support/run_cli.h"
#include "support/scratch_dir.h"
#include "util/http_client.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::pair<std::string, std::string>> quiet_env(const fs::path& dir) {
    return {{"HOME", (dir / "home").string()},
            {"XDG_CONFIG_HOME", ""},
            {"SPOTFARM_MANAGER", ""},
            {"SPOTFARM_TOKEN", ""},
            {"SPOTFARM_TOKEN_FILE", ""},
            {"SPOTFARM_CONFIG", ""},
            {"AWS_ACCESS_KEY_ID", ""},
            {"AWS_SECRET_ACCESS_KEY", ""},
            {"AWS_PROFILE", ""},
            {"TMPDIR", (dir / "tmp").string()}};
}

json jobs_on(const LoopbackFarm& farm) {
    util::CurlHttpClient http;
    util::HttpRequest request;
    request.method = "GET";
    request.url = farm.url() + "/api/v1/jobs";
    request.headers = {{"Authorization", "Bearer " + farm.people_token()}};
    auto answer = http.send(request);
    if (!answer || answer->status != 200) return nullptr;
    return json::parse(answer->body, nullptr, false)["jobs"];
}

TEST(EstimateFarm, SamplesOnTheFarmsWorkersAndDeletesTheJob) {
    ScratchDir dir;
    fs::create_directories(dir.path() / "tmp");
    fs::create_directories(dir.path() / "home");
    auto farm = LoopbackFarm::start(dir.path() / "farm");
    ASSERT_TRUE(farm) << farm.error().message;
    ASSERT_TRUE((*farm)->add_worker("w1"));

    const std::string scene = std::string(SPOTFARM_TEST_SCENES) + "/tiny_cycles.blend";
    auto run = run_cli({"estimate", scene, "--frames", "1-40", "--sample", "3", "--device", "cpu",
                        "--threads", "1", "--manager", (*farm)->url(), "--token-file",
                        (*farm)->people_token_file().string(), "--json"},
                       std::chrono::seconds(300), quiet_env(dir.path()));
    ASSERT_EQ(run.exit_code, 0) << run.err << (*farm)->logs();
    const json e = json::parse(run.out, nullptr, false);
    ASSERT_FALSE(e.is_discarded()) << run.out;

    EXPECT_EQ(e["frames"], 40);
    const std::vector<int> sampled = e["sampled_frames"];
    ASSERT_EQ(sampled.size(), 3u);
    EXPECT_EQ(sampled.front(), 1);
    EXPECT_EQ(sampled.back(), 40);
    EXPECT_TRUE(std::is_sorted(sampled.begin(), sampled.end()));
    for (const json& s : e["samples"]) EXPECT_GT(s["render_seconds"].get<double>(), 0);
    const double low = e["render_seconds_low"], total = e["render_seconds_total"],
                 high = e["render_seconds_high"];
    EXPECT_GT(total, 0);
    EXPECT_LE(low, total);
    EXPECT_LE(total, high);
    EXPECT_TRUE(e["interval_known"].get<bool>());
    // A worker starts Blender and loads the scene before its first frame: seconds, not nothing.
    EXPECT_GT(e["scene_load_seconds"].get<double>(), 0.1);
    EXPECT_EQ(e["sampled_on"], (*farm)->url());
    EXPECT_EQ(e["farm_workers"], 1);
    EXPECT_EQ(e["speed_factor"], 1.0);
    EXPECT_EQ(e["fleets"].size(), 5u);

    EXPECT_EQ(jobs_on(**farm), json::array()) << "the sample job is still on the manager";
    EXPECT_TRUE(fs::is_empty(dir.path() / "tmp")) << "sample images left behind";
}

TEST(EstimateFarm, AManagerThatIsNotThereIsUnavailable) {
    ScratchDir dir;
    fs::create_directories(dir.path() / "tmp");
    const std::string scene = std::string(SPOTFARM_TEST_SCENES) + "/tiny_cycles.blend";
    auto run = run_cli({"estimate", scene, "--frames", "1-4", "--manager", "http://127.0.0.1:1",
                        "--token", "t", "--json"},
                       std::chrono::seconds(60), quiet_env(dir.path()));
    EXPECT_EQ(run.exit_code, 3) << run.err;
    EXPECT_TRUE(run.mentions("127.0.0.1:1")) << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
    EXPECT_TRUE(fs::is_empty(dir.path() / "tmp"));
}

}  // namespace
}  // namespace spotfarm::test

// `spotfarm estimate` as a user runs it: real Blender, the built binary. The estimate of a shot
// whose frames cost unevenly must hold the real total of a full render within its interval, and
// bad input must be refused with a clear message and the exit codes exec uses.

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.h"
#include "support/scratch_dir.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string scene(const std::string& name) {
    return (fs::path(SPOTFARM_TEST_SCENES) / (name + ".blend")).string();
}

json json_of(const CliRun& run) {
    auto j = json::parse(run.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "stdout:\n" << run.out << "\nstderr:\n" << run.err;
    return j;
}

#define EXPECT_MENTIONS(run, text) \
    EXPECT_TRUE((run).mentions(text)) << "stdout:\n" << (run).out << "\nstderr:\n" << (run).err

struct Interval {
    double low = 0, total = 0, high = 0;
};

// `spotfarm estimate` of uneven_cost frames 1-12 with five samples, checked for its shape.
Interval estimate_uneven(const ScratchDir& dir) {
    // TMPDIR shows that the sample renders' temporary folder is removed.
    const fs::path tmp = dir.path() / "tmp";
    fs::create_directories(tmp);
    auto run = run_cli({"estimate", scene("uneven_cost"), "--frames", "1-12", "--sample", "5",
                        "--device", "cpu", "--threads", "1", "--json"},
                       std::chrono::seconds(300), {{"TMPDIR", tmp.string()}});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    const json e = json_of(run);
    if (e.is_discarded()) return {};
    EXPECT_EQ(e["frames"], 12);
    // The five spread samples, and where neighbours differ a lot (frame 1 at 100 samples against
    // frame 4 at 640) frames between them, at most five more.
    const std::vector<int> sampled = e["sampled_frames"];
    for (int planned : {1, 4, 7, 9, 12})
        EXPECT_NE(std::find(sampled.begin(), sampled.end(), planned), sampled.end()) << planned;
    EXPECT_GT(sampled.size(), 5u) << e["sampled_frames"].dump();
    EXPECT_LE(sampled.size(), 10u) << e["sampled_frames"].dump();
    EXPECT_TRUE(e["interval_known"].get<bool>());
    Interval i{e["render_seconds_low"], e["render_seconds_total"], e["render_seconds_high"]};
    // The low end is never below what the sampled frames alone took.
    double measured = 0;
    for (const json& sample : e["samples"]) measured += sample["render_seconds"].get<double>();
    EXPECT_GE(i.low, measured - 1e-9) << e.dump();
    EXPECT_LE(i.low, i.total);
    EXPECT_LT(i.total, i.high);
    EXPECT_GT(e["scene_load_seconds"].get<double>(), 0);
    std::vector<int> workers;
    for (const json& row : e["fleets"]) {
        workers.push_back(row["workers"]);
        EXPECT_GT(row["wall_seconds"].get<double>(), 0);
        EXPECT_GT(row["cost_usd"].get<double>(), 0);
    }
    EXPECT_EQ(workers, (std::vector<int>{1, 5, 10, 25, 50}));
    EXPECT_TRUE(list_dir(tmp).empty()) << "sample renders left behind in TMPDIR";
    return i;
}

// uneven_cost: 12 frames whose sample count climbs from 100 to 1000 and falls to 300. Five
// samples (1, 4, 7, 9, 12) see the shape; the rest is interpolated. The machine that runs the
// tests is shared, and its load scales every render time alike, which no estimate made at
// another moment can know; so the full render is bracketed by an estimate just before and one
// just after it, and must lie within their intervals taken together. One thread each: on two
// shared cores a one-thread render slows only when both cores are taken, a two-thread one as soon
// as one is.
TEST(Estimate, RealRenderTotalLiesWithinTheInterval) {
    ScratchDir dir;
    const Interval before = estimate_uneven(dir);
    auto real =
        run_cli({"exec", scene("uneven_cost"), "--frames", "1-12", "--device", "cpu", "--threads",
                 "1", "-o", (dir.path() / "out" / "f_####").string(), "--json"});
    ASSERT_EQ(real.exit_code, 0) << real.err;
    const Interval after = estimate_uneven(dir);
    const json r = json_of(real);
    ASSERT_EQ(r["rendered"], 12);
    const double real_total = r["render_seconds"]["total"];
    const std::string figures = "real " + std::to_string(real_total) + " s; estimate before " +
                                std::to_string(before.total) + " [" + std::to_string(before.low) +
                                ", " + std::to_string(before.high) + "], after " +
                                std::to_string(after.total) + " [" + std::to_string(after.low) +
                                ", " + std::to_string(after.high) + "]";
    EXPECT_GE(real_total, std::min(before.low, after.low)) << figures;
    EXPECT_LE(real_total, std::max(before.high, after.high)) << figures;
    std::cout << figures << "\n";
}

TEST(Estimate, TextShowsTotalsRunningLengthAndFleetTable) {
    auto run = run_cli({"estimate", scene("tiny_cycles"), "--frames", "1-2", "--sample", "2",
                        "--instance-type", "c7i.8xlarge", "--count", "3", "--on-demand", "--device",
                        "cpu"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_MENTIONS(run, "from 2 sampled frames");
    EXPECT_MENTIONS(run, "render time");
    EXPECT_MENTIONS(run, "at 23.976");
    EXPECT_MENTIONS(run, "at 59.94");
    EXPECT_MENTIONS(run, "c7i.8xlarge on-demand instances");
    EXPECT_MENTIONS(run, "* 3 (2 used)");
    EXPECT_MENTIONS(run, "50 (2 used)");
    EXPECT_MENTIONS(run, "built-in table of");
    EXPECT_MENTIONS(run, "sampling 2 of 2 frames");  // the progress on stderr
}

struct BadInput {
    std::vector<std::string> args;
    int exit_code;
    std::string says;
};

TEST(Estimate, BadInputIsRefusedWithAReason) {
    ScratchDir dir;
    const auto corrupt = dir.write("corrupt.blend", std::string(4096, 'x'));
    const std::vector<BadInput> cases{
        {{"estimate", scene("tiny_cycles"), "--frames", "9-1"}, 2, "bad --frames '9-1'"},
        {{"estimate", scene("tiny_cycles"), "--frames", "1-2", "--sample", "3"},
         2,
         "--sample 3 is more than the 2 frames"},
        {{"estimate", scene("tiny_cycles"), "--frames", "1-2", "--instance-type", "x9.mega"},
         2,
         "c7i.4xlarge"},
        {{"estimate", (dir.path() / "none.blend").string(), "--frames", "1-2"}, 2, "none.blend"},
        {{"estimate", corrupt.string(), "--frames", "1-2"}, 2, "not a .blend"},
        {{"estimate", scene("tiny_cycles"), "--manager", "http://127.0.0.1:1"},
         2,
         "--manager needs --frames"},
        {{"estimate", scene("tiny_cycles"), "--frames", "1-2", "--prices",
          (dir.path() / "no-prices.json").string()},
         2,
         "no-prices.json"},
        {{"estimate", scene("tiny_cycles"), "--spot", "--on-demand"}, 2, "excludes"},
    };
    for (const BadInput& c : cases) {
        auto run = run_cli(c.args);
        EXPECT_EQ(run.exit_code, c.exit_code) << c.args[1] << " " << run.err;
        EXPECT_MENTIONS(run, c.says);
        EXPECT_TRUE(run.out.empty()) << run.out;
    }
}

TEST(Estimate, MissingBlenderIsUnavailable) {
    auto run = run_cli({"estimate", scene("tiny_cycles"), "--frames", "1-2"},
                       std::chrono::seconds(60), {{"SPOTFARM_BLENDER", "/nonexistent/blender"}});
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_MENTIONS(run, "Blender not found");
}

TEST(Estimate, ASampleFrameThatFailsFailsTheEstimate) {
    // Denoising on a Blender built without OpenImageDenoise: the frame does not render.
    auto run = run_cli({"estimate", scene("denoise"), "--frames", "1-2", "--device", "cpu"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_MENTIONS(run, "sample frame 1 did not render");
    EXPECT_TRUE(run.out.empty()) << run.out;
}

}  // namespace
}  // namespace spotfarm::test

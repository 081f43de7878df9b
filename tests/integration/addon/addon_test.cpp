// The Blender add-on in Debian's real Blender (background mode): installed from the zip that
// `make addon` builds, with Blender's own operators, pointed at a real `spotfarm manager` on
// loopback with a real worker. drive_addon.py presses the panel's buttons and writes what the
// operators and the panel said; these tests check that and what the farm did.
#include <fstream>
#include <iterator>

#include "support/farm_fixture.h"
#include "util/subprocess.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;

const std::string k_driver = SPOTFARM_SOURCE_DIR "/tests/integration/addon/drive_addon.py";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class AddonTest : public FarmTest {
protected:
    void SetUp() override {
        auto zipped =
            util::run_capture({SPOTFARM_SOURCE_DIR "/scripts/addon-zip.sh", zip().string()}, 60s);
        ASSERT_TRUE(zipped) << zipped.error().message;
        ASSERT_TRUE(zipped->status.success()) << zipped->output;
        fs::copy_file(farm_scene("tiny_cycles"), shot());
    }

    fs::path zip() const { return m_dir / "spotfarm-addon.zip"; }
    fs::path shot() const { return m_dir / "shot.blend"; }
    fs::path user_config() const { return m_dir / "blender-config"; }
    fs::path temp() const { return m_dir / "tmp"; }

    // The copies of the open file the add-on saved for the farm and still keeps.
    std::vector<std::string> copies() const {
        std::vector<std::string> found;
        for (const auto& name : list_dir(temp())) {
            if (name.rfind("spotfarm-", 0) == 0) found.push_back(name);
        }
        return found;
    }

    // Runs Blender on `scene` with drive_addon.py and `plan` (zip and results filled in), while
    // the manager's and workers' output is read; the results, or null after a test failure.
    json run_blender(const fs::path& scene, json plan) {
        plan["zip"] = zip().string();
        plan["results"] = (m_dir / "results.json").string();
        const auto plan_file = m_dir.write("plan.json", plan.dump());
        util::SpawnOptions options;
        options.argv = {"blender",  "-b",     scene.string(), "--python-exit-code", "1",
                        "--python", k_driver, "--",           plan_file.string()};
        // Blender's user folders in the test's own folder: the machine's setup is not touched.
        options.env = {{"BLENDER_USER_CONFIG", user_config().string()},
                       {"BLENDER_USER_SCRIPTS", (m_dir / "blender-scripts").string()},
                       {"HOME", (m_dir / "home").string()},
                       {"TMPDIR", temp().string()},
                       {"SPOTFARM_MANAGER", ""},
                       {"SPOTFARM_TOKEN", ""},
                       {"SPOTFARM_TOKEN_FILE", ""},
                       {"SPOTFARM_CONFIG", ""},
                       // No AWS account: the cloud's failures are the ones a person without
                       // one sees.
                       {"AWS_ACCESS_KEY_ID", ""},
                       {"AWS_SECRET_ACCESS_KEY", ""},
                       {"AWS_SESSION_TOKEN", ""},
                       {"AWS_PROFILE", ""}};
        fs::create_directories(temp());
        auto spawned = util::Subprocess::spawn(options);
        if (!spawned) {
            ADD_FAILURE() << spawned.error().message;
            return nullptr;
        }
        util::Subprocess blender = std::move(spawned).value();
        std::vector<std::string> lines;
        std::optional<util::ExitStatus> status;
        wait_for(
            [&] {
                blender.read_output(lines);
                status = blender.poll_exit();
                return status.has_value();
            },
            480s);
        blender.read_output(lines);
        for (const auto& line : lines) blender_log += line + "\n";
        if (!status || !status->success()) {
            ADD_FAILURE() << "Blender did not end well:\n" << blender_log << logs();
            return nullptr;
        }
        EXPECT_FALSE(has(blender_log, "Traceback")) << blender_log;
        auto results = json::parse(read_file(m_dir / "results.json"), nullptr, false);
        EXPECT_FALSE(results.is_discarded()) << blender_log;
        return results.is_discarded() ? json() : results;
    }

    json manager_prefs(const std::string& token) const {
        return {{"mode", "MANAGER"},
                {"manager_url", url()},
                {"token", token},
                {"spotfarm_path", SPOTFARM_EXE}};
    }

    std::string blender_log;
};

// The messages of a step's reports, one a line, for failure output and searching.
std::string reports(const json& step, const std::string& kind) {
    std::string text;
    for (const auto& r : step["reports"]) {
        if (r[0] == kind) text += r[1].get<std::string>() + "\n";
    }
    return text;
}

TEST_F(AddonTest, EstimateAndSubmitFromBlenderRenderEveryFrame) {
    start_manager();
    start_worker();
    const std::string before = read_file(shot());
    json plan = {{"steps",
                  {{{"operator", "estimate"},
                    {"prefs", manager_prefs(m_people)},
                    {"scene", {{"samples", 1}, {"output", output_pattern()}, {"instances", 5}}},
                    {"limit", 120}},
                   {{"operator", "submit"}, {"limit", 300}}}},
                 {"save_userpref", true},
                 {"save_as", (m_dir / "after.blend").string()}};
    json results = run_blender(shot(), plan);
    ASSERT_TRUE(results.is_object());
    ASSERT_EQ(results["steps"].size(), 2u);

    const json& estimate = results["steps"][0];
    EXPECT_EQ(estimate["result"], json::array({"FINISHED"})) << estimate.dump(1);
    EXPECT_TRUE(estimate["finished"].get<bool>());
    EXPECT_EQ(reports(estimate, "ERROR"), "") << estimate.dump(1);
    ASSERT_GE(estimate["estimate"].size(), 3u) << estimate.dump(1);
    EXPECT_TRUE(has(estimate["estimate"][0].get<std::string>(), "Render time "))
        << estimate.dump(1);
    EXPECT_TRUE(has(estimate["estimate"][0].get<std::string>(), "% interval ")) << estimate.dump(1);
    EXPECT_EQ(estimate["estimate"][1], "4 frames, 4 sampled") << estimate.dump(1);
    // The machines are chosen by vCPUs and memory: the cheapest type of the table that fits.
    EXPECT_TRUE(has(estimate["estimate"][2].get<std::string>(), "On 5 x ")) << estimate.dump(1);
    EXPECT_TRUE(has(estimate["estimate"][2].get<std::string>(), "$")) << estimate.dump(1);

    const json& submit = results["steps"][1];
    EXPECT_EQ(submit["result"], json::array({"FINISHED"})) << submit.dump(1);
    EXPECT_TRUE(submit["finished"].get<bool>()) << submit.dump(1) << logs();
    EXPECT_EQ(reports(submit, "INFO"), "Submitted job 1 (shot)\nJob 1 completed: 4/4 frames\n")
        << submit.dump(1) << logs();
    EXPECT_EQ(submit["job"]["status"], "completed");
    EXPECT_EQ(submit["job"]["frames_done"], 4);
    EXPECT_EQ(submit["job"]["frame_count"], 4);
    EXPECT_EQ(job_status(1), "completed");
    expect_frames_on_disk({1, 2, 3, 4});

    // The farm rendered a copy: the artist's file is as it was. The job reads its copy in place
    // (shared storage: the manager sees it), so that one stays; the estimate's is gone.
    EXPECT_TRUE(read_file(shot()) == before);
    EXPECT_EQ(copies().size(), 1u);
    // The token lives in Blender's preferences, never in a .blend.
    ASSERT_FALSE(m_people.empty());
    EXPECT_TRUE(has(read_file(user_config() / "userpref.blend"), m_people));
    const std::string after = read_file(m_dir / "after.blend");
    ASSERT_FALSE(after.empty());
    EXPECT_FALSE(has(after, m_people));
}

TEST_F(AddonTest, FailuresAreMessagesAPersonUnderstands) {
    start_manager();
    json wrong = manager_prefs("not-the-people-token");
    wrong["spotfarm_path"] = (m_dir / "no-such-dir/spotfarm").string();
    json plan = {{"steps",
                  {{{"operator", "submit"}, {"prefs", wrong}},
                   {{"operator", "submit"},
                    {"prefs", {{"spotfarm_path", SPOTFARM_EXE}}},
                    {"scene", {{"output", output_pattern()}}}},
                   {{"operator", "submit"}, {"prefs", {{"manager_url", "http://127.0.0.1:1"}}}},
                   {{"operator", "submit"},
                    {"prefs", manager_prefs(m_people)},
                    {"open", farm_scene("missing_texture").string()}},
                   {{"operator", "render"},
                    {"prefs",
                     {{"mode", "CLOUD"},
                      {"region", "us-east-1"},
                      {"cloud_args",
                       "--ec2-endpoint http://127.0.0.1:1 --ami ami-0123 --listen 127.0.0.1:0"}}}},
                   {{"operator", "estimate"}, {"new_file", true}}}}};
    json results = run_blender(shot(), plan);
    ASSERT_TRUE(results.is_object());
    const json& steps = results["steps"];
    ASSERT_EQ(steps.size(), 6u);
    for (const auto& step : steps) {
        EXPECT_TRUE(step["finished"].get<bool>()) << step.dump(1);
        // Each failure is one ERROR report, also shown in the panel.
        ASSERT_EQ(step["reports"].size(), 1u) << step.dump(1);
        EXPECT_EQ(step["reports"][0][0], "ERROR") << step.dump(1);
        EXPECT_EQ(step["panel_message"], step["reports"][0]) << step.dump(1);
    }
    // Checked before anything runs: the operator itself reports it (Blender raises it here).
    EXPECT_TRUE(has(steps[0].value("error", ""), "Error: spotfarm is not installed"))
        << steps[0].dump(1);
    EXPECT_TRUE(has(reports(steps[0], "ERROR"), "no-such-dir/spotfarm"));

    EXPECT_TRUE(has(reports(steps[1], "ERROR"),
                    "The manager at " + url() + " refused the people token (HTTP 401)"))
        << steps[1].dump(1);
    EXPECT_TRUE(has(reports(steps[1], "ERROR"), "people.token")) << steps[1].dump(1);

    EXPECT_TRUE(has(reports(steps[2], "ERROR"),
                    "Cannot reach the manager at http://127.0.0.1:1: is `spotfarm manager` "
                    "running there"))
        << steps[2].dump(1);

    EXPECT_TRUE(has(reports(steps[3], "ERROR"),
                    "Missing textures or other files (the farm would render them wrong): "
                    "/nonexistent/spotfarm/textures/wood.png."))
        << steps[3].dump(1);

    EXPECT_TRUE(has(reports(steps[4], "ERROR"),
                    "Render in the cloud failed (exit code 2): spotfarm render: no AWS "
                    "credentials found"))
        << steps[4].dump(1);

    EXPECT_TRUE(has(steps[5].value("error", ""), "Error: Save the file first")) << steps[5].dump(1);

    EXPECT_EQ(copies(), std::vector<std::string>{});
    // None of them reached the manager as a job.
    auto [status, body] = api("GET", "/jobs");
    EXPECT_EQ(status, 200);
    EXPECT_EQ(body["jobs"].size(), 0u) << body.dump();
}

TEST_F(AddonTest, RenderHereRunsSpotfarmRenderAndCountsTheFramesOnDisk) {
    json prefs = {{"mode", "LOCAL"}, {"spotfarm_path", SPOTFARM_EXE}};
    json scene = {{"samples", 1},
                  {"output", output_pattern()},
                  {"use_scene_range", false},
                  {"frames", "2-3"}};
    json plan = {
        {"steps", {{{"operator", "render"}, {"prefs", prefs}, {"scene", scene}, {"limit", 300}}}}};
    json results = run_blender(shot(), plan);
    ASSERT_TRUE(results.is_object());
    const json& render = results["steps"][0];
    EXPECT_TRUE(render["finished"].get<bool>()) << render.dump(1);
    EXPECT_EQ(reports(render, "ERROR"), "") << render.dump(1);
    EXPECT_TRUE(has(reports(render, "INFO"), "Rendered in ")) << render.dump(1);
    EXPECT_EQ(render["job"]["status"], "completed") << render.dump(1);
    EXPECT_EQ(render["job"]["frames_done"], 2) << render.dump(1);
    EXPECT_EQ(render["job"]["frame_count"], 2) << render.dump(1);
    const std::string latest = render["job"].value("latest_frame", "");
    EXPECT_TRUE(latest == frame_path(2).string() || latest == frame_path(3).string()) << latest;
    expect_frames_on_disk({2, 3});
    EXPECT_FALSE(fs::exists(frame_path(1)));
    EXPECT_EQ(copies(), std::vector<std::string>{});  // the render is over: its copy is gone
}

TEST_F(AddonTest, UploadModeSubmitsTheFilesAndBringsTheFramesHome) {
    start_manager();
    start_worker();
    json prefs = manager_prefs(m_people);
    prefs["storage"] = "TRANSFER";
    json scene = {{"samples", 1},
                  {"output", output_pattern()},
                  {"use_scene_range", false},
                  {"frames", "1-2"}};
    json plan = {
        {"steps", {{{"operator", "submit"}, {"prefs", prefs}, {"scene", scene}, {"limit", 300}}}}};
    json results = run_blender(shot(), plan);
    ASSERT_TRUE(results.is_object());
    const json& submit = results["steps"][0];
    EXPECT_TRUE(submit["finished"].get<bool>()) << submit.dump(1) << logs();
    EXPECT_EQ(reports(submit, "INFO"), "Submitted job 1 (shot)\nJob 1 completed: 2/2 frames\n")
        << submit.dump(1) << logs();
    EXPECT_EQ(submit["job"]["transfer"], true) << submit.dump(1);
    // The job went in transfer mode: its files by content, its frames on the manager...
    json detail = job(1);
    EXPECT_TRUE(detail["settings"].contains("tree")) << detail.dump();
    // ...and `spotfarm sync` brought them home, beside the output pattern.
    expect_frames_on_disk({1, 2});
    EXPECT_EQ(copies(), std::vector<std::string>{});  // uploaded: the manager keeps its own
    const std::string latest = submit["job"].value("latest_frame", "");
    EXPECT_TRUE(latest == frame_path(1).string() || latest == frame_path(2).string()) << latest;
}

}  // namespace
}  // namespace spotfarm::test

// A scene saved with a video output (FFMPEG: Matroska, H.264, 25 fps) on a real farm with real
// Blender: its frames render as PNG, the job ends with the scene's video as ffprobe reads it, and
// the previews and their endpoints work. 32x18, 1 sample, a few frames.
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/farm_fixture.h"
#include "support/run_cli.h"
#include "util/http_client.h"
#include "util/subprocess.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;

json probe(const fs::path& file) {
    auto ran = util::run_capture({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                                  "stream=codec_name,r_frame_rate,nb_read_frames,width,height:"
                                  "format=format_name,duration",
                                  "-of", "json", file.string()},
                                 std::chrono::seconds(60));
    EXPECT_TRUE(ran.ok() && ran->status.success()) << file << (ran.ok() ? ran->output : "");
    auto parsed = ran.ok() ? json::parse(ran->output, nullptr, false) : json();
    return parsed.is_discarded() ? json() : parsed;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST_F(FarmTest, VideoSceneRendersFramesAndEndsWithItsVideo) {
    const fs::path out = m_dir / "out";
    auto r = run_cli({"render", farm_scene("video_mkv").string(), "--frames", "1-6", "-o",
                      (out / "shot_####").string(), "--workers", "1", "--device", "cpu"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(r.mentions("the scene writes a video (MKV, H264)")) << r.err;
    EXPECT_TRUE(r.mentions("renders its frames as PNG")) << r.err;
    for (int f = 1; f <= 6; ++f) {
        EXPECT_TRUE(fs::is_regular_file(out / fmt::format("shot_{:04d}.png", f))) << f;
    }
    const fs::path video = out / "shot_0001-0006.mkv";
    ASSERT_TRUE(fs::is_regular_file(video)) << r.out << r.err;
    EXPECT_TRUE(r.mentions("Video: " + video.string())) << r.err;
    json info = probe(video);
    EXPECT_EQ(info["streams"][0]["codec_name"], "h264") << info.dump();
    EXPECT_EQ(info["streams"][0]["r_frame_rate"], "25/1") << info.dump();
    EXPECT_EQ(info["streams"][0]["nb_read_frames"], "6") << info.dump();
    EXPECT_EQ(info["streams"][0]["width"], 32);
    EXPECT_NE(info["format"]["format_name"].get<std::string>().find("matroska"), std::string::npos);
    EXPECT_NEAR(std::stod(info["format"]["duration"].get<std::string>()), 6 / 25.0, 0.02);

    // An animation gets its preview by default, at the scene's rate.
    const fs::path previews = out / ".spotfarm" / "previews" / "job-1";
    json mp4 = probe(previews / "preview.mp4");
    EXPECT_EQ(mp4["streams"][0]["codec_name"], "h264") << mp4.dump();
    EXPECT_EQ(mp4["streams"][0]["r_frame_rate"], "25/1");
    EXPECT_EQ(mp4["streams"][0]["nb_read_frames"], "6");
    EXPECT_EQ(probe(previews / "preview.webm")["streams"][0]["codec_name"], "vp9");
    json sheet = probe(previews / "contact-sheet.png");
    EXPECT_EQ(sheet["streams"][0]["codec_name"], "png");
    EXPECT_EQ(sheet["streams"][0]["width"], 3 * 32 + 4 * 4);
}

TEST_F(FarmTest, PreviewEndpointsCommandAndMetrics) {
    start_manager();
    start_worker();
    const std::vector<std::pair<std::string, std::string>> env = {
        {"SPOTFARM_MANAGER", url()}, {"SPOTFARM_TOKEN_FILE", (state() / "people.token").string()}};
    auto submitted = run_cli(
        {"submit", farm_scene("video_mkv").string(), "--frames", "1-3", "-o", output_pattern(),
         "--threads", "1", "--device", "cpu", "--preview", "off", "--json"},
        std::chrono::seconds(120), env);
    ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
    EXPECT_TRUE(submitted.mentions("the scene writes a video")) << submitted.err;
    const std::int64_t id = json::parse(submitted.out).value("id", std::int64_t{0});
    const std::string base = "/jobs/" + std::to_string(id);
    ASSERT_TRUE(wait_for(
        [&] {
            auto [status, body] = api("GET", base + "/preview");
            // The video is queued once the job completes: wait for it to be made, not only
            // for the media thread to be idle (it can be, just before the job's work arrives).
            const bool made = body.contains("video") && body["video"].is_object() &&
                              body["video"].value("size", std::int64_t{-1}) > 0;
            return job_status(id) == "completed" && status == 200 && !body.value("busy", true) &&
                   made;
        },
        180s))
        << logs();
    auto [status, preview] = api("GET", base + "/preview");
    // --preview off: the video was made, no preview.
    EXPECT_EQ(preview["state"], "none") << preview.dump();
    EXPECT_GT(preview["video"]["size"].get<std::int64_t>(), 0) << preview.dump();
    const fs::path video = m_dir / "out" / "f_0001-0003.mkv";
    EXPECT_EQ(preview["video"]["name"], video.string());
    EXPECT_EQ(probe(video)["streams"][0]["nb_read_frames"], "3");
    bool noted = false;
    const json detail = job(id);
    for (const auto& w : detail["warnings"]) {
        noted =
            noted || w["message"].get<std::string>().find("writes a video") != std::string::npos;
    }
    EXPECT_TRUE(noted) << detail.dump();
    EXPECT_EQ(api("GET", base + "/preview.mp4").first, 404);

    // On demand, with the command: asked, made, downloaded.
    auto made = run_cli({"preview", std::to_string(id), "-o", (m_dir / "dl").string(), "--json"},
                        std::chrono::seconds(120), env);
    ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
    const fs::path mp4 = m_dir / "dl" / ("job-" + std::to_string(id) + "-preview.mp4");
    EXPECT_EQ(probe(mp4)["streams"][0]["nb_read_frames"], "3");
    EXPECT_EQ(probe(m_dir / "dl" /
                    ("job-" + std::to_string(id) + "-preview.webm"))["streams"][0]["codec_name"],
              "vp9");

    // Browsers seek with Range.
    util::CurlHttpClient http;
    util::HttpRequest ranged;
    ranged.url = url() + "/api/v1" + base + "/preview.mp4";
    ranged.headers = {{"Authorization", "Bearer " + read_trimmed(state() / "people.token")},
                      {"Range", "bytes=10-29"}};
    auto part = http.send(ranged);
    ASSERT_TRUE(part.ok());
    EXPECT_EQ(part->status, 206);
    EXPECT_EQ(part->body, read_file(mp4).substr(10, 20));
    ranged.headers.pop_back();
    ranged.headers[0].second = "Bearer wrong";
    EXPECT_EQ(http.send(ranged)->status, 401);

    util::HttpRequest metrics;
    metrics.url = url() + "/metrics";
    metrics.headers = {{"Authorization", "Bearer " + read_trimmed(state() / "people.token")}};
    auto text = http.send(metrics);
    ASSERT_TRUE(text.ok());
    for (const char* line :
         {"\nspotfarm_frames_completed_total 3\n", "\nspotfarm_tasks{state=\"completed\"} 3\n",
          "\nspotfarm_claim_latency_seconds_count 3\n",
          "\nspotfarm_claim_latency_seconds_bucket{le=\"+Inf\"} 3\n",
          "\nspotfarm_workers{state=\"online\"} 1\n", "\nspotfarm_queue_frames 0\n",
          "# TYPE spotfarm_claim_latency_seconds histogram\n"}) {
        EXPECT_NE(text->body.find(line), std::string::npos) << line << "\n" << text->body;
    }
}

}  // namespace
}  // namespace spotfarm::test

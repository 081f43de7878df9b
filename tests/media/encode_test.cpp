// Real ffmpeg on real frames: what is written reads back through ffprobe as asked.
#include "media/encode.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"
#include "util/subprocess.h"

namespace spotfarm::media {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Six 32x18 frames of a moving test pattern, named as a worker names them.
std::vector<FrameFile> write_frames(const fs::path& dir, const std::string& ext, int count = 6) {
    auto made = util::run_capture({"ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                                   "testsrc=size=32x18:rate=24", "-frames:v", std::to_string(count),
                                   "-start_number", "1", (dir / ("f_%04d" + ext)).string()},
                                  std::chrono::seconds(60));
    EXPECT_TRUE(made.ok() && made->status.success()) << (made.ok() ? made->output : "");
    std::vector<FrameFile> files;
    for (int f = 1; f <= count; ++f) {
        files.push_back({f, dir / fmt::format("f_{:04d}{}", f, ext)});
    }
    return files;
}

json probe(const fs::path& file) {
    auto ran = util::run_capture({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                                  "stream=codec_name,r_frame_rate,nb_read_frames,width,height,"
                                  "pix_fmt:format=format_name,duration",
                                  "-of", "json", file.string()},
                                 std::chrono::seconds(60));
    EXPECT_TRUE(ran.ok() && ran->status.success()) << file << (ran.ok() ? ran->output : "");
    return ran.ok() ? json::parse(ran->output, nullptr, false) : json();
}

std::vector<int> frames_1_to(int n) {
    std::vector<int> frames;
    for (int f = 1; f <= n; ++f) frames.push_back(f);
    return frames;
}

TEST(EncodeVideo, MkvH264AtTheScenesRateReadsBack) {
    test::ScratchDir dir;
    auto files = write_frames(dir.path(), ".png");
    core::VideoOutput v{"MKV", "H264", "HIGH", "REALTIME", 0, 0, 25, 1.0, "NONE", "RGB"};
    auto made = encode_video(v, frames_1_to(6), files, dir / "shot_0001-0006.mkv");
    ASSERT_TRUE(made.ok()) << made.error().message;
    EXPECT_TRUE(made->note.empty());
    json info = probe(dir / "shot_0001-0006.mkv");
    EXPECT_EQ(info["streams"][0]["codec_name"], "h264");
    EXPECT_EQ(info["streams"][0]["r_frame_rate"], "25/1");
    EXPECT_EQ(info["streams"][0]["nb_read_frames"], "6");
    EXPECT_NE(info["format"]["format_name"].get<std::string>().find("matroska"), std::string::npos);
    // Nothing of the work is left beside the video.
    EXPECT_EQ(test::list_dir(dir.path()).size(), 7u);
}

TEST(EncodeVideo, GapsAreHeldSoTheDurationStaysTheScenes) {
    test::ScratchDir dir;
    auto files = write_frames(dir.path(), ".png");
    files.erase(files.begin() + 2);  // frame 3
    core::VideoOutput v{"MPEG4", "H264", "MEDIUM", "GOOD", 0, 0, 30, 1.001, "NONE", "RGB"};
    auto made = encode_video(v, frames_1_to(6), files, dir / "out" / "v.mp4");
    ASSERT_TRUE(made.ok()) << made.error().message;
    EXPECT_NE(made->note.find("3"), std::string::npos);
    json info = probe(dir / "out" / "v.mp4");
    EXPECT_EQ(info["streams"][0]["r_frame_rate"], "30000/1001");
    EXPECT_EQ(info["streams"][0]["nb_read_frames"], "6");
}

TEST(EncodeVideo, FfmpegsRefusalIsTheError) {
    test::ScratchDir dir;
    auto files = write_frames(dir.path(), ".png");
    // DV takes only its own frame sizes: ffmpeg refuses 32x18, and says why.
    core::VideoOutput v{"DV", "DV", "NONE", "GOOD", 0, 0, 25, 1.0, "NONE", "RGB"};
    auto made = encode_video(v, frames_1_to(6), files, dir / "v.dv");
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.error().message.find("ffmpeg failed"), std::string::npos);
    EXPECT_NE(made.error().message.find("DV profile"), std::string::npos) << made.error().message;
    EXPECT_FALSE(fs::exists(dir / "v.dv"));
}

TEST(MakePreviews, Mp4WebmAndContactSheetFromExrFrames) {
    test::ScratchDir dir;
    auto files = write_frames(dir.path(), ".exr");
    auto made = make_previews("24/1", frames_1_to(6), files, dir / "previews", GapPolicy::hold);
    ASSERT_TRUE(made.ok()) << made.error().message;
    json mp4 = probe(made->mp4);
    EXPECT_EQ(mp4["streams"][0]["codec_name"], "h264");
    EXPECT_EQ(mp4["streams"][0]["pix_fmt"], "yuv420p");
    EXPECT_EQ(mp4["streams"][0]["nb_read_frames"], "6");
    EXPECT_EQ(mp4["streams"][0]["r_frame_rate"], "24/1");
    json webm = probe(made->webm);
    EXPECT_EQ(webm["streams"][0]["codec_name"], "vp9");
    EXPECT_EQ(webm["streams"][0]["nb_read_frames"], "6");
    json sheet = probe(made->contact_sheet);
    EXPECT_EQ(sheet["streams"][0]["codec_name"], "png");
    // Six frames of 32x18 in a 3x2 grid, 4 pixels apart and from the edges.
    EXPECT_EQ(sheet["streams"][0]["width"], 3 * 32 + 4 * 4);
    EXPECT_EQ(sheet["streams"][0]["height"], 2 * 18 + 3 * 4);
}

}  // namespace
}  // namespace spotfarm::media

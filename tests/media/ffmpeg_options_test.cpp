#include "media/ffmpeg_options.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace spotfarm::media {
namespace {

core::VideoOutput h264_mp4() {
    core::VideoOutput v;
    v.container = "MPEG4";
    v.codec = "H264";
    v.quality = "MEDIUM";
    v.speed = "GOOD";
    v.fps = 24;
    v.audio_codec = "NONE";
    v.color_mode = "RGB";
    return v;
}

// The value after `option` in `args`, or "" when the option is not there.
std::string option(const std::vector<std::string>& args, const std::string& name) {
    auto it = std::find(args.begin(), args.end(), name);
    return it == args.end() || it + 1 == args.end() ? "" : *(it + 1);
}

TEST(ContainerFor, EachBlenderContainerHasItsMuxerAndExtension) {
    const std::vector<std::tuple<std::string, std::string, std::string>> table = {
        {"MPEG1", "mpeg", ".mpg"}, {"MPEG2", "dvd", ".dvd"},     {"MPEG4", "mp4", ".mp4"},
        {"AVI", "avi", ".avi"},    {"QUICKTIME", "mov", ".mov"}, {"DV", "dv", ".dv"},
        {"OGG", "ogg", ".ogv"},    {"MKV", "matroska", ".mkv"},  {"FLASH", "flv", ".flv"},
        {"WEBM", "webm", ".webm"},
    };
    for (const auto& [blender, muxer, extension] : table) {
        auto c = container_for(blender);
        ASSERT_TRUE(c.ok()) << blender;
        EXPECT_EQ(c->muxer, muxer) << blender;
        EXPECT_EQ(c->extension, extension) << blender;
    }
}

TEST(ContainerFor, UnknownContainerIsInvalidAndListsTheKnownOnes) {
    auto c = container_for("BETAMAX");
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(c.error().message.find("BETAMAX"), std::string::npos);
    EXPECT_NE(c.error().message.find("MKV"), std::string::npos);
}

TEST(EncoderFor, EachBlenderCodecHasItsEncoder) {
    const std::vector<std::pair<std::string, std::string>> table = {
        {"H264", "libx264"},     {"H265", "libx265"},     {"WEBM", "libvpx-vp9"},
        {"AV1", "libaom-av1"},   {"MPEG1", "mpeg1video"}, {"MPEG2", "mpeg2video"},
        {"MPEG4", "mpeg4"},      {"DV", "dvvideo"},       {"FFV1", "ffv1"},
        {"FLASH", "flv"},        {"HUFFYUV", "huffyuv"},  {"PNG", "png"},
        {"QTRLE", "qtrle"},      {"THEORA", "libtheora"}, {"DNXHD", "dnxhd"},
        {"PRORES", "prores_ks"},
    };
    for (const auto& [blender, encoder] : table) {
        auto e = encoder_for(blender);
        ASSERT_TRUE(e.ok()) << blender;
        EXPECT_EQ(*e, encoder) << blender;
    }
    EXPECT_FALSE(encoder_for("NONE").ok());
}

TEST(CrfFor, EachBlenderQualityHasBlendersCrf) {
    EXPECT_EQ(crf_for("LOSSLESS"), 0);
    EXPECT_EQ(crf_for("PERC_LOSSLESS"), 17);
    EXPECT_EQ(crf_for("HIGH"), 20);
    EXPECT_EQ(crf_for("MEDIUM"), 23);
    EXPECT_EQ(crf_for("LOW"), 26);
    EXPECT_EQ(crf_for("VERYLOW"), 29);
    EXPECT_EQ(crf_for("LOWEST"), 32);
    EXPECT_EQ(crf_for("NONE"), -1);
    EXPECT_EQ(crf_for("medium"), -1);
}

TEST(X264PresetFor, EachBlenderSpeedHasAPreset) {
    EXPECT_EQ(x264_preset_for("BEST"), "slower");
    EXPECT_EQ(x264_preset_for("GOOD"), "medium");
    EXPECT_EQ(x264_preset_for("REALTIME"), "superfast");
    EXPECT_EQ(x264_preset_for("FASTEST"), "");
}

TEST(FrameRateText, WholeAndNtscRates) {
    EXPECT_EQ(frame_rate_text(24, 1.0), "24/1");
    EXPECT_EQ(frame_rate_text(25, 1.0), "25/1");
    EXPECT_EQ(frame_rate_text(30, 1.001), "30000/1001");
    EXPECT_EQ(frame_rate_text(24, 1.001), "24000/1001");
    EXPECT_EQ(frame_rate_text(60, 2.0), "30/1");
    EXPECT_EQ(frame_rate_text(50, 0.5), "100/1");
}

TEST(OutputOptions, H264WithCrfAndPresetInMp4) {
    auto args = output_options(h264_mp4());
    ASSERT_TRUE(args.ok()) << args.error().message;
    EXPECT_EQ(option(*args, "-c:v"), "libx264");
    EXPECT_EQ(option(*args, "-crf"), "23");
    EXPECT_EQ(option(*args, "-preset"), "medium");
    EXPECT_EQ(option(*args, "-pix_fmt"), "yuv420p");
    EXPECT_EQ(option(*args, "-f"), "mp4");
    EXPECT_NE(std::find(args->begin(), args->end(), "-an"), args->end());
    EXPECT_EQ(option(*args, "-b:v"), "");
}

TEST(OutputOptions, BitrateWhenQualityIsNone) {
    core::VideoOutput v = h264_mp4();
    v.quality = "NONE";
    v.bitrate_kbps = 6000;
    v.gop = 18;
    auto args = output_options(v);
    ASSERT_TRUE(args.ok());
    EXPECT_EQ(option(*args, "-crf"), "");
    EXPECT_EQ(option(*args, "-b:v"), "6000k");
    EXPECT_EQ(option(*args, "-g"), "18");
}

TEST(OutputOptions, Vp9CrfHasNoBitrateCapAndLosslessIsASwitch) {
    core::VideoOutput v = h264_mp4();
    v.container = "WEBM";
    v.codec = "WEBM";
    v.quality = "HIGH";
    auto args = output_options(v);
    ASSERT_TRUE(args.ok());
    EXPECT_EQ(option(*args, "-c:v"), "libvpx-vp9");
    EXPECT_EQ(option(*args, "-crf"), "20");
    EXPECT_EQ(option(*args, "-b:v"), "0");
    EXPECT_EQ(option(*args, "-f"), "webm");
    v.quality = "LOSSLESS";
    args = output_options(v);
    ASSERT_TRUE(args.ok());
    EXPECT_EQ(option(*args, "-lossless"), "1");
    EXPECT_EQ(option(*args, "-crf"), "");
}

TEST(OutputOptions, LosslessCodecsKeepRgbAndCrfIsIgnoredWhereThereIsNone) {
    core::VideoOutput v = h264_mp4();
    v.container = "MKV";
    v.codec = "FFV1";
    v.color_mode = "RGBA";
    auto args = output_options(v);
    ASSERT_TRUE(args.ok());
    EXPECT_EQ(option(*args, "-c:v"), "ffv1");
    EXPECT_EQ(option(*args, "-pix_fmt"), "rgba");
    EXPECT_EQ(option(*args, "-crf"), "");
    EXPECT_EQ(option(*args, "-f"), "matroska");
}

TEST(OutputOptions, UnknownCodecIsAnError) {
    core::VideoOutput v = h264_mp4();
    v.codec = "CINEPAK";
    auto args = output_options(v);
    ASSERT_FALSE(args.ok());
    EXPECT_NE(args.error().message.find("CINEPAK"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::media

#include "blender/output_pattern.h"

#include <filesystem>
#include <random>

#include <gtest/gtest.h>

namespace spotfarm::blender {
namespace {

std::string normalized(std::string_view user_output) {
    auto pattern = normalize_output_pattern(user_output);
    EXPECT_TRUE(pattern.ok()) << user_output << ": " << pattern.error().message;
    return pattern.ok() ? *pattern : "";
}

std::string normalize_error(std::string_view user_output) {
    auto pattern = normalize_output_pattern(user_output);
    EXPECT_FALSE(pattern.ok()) << user_output << " gave " << (pattern.ok() ? *pattern : "");
    return pattern.ok() ? "" : pattern.error().message;
}

TEST(NormalizeOutputPattern, FolderGetsHashes) {
    EXPECT_EQ(normalized("renders/"), "renders/####");
    EXPECT_EQ(normalized("/mnt/efs/shot 12/"), "/mnt/efs/shot 12/####");
    EXPECT_EQ(normalized("//renders/"), "//renders/####");
}

TEST(NormalizeOutputPattern, ExistingFolderWithoutSlashGetsHashes) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("spotfarm-output-pattern-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    EXPECT_EQ(normalized(dir.string()), dir.string() + "/####");
    std::filesystem::remove_all(dir);
    // Once gone it is a file name prefix, as Blender reads it.
    EXPECT_EQ(normalized(dir.string()), dir.string() + "####");
}

TEST(NormalizeOutputPattern, NoHashesGetsFourAppended) {
    EXPECT_EQ(normalized("renders/shot_"), "renders/shot_####");
    EXPECT_EQ(normalized("frame"), "frame####");
}

TEST(NormalizeOutputPattern, KeepsUserHashes) {
    EXPECT_EQ(normalized("renders/shot_##"), "renders/shot_##");
    EXPECT_EQ(normalized("renders/#########_beauty"), "renders/#########_beauty");
    EXPECT_EQ(normalized("v#/frame_###"), "v#/frame_###");
}

TEST(NormalizeOutputPattern, Rejects) {
    EXPECT_NE(normalize_error("").find("empty"), std::string::npos);
    EXPECT_NE(normalize_error("../renders/").find("\"..\""), std::string::npos);
    EXPECT_NE(normalize_error("renders/../../etc/####").find("\"..\""), std::string::npos);
    const std::string long_run = normalize_error("renders/##########");
    EXPECT_NE(long_run.find("run of 10"), std::string::npos) << long_run;
    auto error = normalize_output_pattern("");
    ASSERT_FALSE(error.ok());
    EXPECT_EQ(error.error().kind, util::ErrorKind::invalid);
}

TEST(FramePath, ReplacesLastHashRun) {
    EXPECT_EQ(frame_path("renders/####", 12, ".png"), "renders/0012.png");
    EXPECT_EQ(frame_path("renders/shot_##_v#", 7, ".exr"), "renders/shot_##_v7.exr");
    EXPECT_EQ(frame_path("a#b", 3, ".jpg"), "a3b.jpg");
    EXPECT_EQ(frame_path("renders/#########", 1, ".tif"), "renders/000000001.tif");
    EXPECT_EQ(frame_path("renders/####", 0, ".png"), "renders/0000.png");
}

TEST(FramePath, WiderNumbersAreNotTruncated) {
    EXPECT_EQ(frame_path("f_##", 12345, ".png"), "f_12345.png");
    EXPECT_EQ(frame_path("f_#", 10, ""), "f_10");
}

TEST(FramePath, NoHashesAppendsFourDigits) {
    EXPECT_EQ(frame_path("renders/shot_", 5, ".png"), "renders/shot_0005.png");
}

TEST(FramePath, AgreesWithNormalizedPatterns) {
    auto pattern = normalize_output_pattern("out/");
    ASSERT_TRUE(pattern.ok());
    EXPECT_EQ(frame_path(*pattern, 250, ".png"), "out/0250.png");
}

TEST(ExtensionForFormat, KnownFormats) {
    EXPECT_EQ(extension_for_format("PNG").value_or(""), ".png");
    EXPECT_EQ(extension_for_format("JPEG").value_or(""), ".jpg");
    EXPECT_EQ(extension_for_format("OPEN_EXR").value_or(""), ".exr");
    EXPECT_EQ(extension_for_format("OPEN_EXR_MULTILAYER").value_or(""), ".exr");
    EXPECT_EQ(extension_for_format("TIFF").value_or(""), ".tif");
    EXPECT_EQ(extension_for_format("png").value_or(""), ".png");
}

TEST(ExtensionForFormat, UnknownFormatListsSupported) {
    for (std::string_view bad : {"", "GIF", "JPG", "OPEN_EXR_"}) {
        auto ext = extension_for_format(bad);
        ASSERT_FALSE(ext.ok()) << bad;
        EXPECT_NE(ext.error().message.find("PNG, JPEG, OPEN_EXR, OPEN_EXR_MULTILAYER, TIFF"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace spotfarm::blender

#include "blender/render_options.h"

#include <gtest/gtest.h>

namespace spotfarm::blender {

TEST(RenderOptions, Resolution) {
    auto r = parse_resolution("1920x1080");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->width, 1920);
    EXPECT_EQ(r->height, 1080);
    EXPECT_TRUE(parse_resolution("32X18").ok());
    for (const char* bad : {"", "1920", "x1080", "1920x", "0x10", "10x-5", "1920x1080p", "a x b"}) {
        auto e = parse_resolution(bad);
        ASSERT_FALSE(e.ok()) << bad;
        EXPECT_EQ(e.error().kind, util::ErrorKind::invalid);
        EXPECT_NE(e.error().message.find("1920x1080"), std::string::npos);
    }
}

TEST(RenderOptions, EnginesDevicesFormats) {
    EXPECT_EQ(normalize_engine("cycles").value(), "CYCLES");
    EXPECT_EQ(normalize_engine("Eevee").value(), "BLENDER_EEVEE");
    EXPECT_EQ(normalize_engine("BLENDER_WORKBENCH").value(), "BLENDER_WORKBENCH");
    EXPECT_FALSE(normalize_engine("luxcore").ok());

    EXPECT_EQ(normalize_device("GPU").value(), "gpu");
    EXPECT_EQ(normalize_device("optix").value(), "OPTIX");
    EXPECT_EQ(normalize_device("auto").value(), "auto");
    auto bad = normalize_device("opencl");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("OPTIX"), std::string::npos);

    EXPECT_EQ(normalize_format("exr").value(), "OPEN_EXR");
    EXPECT_EQ(normalize_format("open_exr_multilayer").value(), "OPEN_EXR_MULTILAYER");
    EXPECT_EQ(normalize_format("jpg").value(), "JPEG");
    EXPECT_FALSE(normalize_format("FFMPEG").ok());
}

TEST(RenderOptions, OutputPatternIsAbsolute) {
    EXPECT_EQ(resolve_output_pattern("renders/shot_##", "/shots/a.blend", "/home/me").value(),
              "/home/me/renders/shot_##");
    EXPECT_EQ(resolve_output_pattern("//frames/", "/shots/a.blend", "/home/me").value(),
              "/shots/frames/####");
    EXPECT_EQ(resolve_output_pattern("/out/f_", "/shots/a.blend", "/home/me").value(),
              "/out/f_####");
    EXPECT_FALSE(resolve_output_pattern("", "/shots/a.blend", "/home/me").ok());
}

}  // namespace spotfarm::blender

#include "blender/frame_decoder.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

#include <OpenImageIO/imageio.h>
#include <gtest/gtest.h>

#include "blender/output_validator.h"
#include "support/scratch_dir.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {

const fs::path k_built_module = fs::path(SPOTFARM_BUILD_DIR) / k_frame_check_file;

bool mentions(const util::Error& e, const std::string& text) {
    return e.message.find(text) != std::string::npos;
}

// A PNG, or another format by the extension of `p` (OpenImageIO picks the writer).
fs::path write_image(const fs::path& p, int w, int h) {
    auto out = OIIO::ImageOutput::create(p.string());
    EXPECT_TRUE(out);
    OIIO::ImageSpec spec(w, h, 3, OIIO::TypeDesc::UINT8);
    std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 3, 128);
    EXPECT_TRUE(out->open(p.string(), spec));
    EXPECT_TRUE(out->write_image(OIIO::TypeDesc::UINT8, pixels.data()));
    out->close();
    return p;
}

}  // namespace

TEST(FrameCheckCandidates, BesideTheExecutableThenInTheBuildFolder) {
    auto found = frame_check_candidates("", "/opt/farm/bin/spotfarm", "/src/farm/build");
    EXPECT_EQ(found, (std::vector<fs::path>{"/opt/farm/bin/spotfarm_frame_check.so",
                                            "/src/farm/build/spotfarm_frame_check.so"}));
}

TEST(FrameCheckCandidates, OneFolderIsNotTriedTwice) {
    auto found = frame_check_candidates("", "/src/farm/build/spotfarm", "/src/farm/build/");
    EXPECT_EQ(found, (std::vector<fs::path>{"/src/farm/build/spotfarm_frame_check.so"}));
}

TEST(FrameCheckCandidates, TheEnvironmentNamesTheOnlyPlaceAndIsMadeAbsolute) {
    EXPECT_EQ(frame_check_candidates("/elsewhere/check.so", "/opt/bin/spotfarm", "/build"),
              (std::vector<fs::path>{"/elsewhere/check.so"}));
    // A bare name would otherwise be searched on the library path, not in this folder.
    EXPECT_EQ(frame_check_candidates("check.so", "/opt/bin/spotfarm", "/build"),
              (std::vector<fs::path>{fs::current_path() / "check.so"}));
}

TEST(FrameDecoder, AFailedLoadNamesEveryPathTriedAndWhy) {
    test::ScratchDir scratch;
    const fs::path missing = scratch / "missing.so";
    const fs::path not_a_library = scratch.write("text.so", "not a shared object");
    auto decoder = FrameDecoder::load({missing, not_a_library});
    ASSERT_FALSE(decoder);
    EXPECT_EQ(decoder.error().kind, util::ErrorKind::unavailable);
    EXPECT_TRUE(mentions(decoder.error(), missing.string() + " (cannot open shared object file"))
        << decoder.error().message;
    EXPECT_TRUE(mentions(decoder.error(), not_a_library.string() + " ("))
        << decoder.error().message;
    EXPECT_TRUE(mentions(decoder.error(), k_frame_check_env)) << decoder.error().message;
}

TEST(FrameDecoder, RefusesALibraryWithoutTheEntryPoint) {
    // Any shared object that is not the module: here the C library, found by its soname.
    auto decoder = FrameDecoder::load({"libc.so.6"});
    ASSERT_FALSE(decoder);
    EXPECT_TRUE(mentions(decoder.error(), SPOTFARM_FRAME_CHECK_SYMBOL)) << decoder.error().message;
}

TEST(FrameDecoder, TheBuiltModuleDecodesAndJudgesFrames) {
    auto decoder = FrameDecoder::load({"/nonexistent/spotfarm_frame_check.so", k_built_module});
    ASSERT_TRUE(decoder) << decoder.error().message;
    EXPECT_EQ(decoder->module_path(), k_built_module);

    test::ScratchDir scratch;
    SpotfarmFrameCheckReport report{};
    const fs::path png = write_image(scratch / "f.png", 20, 10);
    EXPECT_EQ(decoder->check(png, 20, 10, report), spotfarm_frame_ok);
    EXPECT_EQ(decoder->check(png, 0, 0, report), spotfarm_frame_ok);
    EXPECT_EQ(decoder->check(png, 40, 20, report), spotfarm_frame_wrong_size);
    EXPECT_EQ(report.width, 20);
    EXPECT_EQ(report.height, 10);
    EXPECT_EQ(decoder->check(scratch.write("t.png", "text"), 0, 0, report),
              spotfarm_frame_unreadable);
    EXPECT_STRNE(report.message, "");
}

// In a process of its own (gtest's "threadsafe" death tests run the test binary afresh), so no
// module is loaded yet: with the module out of reach a frame is never taken as valid.
// Without the module every format it decodes fails and says where it looked; PNG, the default
// output, is checked by libpng in the program and needs no module.
TEST(FrameDecoderDeathTest, WithoutTheModuleOnlyPngIsChecked) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    test::ScratchDir scratch;
    const fs::path nowhere = scratch / "nowhere" / "spotfarm_frame_check.so";
    ::setenv(k_frame_check_env, nowhere.c_str(), 1);
    struct Case {
        fs::path image;
        int exit_code;
        std::string said;
    };
    const std::vector<Case> cases = {
        {write_image(scratch / "f.tif", 8, 4), 3,
         "cannot check .*f.tif: the frame-check module.* tried "
         ".*nowhere/spotfarm_frame_check.so \\(cannot open shared object file"},
        {write_image(scratch / "f.png", 8, 4), 0, "valid"},
    };
    for (const auto& c : cases) {
        EXPECT_EXIT(
            {
                auto st = validate_output(c.image, {8, 4});
                std::cerr << (st ? std::string("valid") : st.error().message) << std::endl;
                std::exit(st ? 0 : 3);
            },
            ::testing::ExitedWithCode(c.exit_code), c.said);
    }
    ::unsetenv(k_frame_check_env);
}

}  // namespace spotfarm::blender

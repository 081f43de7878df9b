#include "blender/output_validator.h"

#include <fstream>
#include <vector>

#include <OpenImageIO/imageio.h>
#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {
class OutputValidatorTest : public ::testing::Test {
protected:
    fs::path write_image(const std::string& name, int w, int h, int channels) {
        fs::path p = m_dir / name;
        auto out = OIIO::ImageOutput::create(p.string());
        EXPECT_TRUE(out);
        OIIO::ImageSpec spec(w, h, channels, OIIO::TypeDesc::UINT8);
        if (p.extension() == ".exr") spec.set_format(OIIO::TypeDesc::HALF);
        // Varied pixels keep the compressed data large, so a cut lands among the pixels.
        std::vector<float> pixels(static_cast<size_t>(w) * h * channels);
        for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = float((i * 7919) % 251) / 251.0f;
        EXPECT_TRUE(out->open(p.string(), spec));
        EXPECT_TRUE(out->write_image(OIIO::TypeDesc::FLOAT, pixels.data()));
        out->close();
        return p;
    }

    test::ScratchDir m_scratch;
    const fs::path& m_dir = m_scratch.path();
};

bool mentions(const util::Status& st, const std::string& text) {
    return !st.ok() && st.error().message.find(text) != std::string::npos;
}
}  // namespace

TEST_F(OutputValidatorTest, AcceptsCompleteImagesOfTheRightSize) {
    EXPECT_TRUE(validate_output(write_image("a.png", 32, 18, 4), {32, 18}).ok());
    EXPECT_TRUE(validate_output(write_image("b.exr", 32, 18, 4), {32, 18}).ok());
    EXPECT_TRUE(validate_output(write_image("c.png", 300, 200, 3), {}).ok());
}

TEST_F(OutputValidatorTest, RejectsMissingEmptyAndForeignFiles) {
    EXPECT_TRUE(mentions(validate_output(m_dir / "none.png"), "was not written"));
    std::ofstream(m_dir / "empty.png").close();
    EXPECT_TRUE(mentions(validate_output(m_dir / "empty.png"), "is empty"));
    std::ofstream(m_dir / "text.png") << "not an image at all";
    EXPECT_TRUE(mentions(validate_output(m_dir / "text.png"), "not a readable image"));
    EXPECT_TRUE(mentions(validate_output(m_dir), "not a file"));
}

TEST_F(OutputValidatorTest, RejectsTheWrongSize) {
    auto p = write_image("a.png", 32, 18, 4);
    EXPECT_TRUE(mentions(validate_output(p, {64, 36}), "32x18 pixels, expected 64x36"));
}

TEST_F(OutputValidatorTest, RejectsTruncatedImages) {
    for (const char* name : {"big.png", "big.exr"}) {
        auto p = write_image(name, 300, 200, 4);
        auto size = fs::file_size(p);
        fs::resize_file(p, size / 2);
        auto st = validate_output(p, {300, 200});
        EXPECT_FALSE(st.ok()) << name;
    }
}

}  // namespace spotfarm::blender

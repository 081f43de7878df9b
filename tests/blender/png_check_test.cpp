#include "blender/png_check.h"

#include <fstream>
#include <iterator>
#include <vector>

#include <OpenImageIO/imageio.h>
#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {

class PngCheckTest : public ::testing::Test {
protected:
    // A PNG of varied pixels (large compressed data, so damage lands among the pixels).
    fs::path write_png(const std::string& name, int w, int h) {
        fs::path p = m_scratch.path() / name;
        auto out = OIIO::ImageOutput::create(p.string());
        EXPECT_TRUE(out);
        OIIO::ImageSpec spec(w, h, 4, OIIO::TypeDesc::UINT8);
        std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 4);
        for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = (i * 7919) % 251;
        EXPECT_TRUE(out->open(p.string(), spec));
        EXPECT_TRUE(out->write_image(OIIO::TypeDesc::UINT8, pixels.data()));
        out->close();
        return p;
    }

    static std::vector<char> read_all(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }

    static void write_all(const fs::path& p, const std::vector<char>& bytes) {
        std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    }

    test::ScratchDir m_scratch;
};

}  // namespace

TEST_F(PngCheckTest, AcceptsAWholePngAndReportsItsSize) {
    auto p = write_png("a.png", 40, 30);
    EXPECT_TRUE(has_png_signature(p));
    SpotfarmFrameCheckReport report{};
    EXPECT_EQ(check_png(p, 40, 30, report), spotfarm_frame_ok);
    EXPECT_EQ(report.width, 40);
    EXPECT_EQ(report.height, 30);
    EXPECT_EQ(check_png(p, 0, 0, report), spotfarm_frame_ok);
}

TEST_F(PngCheckTest, TellsTheWrongSize) {
    SpotfarmFrameCheckReport report{};
    EXPECT_EQ(check_png(write_png("a.png", 40, 30), 80, 60, report), spotfarm_frame_wrong_size);
    EXPECT_EQ(report.width, 40);
}

TEST_F(PngCheckTest, FindsACutFile) {
    auto p = write_png("cut.png", 300, 200);
    fs::resize_file(p, fs::file_size(p) / 2);
    SpotfarmFrameCheckReport report{};
    EXPECT_EQ(check_png(p, 300, 200, report), spotfarm_frame_damaged);
    EXPECT_NE(std::string(report.message), "");
}

TEST_F(PngCheckTest, FindsOneFlippedByteAmongThePixels) {
    auto p = write_png("flip.png", 300, 200);
    auto bytes = read_all(p);
    bytes[bytes.size() / 2] ^= 0x5a;  // inside the image data: its chunk's CRC no longer matches
    write_all(p, bytes);
    SpotfarmFrameCheckReport report{};
    EXPECT_EQ(check_png(p, 300, 200, report), spotfarm_frame_damaged);
}

TEST_F(PngCheckTest, OtherFilesAreNotPng) {
    fs::path text = m_scratch.path() / "text.png";
    std::ofstream(text) << "not an image at all";
    EXPECT_FALSE(has_png_signature(text));
    EXPECT_FALSE(has_png_signature(m_scratch.path() / "absent.png"));
    SpotfarmFrameCheckReport report{};
    EXPECT_EQ(check_png(text, 0, 0, report), spotfarm_frame_unreadable);
}

}  // namespace spotfarm::blender

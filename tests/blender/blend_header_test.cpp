// The saving Blender's version from .blend headers: plain, zstd and gzip files written here.
#include "blender/blend_header.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include "support/scratch_dir.h"

namespace spotfarm::blender {
namespace {

// The first bytes of a .blend, then something that stands for its blocks.
std::string blend(std::string_view header) {
    return std::string(header) + "REND" + std::string(4096, '\x01');
}

std::string zstd_compress(const std::string& bytes) {
    std::string out(ZSTD_compressBound(bytes.size()), '\0');
    std::size_t size = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 3);
    EXPECT_FALSE(ZSTD_isError(size));
    out.resize(size);
    return out;
}

void write_gzip(const std::filesystem::path& path, const std::string& bytes) {
    gzFile file = gzopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    gzclose(file);
}

TEST(BlendHeader, ReadsTheTwelveByteHeaderOfEveryPointerSizeAndByteOrder) {
    auto v = parse_blend_header(blend("BLENDER-v304"));
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->major, 3);
    EXPECT_EQ(v->minor, 4);
    EXPECT_EQ(v->text(), "3.4");
    auto old = parse_blend_header(blend("BLENDER_V279"));
    ASSERT_TRUE(old);
    EXPECT_EQ(old->text(), "2.79");
    auto lts = parse_blend_header(blend("BLENDER-v402"));
    ASSERT_TRUE(lts);
    EXPECT_EQ(lts->text(), "4.2");
}

TEST(BlendHeader, ReadsBlenderFivesLongerHeader) {
    auto v = parse_blend_header(blend("BLENDER17-01v0500"));
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->major, 5);
    EXPECT_EQ(v->minor, 0);
    auto later = parse_blend_header(blend("BLENDER17-01v0512"));
    ASSERT_TRUE(later);
    EXPECT_EQ(later->text(), "5.12");
}

TEST(BlendHeader, RefusesWhatIsNoBlendHeader) {
    EXPECT_FALSE(parse_blend_header("PNG\r\n"));
    EXPECT_FALSE(parse_blend_header("BLENDER"));
    EXPECT_FALSE(parse_blend_header("BLENDER-x304"));
    auto odd = parse_blend_header("BLENDER-v3a4");
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().kind, util::ErrorKind::invalid);
}

TEST(BlendHeader, WhoOpensWhat) {
    BlendFileVersion v{4, 2, "none"};
    EXPECT_TRUE(v.opened_by(4, 2));
    EXPECT_TRUE(v.opened_by(4, 5));
    EXPECT_TRUE(v.opened_by(5, 0));
    EXPECT_FALSE(v.opened_by(4, 1));
    EXPECT_FALSE(v.opened_by(3, 6));
}

TEST(BlendHeader, ReadsPlainZstdAndGzipFiles) {
    test::ScratchDir dir;
    auto plain = read_blend_version(dir.write("plain.blend", blend("BLENDER-v304")));
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_EQ(plain->text(), "3.4");
    EXPECT_EQ(plain->compression, "none");

    auto zstd = read_blend_version(dir.write("zstd.blend", zstd_compress(blend("BLENDER-v402"))));
    ASSERT_TRUE(zstd) << zstd.error().message;
    EXPECT_EQ(zstd->text(), "4.2");
    EXPECT_EQ(zstd->compression, "zstd");

    write_gzip(dir / "gzip.blend", blend("BLENDER-v279"));
    auto gzip = read_blend_version(dir / "gzip.blend");
    ASSERT_TRUE(gzip) << gzip.error().message;
    EXPECT_EQ(gzip->text(), "2.79");
    EXPECT_EQ(gzip->compression, "gzip");
}

TEST(BlendHeader, ABrokenOrMissingFileSaysWhatItIs) {
    test::ScratchDir dir;
    auto missing = read_blend_version(dir / "nowhere.blend");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, util::ErrorKind::not_found);

    auto broken = read_blend_version(dir.write("broken.blend", "\x28\xb5\x2f\xfd garbage"));
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("broken.blend"), std::string::npos);
    EXPECT_NE(broken.error().message.find("zstd"), std::string::npos) << broken.error().message;

    auto text = read_blend_version(dir.write("notes.blend", "just some notes"));
    ASSERT_FALSE(text);
    EXPECT_NE(text.error().message.find("not a .blend file"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::blender

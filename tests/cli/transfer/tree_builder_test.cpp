#include "cli/transfer/tree_builder.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/scratch_dir.h"
#include "util/file_hash.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using testing::fails_mentioning;

blender::Dependency dependency(const fs::path& path, std::string written, bool missing = false) {
    blender::Dependency d;
    d.kind = "image";
    d.written = std::move(written);
    d.path = path;
    d.missing = missing;
    d.size = missing ? -1 : static_cast<std::int64_t>(fs::file_size(path));
    d.user = "IM:" + path.filename().string();
    return d;
}

std::string sha_of(const fs::path& path) {
    return util::hash_file(path)->sha256;
}

const LocalFile* find(const BuiltTree& tree, const std::string& path) {
    for (const auto& f : tree.files)
        if (f.tree_path == path) return &f;
    return nullptr;
}

TEST(TreeBuilder, FilesUnderTheSceneFolderKeepTheirRelativePath) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "BLENDER-scene");
    auto wood = dir.write("shot/tex/wood.png", std::string(5000, 'w'));
    auto built = build_tree({.scene = scene, .dependencies = {dependency(wood, "//tex/wood.png")}});
    ASSERT_TRUE(built.ok()) << built.error().message;
    EXPECT_EQ(built->scene_path, "shot.blend");
    ASSERT_EQ(built->tree.files.size(), 2u);
    EXPECT_EQ(built->tree.files[0], (protocol::TreeFile{"shot.blend", sha_of(scene), 13}));
    EXPECT_EQ(built->tree.files[1], (protocol::TreeFile{"tex/wood.png", sha_of(wood), 5000}));
    EXPECT_TRUE(built->tree.remap.empty());
    EXPECT_EQ(built->total_bytes, 5013);
    EXPECT_EQ(find(*built, "tex/wood.png")->source, wood);
    // The canonical blob reads back as the same tree.
    auto parsed = protocol::parse_tree_blob(protocol::to_tree_blob(built->tree));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(*parsed, built->tree);
}

TEST(TreeBuilder, FilesOutsideGoUnderExternalWithARemap) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene");
    auto rock = dir.write("lib/rock.png", "rock");
    auto bark = dir.write("lib/bark.png", "bark");
    auto built = build_tree(
        {.scene = scene,
         .dependencies = {dependency(rock, rock.string()), dependency(bark, "//../lib/bark.png")}});
    ASSERT_TRUE(built.ok()) << built.error().message;
    const std::string rock_path = "_external" + rock.string();
    const std::string bark_path = "_external" + bark.string();
    ASSERT_NE(find(*built, rock_path), nullptr);
    ASSERT_NE(find(*built, bark_path), nullptr);
    EXPECT_EQ(find(*built, rock_path)->hash, sha_of(rock));
    EXPECT_EQ(built->tree.remap.at(rock.string()), rock_path);
    // A relative path that leaves the folder: both the written and the absolute form.
    EXPECT_EQ(built->tree.remap.at("//../lib/bark.png"), bark_path);
    EXPECT_EQ(built->tree.remap.at(bark.string()), bark_path);
    EXPECT_EQ(built->tree.remap.size(), 3u);
    EXPECT_TRUE(protocol::parse_tree_blob(protocol::to_tree_blob(built->tree)).ok());
}

TEST(TreeBuilder, AnAbsolutePathInsideTheFolderIsRemappedToo) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene");
    auto wood = dir.write("shot/tex/wood.png", "wood");
    auto built = build_tree({.scene = scene, .dependencies = {dependency(wood, wood.string())}});
    ASSERT_TRUE(built.ok()) << built.error().message;
    EXPECT_EQ(built->tree.remap.at(wood.string()), "tex/wood.png");
}

TEST(TreeBuilder, IncludesAddFilesAndWholeFolders) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene");
    dir.write("shot/cache/a.vdb", "a");
    dir.write("shot/cache/deep/b.vdb", "bb");
    auto extra = dir.write("elsewhere/notes.txt", "notes");
    auto built = build_tree({.scene = scene, .includes = {dir / "shot/cache", extra}});
    ASSERT_TRUE(built.ok()) << built.error().message;
    std::vector<std::string> paths;
    for (const auto& f : built->tree.files) paths.push_back(f.path);
    EXPECT_EQ(paths, (std::vector<std::string>{"_external" + extra.string(), "cache/a.vdb",
                                               "cache/deep/b.vdb", "shot.blend"}));
    // Includes are not paths the scene wrote: nothing to remap.
    EXPECT_TRUE(built->tree.remap.empty());
}

TEST(TreeBuilder, AMissingIncludeIsAnError) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene");
    auto built = build_tree({.scene = scene, .includes = {dir / "nope"}});
    EXPECT_TRUE(fails_mentioning(built, "nope"));
    EXPECT_EQ(built.error().kind, util::ErrorKind::invalid);
}

TEST(TreeBuilder, MissingDependenciesAreListedUnlessAllowed) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene");
    auto wood = dir.write("shot/tex/wood.png", "wood");
    std::vector<blender::Dependency> deps = {
        dependency(wood, "//tex/wood.png"),
        dependency(dir / "shot/tex/gone.png", "//tex/gone.png", true),
        dependency(dir / "lost/hdr.exr", "/lost/hdr.exr", true)};
    auto refused = build_tree({.scene = scene, .dependencies = deps});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, util::ErrorKind::invalid);
    EXPECT_TRUE(fails_mentioning(refused, "2 files the scene needs are missing"));
    EXPECT_TRUE(fails_mentioning(refused, (dir / "shot/tex/gone.png").string()));
    EXPECT_TRUE(fails_mentioning(refused, "IM:hdr.exr"));
    EXPECT_TRUE(fails_mentioning(refused, "--allow-missing"));

    auto allowed = build_tree({.scene = scene, .dependencies = deps, .allow_missing = true});
    ASSERT_TRUE(allowed.ok()) << allowed.error().message;
    EXPECT_EQ(allowed->tree.files.size(), 2u);
    EXPECT_EQ(allowed->missing.size(), 2u);
}

TEST(TreeBuilder, AFileNamedTwiceIsInTheTreeOnce) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene");
    auto wood = dir.write("shot/tex/wood.png", "wood");
    auto built = build_tree(
        {.scene = scene,
         .dependencies = {dependency(wood, "//tex/wood.png"),
                          dependency(dir / "shot/tex/../tex/wood.png", "//tex/wood.png")},
         .includes = {dir / "shot/tex", scene}});
    ASSERT_TRUE(built.ok()) << built.error().message;
    ASSERT_EQ(built->tree.files.size(), 2u);
    EXPECT_EQ(built->tree.files[1].path, "tex/wood.png");
    EXPECT_TRUE(protocol::parse_tree_blob(protocol::to_tree_blob(built->tree)).ok());
}

TEST(TreeBuilder, ManyFilesAreHashedOnSeveralThreads) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene");
    for (int i = 0; i < 200; ++i)
        dir.write("shot/seq/f" + std::to_string(i) + ".png", std::to_string(i));
    auto built = build_tree({.scene = scene, .includes = {dir / "shot/seq"}, .hash_threads = 4});
    ASSERT_TRUE(built.ok()) << built.error().message;
    ASSERT_EQ(built->files.size(), 201u);
    for (const auto& f : built->files) {
        EXPECT_EQ(f.hash, sha_of(f.source)) << f.tree_path;
        EXPECT_EQ(f.size, static_cast<std::int64_t>(fs::file_size(f.source)));
    }
}

TEST(TreeBuilder, AFileThatVanishedIsAnErrorNamingIt) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene");
    auto wood = dir.write("shot/tex/wood.png", "wood");
    auto dep = dependency(wood, "//tex/wood.png");
    fs::remove(wood);
    EXPECT_TRUE(fails_mentioning(build_tree({.scene = scene, .dependencies = {dep}}), "wood.png"));
}

TEST(TreeBuilder, TreePathOfAFileOutsideIsItsAbsolutePathUnderExternal) {
    EXPECT_EQ(*tree_path_for("/home/a/shot", "/home/a/shot/x/y.png"), "x/y.png");
    EXPECT_EQ(*tree_path_for("/home/a/shot", "/home/a/shots/y.png"),
              "_external/home/a/shots/y.png");
    EXPECT_EQ(*tree_path_for("/home/a/shot", "/home/a/shot/../b/y.png"),
              "_external/home/a/b/y.png");
}

}  // namespace
}  // namespace spotfarm::cli

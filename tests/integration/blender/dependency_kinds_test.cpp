// blender::list_dependencies on a scene with files of many kinds (make_dependency_kinds.py):
// sequences and UDIM tiles file by file, libraries of libraries, a library's own relative
// paths, strips, point caches, a missing sound; and the remap of files found by a pattern.
#include <set>
#include <tuple>

#include "blender/dependency_list.h"
#include "exec_fixture.h"
#include "transfer_scene.h"

namespace spotfarm::test {

namespace fs = std::filesystem;

class DependencyKindsTest : public ExecTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(run_scene_generator("make_dependency_kinds.py", root()));
    }
    fs::path root() const { return m_dir / "kinds"; }
    blender::SessionOptions options() const {
        auto found = blender::find_blender(blender::blender_search_from_env(""));
        EXPECT_TRUE(found.ok()) << found.error().message;
        blender::SessionOptions o;
        o.launch.blender = found.value_or("blender");
        o.launch.scene_file = root() / "k.blend";
        return o;
    }
    // kind, path relative to `base`, missing: for comparing whole lists.
    using Entry = std::tuple<std::string, std::string, bool>;
    static std::set<Entry> entries(const std::vector<blender::Dependency>& deps,
                                   const fs::path& base) {
        std::set<Entry> out;
        for (const auto& d : deps) {
            out.emplace(d.kind, d.path.lexically_relative(base).string(), d.missing);
        }
        return out;
    }
};

TEST_F(DependencyKindsTest, ListsEveryFileBlenderWouldRead) {
    auto deps = blender::list_dependencies(options());
    ASSERT_TRUE(deps.ok()) << deps.error().message;
    const std::set<Entry> expected = {
        {"image", "seq/f_0001.png", false},
        {"image", "seq/f_0002.png", false},
        {"image", "seq/f_0003.png", false},
        {"image", "udim/wood.1001.png", false},
        {"image", "udim/wood.1002.png", false},
        {"image", "lib/tex/inner.png", false},  // "//tex/inner.png" inside lib/inner.blend
        {"library", "lib/inner.blend", false},
        {"library", "lib/deep/deeper.blend", false},  // linked by inner.blend
        {"sequence_strip", "strip/s1.png", false},
        {"sequence_strip", "strip/s2.png", false},
        {"point_cache", "blendcache_k/43756265_000001_00.bphys", false},
        {"point_cache", "blendcache_k/43756265_000002_00.bphys", false},
        {"sound", "snd/missing.wav", true},
    };
    EXPECT_EQ(entries(*deps, root()), expected);
    for (const auto& d : *deps) {
        EXPECT_FALSE(d.outside) << d.path;
        EXPECT_FALSE(d.user.empty()) << d.path;
        if (!d.missing) {
            EXPECT_EQ(d.size, static_cast<std::int64_t>(fs::file_size(d.path))) << d.path;
        }
    }
}

// A pattern (a sequence, UDIM tiles, a strip's folder) follows the remapped path of any file
// it holds, the way a transfer job lists each file under its own key.
TEST_F(DependencyKindsTest, PatternsFollowTheRemapOfTheirFiles) {
    const fs::path moved = m_dir / "moved";
    fs::create_directories(moved);
    for (const char* folder : {"seq", "udim", "strip", "lib"}) {
        fs::rename(root() / folder, moved / folder);
    }
    auto o = options();
    o.path_remap = {
        {"//seq/f_0002.png", (moved / "seq" / "f_0002.png").string()},
        {(root() / "udim" / "wood.1001.png").string(), (moved / "udim" / "wood.1001.png").string()},
        {"//strip/s1.png", (moved / "strip" / "s1.png").string()},
        {"//lib/inner.blend", (moved / "lib" / "inner.blend").string()},
    };
    auto deps = blender::list_dependencies(o);
    ASSERT_TRUE(deps.ok()) << deps.error().message;
    std::set<Entry> expected = {
        {"image", "moved/seq/f_0001.png", false},
        {"image", "moved/seq/f_0002.png", false},
        {"image", "moved/seq/f_0003.png", false},
        {"image", "moved/udim/wood.1001.png", false},
        {"image", "moved/udim/wood.1002.png", false},
        {"image", "moved/lib/tex/inner.png", false},
        {"library", "moved/lib/inner.blend", false},
        {"library", "moved/lib/deep/deeper.blend", false},
        {"sequence_strip", "moved/strip/s1.png", false},
        {"sequence_strip", "moved/strip/s2.png", false},
        {"point_cache", "kinds/blendcache_k/43756265_000001_00.bphys", false},
        {"point_cache", "kinds/blendcache_k/43756265_000002_00.bphys", false},
        {"sound", "kinds/snd/missing.wav", true},
    };
    EXPECT_EQ(entries(*deps, m_dir.path()), expected);
}

}  // namespace spotfarm::test

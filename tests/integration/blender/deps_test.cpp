// The files a scene needs, found by real Blender through the session driver
// (blender::list_dependencies and `spotfarm deps`), on the shot of make_transfer_scene.py.
#include <algorithm>

#include "blender/dependency_list.h"
#include "exec_fixture.h"
#include "transfer_scene.h"

namespace spotfarm::test {

namespace fs = std::filesystem;

namespace {

blender::SessionOptions options_for(const fs::path& scene) {
    auto found = blender::find_blender(blender::blender_search_from_env(""));
    EXPECT_TRUE(found.ok()) << found.error().message;
    blender::SessionOptions o;
    o.launch.blender = found.value_or("blender");
    o.launch.scene_file = scene;
    return o;
}

const blender::Dependency* find(const std::vector<blender::Dependency>& deps,
                                const fs::path& path) {
    auto it = std::find_if(deps.begin(), deps.end(),
                           [&](const blender::Dependency& d) { return d.path == path; });
    return it == deps.end() ? nullptr : &*it;
}

}  // namespace

class DepsTest : public ExecTest {
protected:
    void SetUp() override { ASSERT_NO_FATAL_FAILURE(make_transfer_scene(m_dir.path())); }
    fs::path shot() const { return m_dir / "shot"; }
    fs::path rock() const { return m_dir / "external" / "rock.png"; }
};

TEST_F(DepsTest, ListsTheTextureTheLibraryAndTheFileOutsideTheScenesFolder) {
    auto deps = blender::list_dependencies(options_for(shot() / "shot.blend"));
    ASSERT_TRUE(deps.ok()) << deps.error().message;
    ASSERT_EQ(deps->size(), 3u);
    EXPECT_TRUE(std::is_sorted(deps->begin(), deps->end(),
                               [](const auto& a, const auto& b) { return a.path < b.path; }));

    const auto* rock_file = find(*deps, rock());
    ASSERT_NE(rock_file, nullptr);
    EXPECT_EQ(rock_file->kind, "image");
    EXPECT_EQ(rock_file->written, rock().string());
    EXPECT_TRUE(rock_file->outside);
    EXPECT_FALSE(rock_file->missing);
    EXPECT_EQ(rock_file->size, static_cast<std::int64_t>(fs::file_size(rock())));

    const auto* wood = find(*deps, shot() / "tex" / "wood.png");
    ASSERT_NE(wood, nullptr);
    EXPECT_EQ(wood->kind, "image");
    EXPECT_EQ(wood->written, "//tex/wood.png");
    EXPECT_FALSE(wood->outside);
    EXPECT_EQ(wood->size, static_cast<std::int64_t>(fs::file_size(shot() / "tex" / "wood.png")));
    EXPECT_EQ(wood->user, "IM:wood.png");

    const auto* library = find(*deps, shot() / "lib" / "props.blend");
    ASSERT_NE(library, nullptr);
    EXPECT_EQ(library->kind, "library");
    EXPECT_EQ(library->written, "//lib/props.blend");
    EXPECT_FALSE(library->outside);
    EXPECT_FALSE(library->missing);
}

TEST_F(DepsTest, ReportsAFileThatIsNotThere) {
    fs::remove(rock());
    auto deps = blender::list_dependencies(options_for(shot() / "shot_missing.blend"));
    ASSERT_TRUE(deps.ok()) << deps.error().message;
    const auto* gone = find(*deps, shot() / "tex" / "gone.png");
    ASSERT_NE(gone, nullptr);
    EXPECT_TRUE(gone->missing);
    EXPECT_EQ(gone->size, -1);
    EXPECT_EQ(gone->written, "//tex/gone.png");
    const auto* rock_file = find(*deps, rock());
    ASSERT_NE(rock_file, nullptr);
    EXPECT_TRUE(rock_file->missing);
    EXPECT_TRUE(rock_file->outside);
    const auto* library = find(*deps, shot() / "lib" / "props.blend");
    ASSERT_NE(library, nullptr);
    EXPECT_FALSE(library->missing);
}

TEST_F(DepsTest, CommandPrintsTheFilesAsJsonAndExitsOneWhenOneIsMissing) {
    auto run = run_cli({"deps", (shot() / "shot.blend").string(), "--json"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    auto j = json_of(run);
    ASSERT_TRUE(j.contains("files")) << run.out;
    std::vector<std::string> paths;
    for (const auto& f : j["files"]) paths.push_back(f.value("path", ""));
    EXPECT_EQ(paths,
              (std::vector<std::string>{rock().string(), (shot() / "lib" / "props.blend").string(),
                                        (shot() / "tex" / "wood.png").string()}));
    EXPECT_EQ(j.value("count", 0), 3);
    EXPECT_EQ(j.value("missing", -1), 0);
    EXPECT_EQ(j.value("outside", -1), 1);
    EXPECT_TRUE(j["files"][0].value("outside", false));

    auto missing = run_cli({"deps", (shot() / "shot_missing.blend").string()});
    EXPECT_EQ(missing.exit_code, 1) << missing.out << missing.err;
    EXPECT_MENTIONS(missing, "//tex/gone.png");
    EXPECT_MENTIONS(missing, "MISSING");
    EXPECT_MENTIONS(missing, "3 files");
    EXPECT_MENTIONS(missing, "1 missing, 1 outside the scene's folder");
}

TEST_F(DepsTest, CommandRefusesWhatIsNotAScene) {
    auto none = run_cli({"deps", (m_dir / "nothing.blend").string()});
    EXPECT_EQ(none.exit_code, 2) << none.out << none.err;
    EXPECT_MENTIONS(none, "nothing.blend");
    auto texture = run_cli({"deps", (shot() / "tex" / "wood.png").string()});
    EXPECT_EQ(texture.exit_code, 2) << texture.out << texture.err;
    EXPECT_MENTIONS(texture, "not a .blend");
}

}  // namespace spotfarm::test

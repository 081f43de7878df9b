// Transfer mode's path remap with real Blender: a shot copied to another folder, its texture
// outside the scene's folder and its library moved, renders with every file found once the
// session rewrites their paths (SessionOptions::path_remap), with scripts off and across
// Blender restarts, and without touching the .blend.
#include "blender/output_validator.h"
#include "blender/session.h"
#include "exec_fixture.h"
#include "transfer_scene.h"
#include "util/file_hash.h"

namespace spotfarm::test {

namespace fs = std::filesystem;

class PathRemapTest : public ExecTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(make_transfer_scene(m_dir / "orig"));
        // The worker's copy: the shot's folder elsewhere, the outside texture under _external,
        // the library moved out of its folder; the originals of both are gone.
        fs::create_directories(m_dir / "job" / "_external");
        fs::copy(m_dir / "orig" / "shot", m_dir / "job" / "shot", fs::copy_options::recursive);
        fs::rename(m_dir / "orig" / "external" / "rock.png", rock());
        fs::create_directories(m_dir / "job" / "moved");
        fs::rename(m_dir / "job" / "shot" / "lib" / "props.blend", props());
    }
    fs::path scene() const { return m_dir / "job" / "shot" / "shot.blend"; }
    fs::path rock() const { return m_dir / "job" / "_external" / "rock.png"; }
    fs::path props() const { return m_dir / "job" / "moved" / "props.blend"; }
    std::string original_rock() const {
        return (m_dir / "orig" / "external" / "rock.png").string();
    }

    blender::SessionOptions options() const {
        auto found = blender::find_blender(blender::blender_search_from_env(""));
        EXPECT_TRUE(found.ok()) << found.error().message;
        blender::SessionOptions o;
        o.launch.blender = found.value_or("blender");
        o.launch.scene_file = scene();
        o.render.device = "cpu";
        return o;
    }
};

TEST_F(PathRemapTest, RemappedFilesAreFoundInEveryFrameAcrossRestarts) {
    auto before = util::hash_file(scene());
    ASSERT_TRUE(before.ok()) << before.error().message;
    auto o = options();
    // The absolute path as the scene wrote it, and the library by its relative path as written.
    o.path_remap = {{original_rock(), rock().string()}, {"//lib/props.blend", props().string()}};
    o.restart_every = 1;
    blender::Session session(o);
    for (int frame : {1, 2}) {
        const fs::path out = m_dir / "out" / ("f_" + std::to_string(frame) + ".png");
        fs::create_directories(out.parent_path());
        auto result = session.render(frame, out);
        ASSERT_TRUE(result.ok) << result.error;
        EXPECT_TRUE(blender::validate_output(out, {48, 16}).ok());
        for (const auto& w : result.warnings) ADD_FAILURE() << "frame " << frame << ": " << w;
        EXPECT_TRUE(near(column_colour(out, 0), k_wood)) << "frame " << frame;
        EXPECT_TRUE(near(column_colour(out, 1), k_prop)) << "frame " << frame << ": library";
        EXPECT_TRUE(near(column_colour(out, 2), k_rock)) << "frame " << frame << ": rock";
    }
    EXPECT_EQ(session.processes_started(), 2) << "restart_every 1 starts a Blender per frame";
    auto after = util::hash_file(scene());
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(before->sha256, after->sha256) << "the user's .blend was written";
}

// The same copy without the remap: what the test above would see if the remap did nothing.
TEST_F(PathRemapTest, WithoutTheRemapTheMovedFilesAreMissing) {
    blender::Session session(options());
    const fs::path out = m_dir / "out" / "f_1.png";
    fs::create_directories(out.parent_path());
    auto result = session.render(1, out);
    ASSERT_TRUE(result.ok) << result.error;
    ASSERT_TRUE(session.info().has_value());
    EXPECT_EQ(session.info()->missing_files.size(), 2u);
    EXPECT_TRUE(near(column_colour(out, 0), k_wood));
    EXPECT_FALSE(near(column_colour(out, 1), k_prop));
    EXPECT_TRUE(near(column_colour(out, 2), k_missing));
}

TEST_F(PathRemapTest, ARemapToARelativePathFailsTheStart) {
    auto o = options();
    o.path_remap = {{original_rock(), "_external/rock.png"}};
    blender::Session session(o);
    auto info = session.start();
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(info.error().message.find("not an absolute path"), std::string::npos)
        << info.error().message;
}

}  // namespace spotfarm::test

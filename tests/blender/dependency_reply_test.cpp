#include "blender/dependency_reply.h"

#include <gtest/gtest.h>

namespace spotfarm::blender {

TEST(DependencyReply, ReadsEveryFieldTheDriverWrites) {
    auto found = parse_dependencies_reply(
        R"({"ok": true, "dependencies": [)"
        R"({"kind": "image", "written": "//tex/wood.png", "path": "/s/tex/wood.png",)"
        R"( "size": 40960, "missing": false, "user": "IM:wood.png"},)"
        R"({"kind": "library", "written": "/lib/gone.blend", "path": "/lib/gone.blend",)"
        R"( "size": -1, "missing": true, "user": "LI:gone.blend"}]})");
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_EQ(found->size(), 2u);
    const Dependency& wood = (*found)[0];
    EXPECT_EQ(wood.kind, "image");
    EXPECT_EQ(wood.written, "//tex/wood.png");
    EXPECT_EQ(wood.path, "/s/tex/wood.png");
    EXPECT_EQ(wood.size, 40960);
    EXPECT_FALSE(wood.missing);
    EXPECT_EQ(wood.user, "IM:wood.png");
    EXPECT_TRUE((*found)[1].missing);
    EXPECT_EQ((*found)[1].size, -1);
}

TEST(DependencyReply, AFailedListingIsAnErrorWithTheDriversReason) {
    auto failed = parse_dependencies_reply(R"({"ok": false, "error": "could not list: boom"})");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "could not list: boom");
}

TEST(DependencyReply, MalformedRepliesAreErrorsNotExceptions) {
    for (const char* line :
         {"not json", "[1]", R"({"ok": true})", R"({"ok": true, "dependencies": [1]})",
          R"({"ok": true, "dependencies": [{"kind": "image"}]})",
          R"({"ok": true, "dependencies": [{"kind": 3, "path": "/a"}]})",
          R"({"ok": true, "dependencies": [{"kind": "image", "path": "/a", "size": "big"}]})",
          R"({"ok": true, "dependencies": [{"kind": "image", "path": "rel/a.png"}]})"}) {
        auto found = parse_dependencies_reply(line);
        EXPECT_FALSE(found) << line;
    }
}

TEST(DependencyReply, FinishedListIsSortedUniqueAndMarksFilesOutsideTheScenesFolder) {
    std::vector<Dependency> found = {
        {"image", "//tex/wood.png", "/shots/a/tex/wood.png", 10, false, false, "IM:wood"},
        {"image", "/mnt/lib/rock.png", "/mnt/lib/rock.png", 5, false, false, "IM:rock"},
        {"image", "//tex/../tex/wood.png", "/shots/a/tex/../tex/wood.png", 10, false, false,
         "IM:wood.001"},
        {"library", "//../ab/props.blend", "/shots/ab/props.blend", 7, false, false, "LI:props"},
        {"image", "//a.png", "/shots/a/a.png", 1, false, false, "IM:a"},
    };
    auto list = finish_dependencies(found, "/shots/a");
    ASSERT_EQ(list.size(), 4u);
    EXPECT_EQ(list[0].path, "/mnt/lib/rock.png");
    EXPECT_TRUE(list[0].outside);
    EXPECT_EQ(list[1].path, "/shots/a/a.png");
    EXPECT_FALSE(list[1].outside);
    EXPECT_EQ(list[2].path, "/shots/a/tex/wood.png");
    EXPECT_EQ(list[2].user, "IM:wood") << "the first datablock that needs a file names it";
    EXPECT_FALSE(list[2].outside);
    // A sibling folder whose name starts like the scene's is still outside it.
    EXPECT_EQ(list[3].path, "/shots/ab/props.blend");
    EXPECT_TRUE(list[3].outside);
    // A folder given with a trailing slash or a detour means the same folder.
    EXPECT_FALSE(finish_dependencies(found, "/shots/a/")[1].outside);
    EXPECT_FALSE(finish_dependencies(found, "/shots/b/../a")[1].outside);
}

}  // namespace spotfarm::blender

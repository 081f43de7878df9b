#include "blender/driver_protocol.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace spotfarm::blender {

TEST(DriverProtocol, ReadsAReadyReplyAndARenderReply) {
    auto ready = parse_ready_reply(
        R"({"ready": true, "ok": true, "format": "PNG", "resolution": [480, 270],)"
        R"( "missing_files": [{"kind": "image", "name": "wood", "path": "/t/wood.png"}]})");
    ASSERT_TRUE(ready) << ready.error().message;
    EXPECT_EQ(ready->extension, ".png");
    EXPECT_EQ(ready->resolution.width, 480);
    ASSERT_EQ(ready->missing_files.size(), 1u);
    auto render = parse_render_reply(R"({"ok": true, "frame": 3, "render_seconds": 0.5})");
    ASSERT_TRUE(render) << render.error().message;
    EXPECT_EQ(render->frame, 3);
}

// Found by fuzz/blender_log_fuzz: a field of the wrong type made nlohmann::json throw out of
// the parser, which would have ended the worker. Now each is an error that says so.
TEST(DriverProtocol, FieldsOfTheWrongTypeAreAnErrorNotAnException) {
    for (const char* line : {R"({"ready": 1})", R"({"ready": true, "ok": "yes"})",
                             R"({"ready": true, "ok": true, "resolution": ["a", "b"]})",
                             R"({"ready": true, "ok": true, "missing_files": [1]})"}) {
        auto ready = parse_ready_reply(line);
        ASSERT_FALSE(ready) << line;
        EXPECT_NE(ready.error().message.find("wrong type"), std::string::npos) << line;
    }
    for (const char* line : {R"({"ok": "yes"})", R"({"ok": true, "frame": "three"})",
                             R"({"ok": true, "render_seconds": [1]})"}) {
        auto render = parse_render_reply(line);
        ASSERT_FALSE(render) << line;
        EXPECT_NE(render.error().message.find("wrong type"), std::string::npos) << line;
    }
}

// The remap travels as a file the driver reads; without one the settings do not mention it.
TEST(DriverProtocol, SettingsNameThePathRemapFileOnlyWhenThereIsOne) {
    auto plain = nlohmann::json::parse(driver_settings_json({}, false, 3, 4));
    EXPECT_FALSE(plain.contains("path_remap_file"));
    auto remapped =
        nlohmann::json::parse(driver_settings_json({}, false, 3, 4, "/tmp/spotfarm-remap-1.json"));
    EXPECT_EQ(remapped.value("path_remap_file", ""), "/tmp/spotfarm-remap-1.json");
    EXPECT_EQ(nlohmann::json::parse(dependencies_request()).value("cmd", ""), "dependencies");
}

}  // namespace spotfarm::blender

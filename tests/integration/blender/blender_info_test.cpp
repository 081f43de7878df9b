// `spotfarm blender-info` against the Blender installed here.
#include "exec_fixture.h"

namespace spotfarm::test {

TEST(BlenderInfo, ReportsVersionEnginesAndBackends) {
    auto run = run_cli({"blender-info", "--json"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto j = nlohmann::json::parse(run.out);
    EXPECT_FALSE(j["version"].get<std::string>().empty());
    auto engines = j["engines"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(engines.begin(), engines.end(), "CYCLES"), engines.end());
    EXPECT_TRUE(j["gpu_backends"].is_array());
    auto text = run_cli({"blender-info"});
    EXPECT_EQ(text.exit_code, 0);
    EXPECT_MENTIONS(text, "version   " + j["version"].get<std::string>());
}

TEST(BlenderInfo, MissingBlenderExitsThree) {
    auto run = run_cli({"blender-info", "--blender", "/nonexistent/blender"});
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_MENTIONS(run, "Blender not found at /nonexistent/blender");
}

}  // namespace spotfarm::test

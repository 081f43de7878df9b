// A scene whose texture is missing renders, and the end of `spotfarm render` says so. CPU is asked
// for, so that no GPU fallback (itself a warning) depends on the machine.
#include <nlohmann/json.hpp>

#include "support/farm_fixture.h"
#include "support/run_cli.h"

namespace spotfarm::test {
namespace {

using nlohmann::json;

TEST_F(FarmTest, RenderSummaryShowsTheMissingTexture) {
    auto text = run_cli({"render", farm_scene("missing_texture").string(), "--frames", "1-2", "-o",
                         output_pattern(), "--workers", "1", "--device", "cpu"});
    ASSERT_EQ(text.exit_code, 0) << text.out << text.err;
    EXPECT_NE(text.out.find("warning: missing image 'wood'"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("/nonexistent/spotfarm/textures/wood.png (frames 1-2)"),
              std::string::npos)
        << text.out;

    std::filesystem::remove_all(m_dir / "out");
    auto scripted =
        run_cli({"render", farm_scene("missing_texture").string(), "--frames", "3", "-o",
                 output_pattern(), "--workers", "1", "--device", "cpu", "--json"});
    ASSERT_EQ(scripted.exit_code, 0) << scripted.out << scripted.err;
    auto summary = json::parse(scripted.out, nullptr, false);
    ASSERT_FALSE(summary.is_discarded()) << scripted.out;
    ASSERT_TRUE(summary["warnings"].is_array()) << scripted.out;
    ASSERT_EQ(summary["warnings"].size(), 1u) << scripted.out;
    EXPECT_NE(summary["warnings"][0].get<std::string>().find("wood.png (frame 3)"),
              std::string::npos)
        << scripted.out;
}

TEST_F(FarmTest, RenderSummaryOfACleanSceneHasNoWarning) {
    auto r = run_cli({"render", farm_scene("tiny_cycles").string(), "--frames", "1", "-o",
                      output_pattern(), "--workers", "1", "--device", "cpu", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto summary = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(summary.is_discarded()) << r.out;
    EXPECT_EQ(summary["warnings"], json::array()) << r.out;
}

}  // namespace
}  // namespace spotfarm::test

#include "cli/exec/deps_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace spotfarm::cli {

namespace {

std::vector<blender::Dependency> sample() {
    return {
        {"image", "/mnt/lib/rock.png", "/mnt/lib/rock.png", 1024, false, true, "IM:rock"},
        {"library", "//lib/props.blend", "/s/lib/props.blend", 3 << 20, false, false, "LI:props"},
        {"image", "//tex/gone.png", "/s/tex/gone.png", -1, true, false, "IM:gone"},
    };
}

}  // namespace

TEST(DepsReport, SizesReadLikeAPersonWouldWriteThem) {
    EXPECT_EQ(size_text(0), "0 B");
    EXPECT_EQ(size_text(1023), "1023 B");
    EXPECT_EQ(size_text(1536), "1.5 KiB");
    EXPECT_EQ(size_text(3LL << 20), "3.0 MiB");
    EXPECT_EQ(size_text(5LL << 40), "5.0 TiB");
}

TEST(DepsReport, SummaryCountsMissingAndOutsideFilesAndSizesOnlyFoundOnes) {
    auto s = summarize(sample());
    EXPECT_EQ(s.files, 3u);
    EXPECT_EQ(s.total_bytes, 1024 + (3 << 20));
    EXPECT_EQ(s.missing, 1u);
    EXPECT_EQ(s.outside, 1u);
    EXPECT_EQ(format_deps_summary(s), "3 files, 3.0 MiB, 1 missing, 1 outside the scene's folder");
}

TEST(DepsReport, TableShowsEachFileAsWrittenWithItsStatus) {
    const std::string table = format_deps_table(sample());
    EXPECT_EQ(table,
              "KIND     PATH                  SIZE  STATUS\n"
              "image    /mnt/lib/rock.png  1.0 KiB  outside\n"
              "library  //lib/props.blend  3.0 MiB  ok\n"
              "image    //tex/gone.png           -  MISSING\n"
              "3 files, 3.0 MiB, 1 missing, 1 outside the scene's folder\n");
    EXPECT_EQ(format_deps_table({}), "0 files, 0 B, 0 missing, 0 outside the scene's folder\n");
}

TEST(DepsReport, JsonCarriesEveryFieldAndTheTotals) {
    auto j = deps_json("/s/shot.blend", sample());
    EXPECT_EQ(j["scene"], "/s/shot.blend");
    ASSERT_EQ(j["files"].size(), 3u);
    EXPECT_EQ(j["files"][0]["path"], "/mnt/lib/rock.png");
    EXPECT_EQ(j["files"][0]["outside"], true);
    EXPECT_EQ(j["files"][2]["missing"], true);
    EXPECT_EQ(j["files"][2]["size"], -1);
    EXPECT_EQ(j["files"][1]["written"], "//lib/props.blend");
    EXPECT_EQ(j["files"][1]["user"], "LI:props");
    EXPECT_EQ(j["count"], 3);
    EXPECT_EQ(j["missing"], 1);
    EXPECT_EQ(j["outside"], 1);
    EXPECT_EQ(j["total_bytes"], 1024 + (3 << 20));
}

}  // namespace spotfarm::cli

#include "protocol/transfer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "util/digest.h"

namespace spotfarm::protocol {
namespace {

using ::testing::HasSubstr;

const std::string k_a = util::sha256_hex("a");
const std::string k_b = util::sha256_hex("b");

TEST(BlobHash, AcceptsLowerCaseSha256Only) {
    EXPECT_TRUE(is_blob_hash(k_a));
    std::string upper = k_a;
    upper[0] = 'C';
    EXPECT_FALSE(is_blob_hash(upper));
    EXPECT_FALSE(is_blob_hash(k_a.substr(1)));
    EXPECT_FALSE(is_blob_hash(""));
}

TEST(TreePath, RefusesPathsThatLeaveTheTree) {
    EXPECT_TRUE(check_tree_path("shot.blend").ok());
    EXPECT_TRUE(check_tree_path("tex/wood 2.png").ok());
    for (const char* bad : {"", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/", "a\\b"}) {
        auto ok = check_tree_path(bad);
        EXPECT_FALSE(ok.ok()) << bad;
    }
    EXPECT_THAT(check_tree_path("/abs").error().message, HasSubstr("absolute"));
    EXPECT_FALSE(check_tree_path(std::string("a\0b", 3)).ok());
    EXPECT_FALSE(check_tree_path("\xff.png").ok());
}

TEST(TreeBlob, IsCanonicalWhateverTheOrder) {
    Tree one{{{"tex/b.png", k_b, 1}, {"shot.blend", k_a, 1}}, {{"/mnt/x.png", "tex/b.png"}}};
    Tree two{{{"shot.blend", k_a, 1}, {"tex/b.png", k_b, 1}}, {{"/mnt/x.png", "tex/b.png"}}};
    EXPECT_EQ(to_tree_blob(one), to_tree_blob(two));
    auto back = parse_tree_blob(to_tree_blob(one));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, two);
}

TEST(TreeBlob, RefusesDuplicatesBadPathsAndDanglingRemap) {
    EXPECT_THAT(parse_tree_blob(to_tree_blob({{{"a", k_a, 1}, {"a", k_b, 1}}, {}})).error().message,
                HasSubstr("twice"));
    EXPECT_THAT(parse_tree_blob(R"({"files":[{"path":"../a","hash":")" + k_a + R"(","size":1}]})")
                    .error()
                    .message,
                HasSubstr("files[0].path"));
    EXPECT_THAT(parse_tree_blob(to_tree_blob({{{"a", k_a, 1}}, {{"/x", "b"}}})).error().message,
                HasSubstr("remap"));
    EXPECT_FALSE(parse_tree_blob("not json").ok());
    EXPECT_FALSE(parse_tree_blob("[]").ok());
}

TEST(Batch, SplitsWhatWasEncoded) {
    const std::string body = encode_batch_header({{k_a, 1}, {k_b, 1}}) + "ab";
    auto parts = split_batch(body);
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].first.hash, k_a);
    EXPECT_EQ((*parts)[0].second, "a");
    EXPECT_EQ((*parts)[1].second, "b");
}

TEST(Batch, RefusesBodiesWhoseSizesDoNotAddUp) {
    EXPECT_THAT(split_batch(encode_batch_header({{k_a, 5}}) + "ab").error().message,
                HasSubstr("ends inside"));
    EXPECT_THAT(split_batch(encode_batch_header({{k_a, 1}}) + "abc").error().message,
                HasSubstr("after its last blob"));
    EXPECT_FALSE(split_batch("no newline").ok());
    EXPECT_FALSE(split_batch("{\"blobs\":[{\"hash\":\"x\",\"size\":1}]}\na").ok());
}

TEST(MissingAnswer, RoundTrips) {
    MissingAnswer answer{{k_a, k_b}, {{k_b, 4096}}};
    auto back = from_json<MissingAnswer>(to_json(answer));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->missing, answer.missing);
    EXPECT_EQ(back->partial, answer.partial);
    EXPECT_FALSE(from_json<MissingRequest>(nlohmann::json{{"hashes", {"nope"}}}).ok());
}

TEST(FrameFiles, RoundTripsAndRefusesEscapingNames) {
    FrameFiles files{{{1, "shot_0001.png", 10, k_a}}};
    auto back = from_json<FrameFiles>(to_json(files));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->frames, files.frames);
    files.frames[0].name = "../0001.png";
    EXPECT_FALSE(from_json<FrameFiles>(to_json(files)).ok());
}

TEST(JobSettingsTree, MustBeAHash) {
    nlohmann::json j = {{"scene", "shot.blend"}, {"tree", k_a}};
    auto settings = from_json<JobSettings>(j);
    ASSERT_TRUE(settings.ok());
    EXPECT_EQ(settings->tree, k_a);
    j["tree"] = "abc";
    EXPECT_THAT(from_json<JobSettings>(j).error().message, HasSubstr("tree"));
}

}  // namespace
}  // namespace spotfarm::protocol

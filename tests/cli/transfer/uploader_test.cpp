#include "cli/transfer/uploader.h"

#include <gtest/gtest.h>

#include "cli/transfer/fake_blob_store.h"
#include "support/expect_error.h"
#include "support/recording_sleeper.h"
#include "support/scratch_dir.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using testing::fails_mentioning;
using testing::FakeBlobStore;
using testing::FakeHttpClient;

std::string bytes_of(std::size_t n, char seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + (i * 7) % 251);
    return s;
}

class UploaderTest : public ::testing::Test {
protected:
    UploaderTest() {
        options.sender.manager_url = "http://farm:8420";
        options.sender.token = "people";
        options.sender.attempts = 3;
        options.limits = {
            .small_file_bytes = 100, .batch_bytes = 250, .batch_files = 3, .chunk_bytes = 1000};
    }

    // shot.blend (20 bytes), 5 small textures of 90 bytes, one 2,500-byte cache.
    BuiltTree make_tree() {
        auto scene = dir.write("shot/shot.blend", bytes_of(20, 'S'));
        for (int i = 0; i < 5; ++i) {
            dir.write("shot/tex/t" + std::to_string(i) + ".png",
                      bytes_of(90, static_cast<char>(i)));
        }
        big = dir.write("shot/cache/big.vdb", bytes_of(2500, 'B'));
        auto built = build_tree({.scene = scene, .includes = {dir / "shot/tex", big}});
        EXPECT_TRUE(built.ok());
        return *built;
    }

    util::Result<UploadReport> upload(const BuiltTree& tree) {
        return upload_tree(http, sleeper, tree, options);
    }

    // The PUTs of the large file (the tree blob, over 100 bytes, goes in chunks too).
    std::vector<util::HttpRequest> puts() const {
        const std::string hash = util::hash_file(big)->sha256;
        std::vector<util::HttpRequest> out;
        for (const auto& r : http.requests())
            if (r.method == "PUT" && r.url.find(hash) != std::string::npos) out.push_back(r);
        return out;
    }

    test::ScratchDir dir;
    fs::path big;
    FakeBlobStore store;
    FakeHttpClient http{[this](const util::HttpRequest& r) { return store.handle(r); }};
    testing::RecordingSleeper sleeper;
    UploadOptions options;
};

TEST_F(UploaderTest, SendsSmallFilesInBatchesAndLargeOnesInChunks) {
    const BuiltTree tree = make_tree();
    auto report = upload(tree);
    ASSERT_TRUE(report.ok()) << report.error().message;
    // Every file arrived whole, and the tree blob names them.
    for (const auto& f : tree.files) {
        ASSERT_TRUE(store.complete.contains(f.hash)) << f.tree_path;
        EXPECT_EQ(store.complete[f.hash].size(), static_cast<std::size_t>(f.size));
    }
    ASSERT_TRUE(store.complete.contains(report->tree_hash));
    EXPECT_EQ(*protocol::parse_tree_blob(store.complete[report->tree_hash]), tree.tree);
    // 6 small files: at most 3 and 250 bytes a batch (20+90+90, 90+90, 90).
    std::vector<std::size_t> sizes = store.batch_sizes;
    std::sort(sizes.begin(), sizes.end());
    EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 2, 3}));
    // The large file: chunks of 1000 at offsets 0, 1000, 2000, each with the whole size.
    // The tree blob comes last, once what it lists is there.
    const auto requests = http.requests();
    EXPECT_NE(requests.back().url.find(report->tree_hash), std::string::npos);
    std::vector<std::string> urls;
    for (const auto& r : puts()) {
        urls.push_back(r.url.substr(r.url.find('?')));
        EXPECT_EQ(testing::header_value(r, "X-Spotfarm-Size"), "2500");
        EXPECT_EQ(testing::header_value(r, "Authorization"), "Bearer people");
    }
    EXPECT_EQ(urls, (std::vector<std::string>{"?offset=0", "?offset=1000", "?offset=2000"}));
    EXPECT_EQ(
        report->bytes_sent,
        20 + 5 * 90 + 2500 + static_cast<std::int64_t>(store.complete[report->tree_hash].size()));
    EXPECT_EQ(report->files_sent, 8u);
    EXPECT_EQ(report->files_skipped, 0u);
}

TEST_F(UploaderTest, ASecondRunOfAnUnchangedTreeOnlyAsks) {
    const BuiltTree tree = make_tree();
    ASSERT_TRUE(upload(tree).ok());
    const auto before = http.requests().size();
    auto again = upload(tree);
    ASSERT_TRUE(again.ok()) << again.error().message;
    const auto requests = http.requests();
    ASSERT_EQ(requests.size(), before + 1);
    EXPECT_EQ(requests.back().url, "http://farm:8420/api/v1/blobs/missing");
    EXPECT_LT(requests.back().body.size(), 1000u);
    EXPECT_EQ(again->bytes_sent, 0);
    EXPECT_EQ(again->files_sent, 0u);
    EXPECT_EQ(again->files_skipped, 8u);
}

TEST_F(UploaderTest, ResumesALargeFileFromThePartialTheManagerHolds) {
    const BuiltTree tree = make_tree();
    const std::string hash = util::hash_file(big)->sha256;
    store.partial[hash] = bytes_of(2500, 'B').substr(0, 1500);
    auto report = upload(tree);
    ASSERT_TRUE(report.ok()) << report.error().message;
    const auto p = puts();
    ASSERT_EQ(p.size(), 1u);  // 1500 + 1000 is all of it
    EXPECT_NE(p[0].url.find("?offset=1500"), std::string::npos);
    EXPECT_EQ(p[0].body.size(), 1000u);
    EXPECT_EQ(store.complete[hash], bytes_of(2500, 'B'));
    EXPECT_GE(report->bytes_skipped, 1500);
}

TEST_F(UploaderTest, FollowsTheOffsetTheManagerSaysItHolds) {
    const BuiltTree tree = make_tree();
    const std::string hash = util::hash_file(big)->sha256;
    store.partial[hash] = bytes_of(2500, 'B').substr(0, 2000);
    store.reported_partial[hash] = 1000;  // a stale answer
    auto report = upload(tree);
    ASSERT_TRUE(report.ok()) << report.error().message;
    std::vector<std::string> urls;
    for (const auto& r : puts()) urls.push_back(r.url.substr(r.url.find('?')));
    EXPECT_EQ(urls, (std::vector<std::string>{"?offset=1000", "?offset=2000"}));
    EXPECT_EQ(store.complete[hash], bytes_of(2500, 'B'));
}

TEST_F(UploaderTest, RetriesABusyManagerWithBackOff) {
    const BuiltTree tree = make_tree();
    store.fail_next = 2;
    store.failure_status = 507;
    auto report = upload(tree);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(sleeper.sleeps().size(), 2u);
    EXPECT_TRUE(store.complete.contains(report->tree_hash));
}

TEST_F(UploaderTest, GivesUpAfterBoundedTriesSayingARerunResumes) {
    const BuiltTree tree = make_tree();
    store.fail_next = 1000;
    auto report = upload(tree);
    EXPECT_TRUE(fails_mentioning(report, "failed 3 times"));
    EXPECT_TRUE(fails_mentioning(report, "run the same command again to resume"));
    EXPECT_EQ(report.error().kind, util::ErrorKind::unavailable);
    EXPECT_EQ(http.requests().size(), 3u);  // /blobs/missing, three times
    EXPECT_EQ(sleeper.sleeps().size(), 2u);
}

TEST_F(UploaderTest, TransportErrorsAreRetriedToo) {
    const BuiltTree tree = make_tree();
    int failures = 1;
    FakeHttpClient flaky([&](const util::HttpRequest& r) -> util::Result<util::HttpResponse> {
        if (r.method == "PUT" && failures-- > 0) {
            return util::make_error("connection reset", util::ErrorKind::unavailable);
        }
        return store.handle(r);
    });
    options.connections = 1;
    auto report = upload_tree(flaky, sleeper, tree, options);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(store.complete[util::hash_file(big)->sha256], bytes_of(2500, 'B'));
}

TEST_F(UploaderTest, AFileChangedAfterHashingIsNamed) {
    const BuiltTree tree = make_tree();
    dir.write("shot/cache/big.vdb", bytes_of(2500, 'X'));  // same size, other bytes
    dir.write("shot/tex/t3.png", bytes_of(90, 'Y'));
    options.connections = 1;
    auto report = upload(tree);
    ASSERT_FALSE(report.ok());
    EXPECT_TRUE(fails_mentioning(report, "run the command again")) << report.error().message;
}

TEST_F(UploaderTest, ReportsProgressUpToTheTotal) {
    const BuiltTree tree = make_tree();
    std::vector<UploadProgress> seen;
    options.progress = [&](const UploadProgress& p) { seen.push_back(p); };
    ASSERT_TRUE(upload(tree).ok());
    ASSERT_FALSE(seen.empty());
    for (std::size_t i = 1; i < seen.size(); ++i) {
        EXPECT_GE(seen[i].bytes_done, seen[i - 1].bytes_done);
    }
    EXPECT_EQ(seen.back().bytes_done, seen.back().bytes_total);
}

}  // namespace
}  // namespace spotfarm::cli

#include "cli/transfer/transfer_submit.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/transfer/fake_blob_store.h"
#include "support/expect_error.h"
#include "support/scratch_dir.h"
#include "util/file_hash.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using testing::FakeBlobStore;
using testing::FakeHttpClient;
using testing::http_response;

const ClientConfig k_config{"http://farm:8420", "people", "--manager", "--token"};

TEST(StorageMode, FlagsDecideWithoutAsking) {
    FakeHttpClient http([](const util::HttpRequest&) { return http_response(500); });
    ApiClient api(http, k_config);
    EXPECT_EQ(*choose_storage_mode(api, true, false, "/nowhere.blend"), StorageMode::transfer);
    EXPECT_EQ(*choose_storage_mode(api, false, true, "/nowhere.blend"), StorageMode::shared);
    EXPECT_EQ(choose_storage_mode(api, true, true, "/x.blend").error().kind,
              util::ErrorKind::invalid);
    EXPECT_TRUE(http.requests().empty());
}

TEST(StorageMode, TheManagerSaysWhetherItSeesTheScene) {
    test::ScratchDir dir;
    const std::string head(1 << 20, 'h');
    auto scene = dir.write("shot.blend", head + "tail");
    bool visible = false;
    FakeHttpClient http([&](const util::HttpRequest&) {
        return http_response(200, nlohmann::json{{"visible", visible}}.dump());
    });
    ApiClient api(http, k_config);
    EXPECT_EQ(*choose_storage_mode(api, false, false, scene), StorageMode::transfer);
    visible = true;
    EXPECT_EQ(*choose_storage_mode(api, false, false, scene), StorageMode::shared);
    const auto r = http.requests().front();
    EXPECT_EQ(r.url, "http://farm:8420/api/v1/paths/check");
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["path"], scene.string());
    EXPECT_EQ(body["size"], (1 << 20) + 4);
    util::Sha256 sha;
    sha.update(head);
    EXPECT_EQ(body["head_sha256"], sha.hex_digest());  // of the first MiB only
}

TEST(StorageMode, AManagerWithoutTheRouteIsShared) {
    test::ScratchDir dir;
    auto scene = dir.write("shot.blend", "scene");
    FakeHttpClient http([](const util::HttpRequest&) { return http_response(404); });
    ApiClient api(http, k_config);
    EXPECT_EQ(*choose_storage_mode(api, false, false, scene), StorageMode::shared);
}

TEST(StorageMode, AnUnreachableManagerIsUnavailable) {
    test::ScratchDir dir;
    auto scene = dir.write("shot.blend", "scene");
    FakeHttpClient http([](const util::HttpRequest&) -> util::Result<util::HttpResponse> {
        return util::make_error("connection refused", util::ErrorKind::unavailable);
    });
    ApiClient api(http, k_config);
    EXPECT_EQ(choose_storage_mode(api, false, false, scene).error().kind,
              util::ErrorKind::unavailable);
}

TEST(PrepareTransfer, UploadsTheTreeAndPointsTheJobAtIt) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene bytes");
    auto wood = dir.write("shot/tex/wood.png", "wood");
    auto rock = dir.write("lib/rock.png", "rock");
    auto extra = dir.write("shot/sim/cache.bin", "sim");
    FakeBlobStore store;
    FakeHttpClient http([&](const util::HttpRequest& r) { return store.handle(r); });
    ApiClient api(http, k_config);
    protocol::JobSubmission job;
    job.settings.scene = scene.string();
    job.settings.output = (dir / "renders/frame_####").string();
    fs::path listed_for;
    DependencyLister list =
        [&](const fs::path& s) -> util::Result<std::vector<blender::Dependency>> {
        listed_for = s;
        return std::vector<blender::Dependency>{
            {"image", "//tex/wood.png", wood, 4, false, false, "IM:wood"},
            {"image", rock.string(), rock, 4, false, true, "IM:rock"}};
    };
    auto prepared = prepare_transfer(api, job, list, {.includes = {dir / "shot/sim"}});
    ASSERT_TRUE(prepared.ok()) << prepared.error().message;
    EXPECT_EQ(listed_for, scene);
    EXPECT_EQ(job.settings.scene, "shot.blend");
    EXPECT_EQ(job.settings.output, "frame_####");
    EXPECT_EQ(prepared->local_output, dir / "renders");
    ASSERT_TRUE(job.settings.tree.has_value());
    EXPECT_EQ(*job.settings.tree, prepared->upload.tree_hash);
    auto tree = protocol::parse_tree_blob(store.complete.at(*job.settings.tree));
    ASSERT_TRUE(tree.ok()) << tree.error().message;
    std::vector<std::string> paths;
    for (const auto& f : tree->files) {
        paths.push_back(f.path);
        EXPECT_TRUE(store.complete.contains(f.hash)) << f.path;
    }
    EXPECT_EQ(paths, (std::vector<std::string>{"_external" + rock.string(), "shot.blend",
                                               "sim/cache.bin", "tex/wood.png"}));
    EXPECT_EQ(tree->remap.at(rock.string()), "_external" + rock.string());
    EXPECT_EQ(prepared->files, 4u);
}

TEST(PrepareTransfer, MissingFilesStopItBeforeAnythingIsSent) {
    test::ScratchDir dir;
    auto scene = dir.write("shot/shot.blend", "scene bytes");
    FakeBlobStore store;
    FakeHttpClient http([&](const util::HttpRequest& r) { return store.handle(r); });
    ApiClient api(http, k_config);
    protocol::JobSubmission job;
    job.settings.scene = scene.string();
    job.settings.output = (dir / "renders/####").string();
    DependencyLister list = [&](const fs::path&) -> util::Result<std::vector<blender::Dependency>> {
        return std::vector<blender::Dependency>{
            {"image", "//gone.png", dir / "shot/gone.png", -1, true, false, "IM:gone"}};
    };
    auto prepared = prepare_transfer(api, job, list, {});
    EXPECT_TRUE(testing::fails_mentioning(prepared, "gone.png"));
    EXPECT_EQ(prepared.error().kind, util::ErrorKind::invalid);
    EXPECT_TRUE(http.requests().empty());
    EXPECT_FALSE(job.settings.tree.has_value());

    auto allowed = prepare_transfer(api, job, list, {.allow_missing = true});
    ASSERT_TRUE(allowed.ok()) << allowed.error().message;
    EXPECT_EQ(allowed->missing.size(), 1u);
    EXPECT_EQ(job.settings.output, "####");
}

}  // namespace
}  // namespace spotfarm::cli

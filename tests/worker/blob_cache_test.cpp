#include "worker/blob_cache.h"

#include <fstream>

#include <gtest/gtest.h>

#include "support/loopback_http_server.h"
#include "support/scratch_dir.h"

#include "support/test_bytes.h"
#include "util/file_hash.h"
#include "worker/manager_client.h"

namespace spotfarm::worker {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class BlobCacheTest : public ::testing::Test {
protected:
    std::unique_ptr<BlobCache> open(std::int64_t capacity) {
        auto cache = BlobCache::open(scratch / "cache", capacity);
        EXPECT_TRUE(cache) << cache.error().message;
        return cache ? std::move(cache).value() : nullptr;
    }
    // Puts `bytes` into the cache the way a download does: at path_of(hash), then added().
    std::string put(BlobCache& cache, const std::string& bytes) {
        const std::string hash = spotfarm::testing::sha256_of(bytes);
        fs::create_directories(cache.path_of(hash).parent_path());
        std::ofstream(cache.path_of(hash), std::ios::binary) << bytes;
        auto added = cache.added(hash);
        EXPECT_TRUE(added) << added.error().message;
        return hash;
    }
    void age(BlobCache& cache, const std::string& hash, std::chrono::hours ago) {
        fs::last_write_time(cache.path_of(hash), fs::file_time_type::clock::now() - ago);
    }

    test::ScratchDir scratch;
};

TEST_F(BlobCacheTest, KeepsBlobsByHashInTwoDigitFolders) {
    auto cache = open(1 << 20);
    const std::string hash = put(*cache, "wood texture");
    EXPECT_EQ(cache->path_of(hash), scratch / "cache" / "blobs" / hash.substr(0, 2) / hash);
    EXPECT_TRUE(cache->take(hash, 12));
    EXPECT_EQ(cache->used(), 12);
    // Read-only: a render writing into its tree cannot change the cached bytes through a link.
    EXPECT_EQ(fs::status(cache->path_of(hash)).permissions() & fs::perms::owner_write,
              fs::perms::none);
}

TEST_F(BlobCacheTest, EvictsTheLeastRecentlyUsedFirstAndNeverAKeptOne) {
    auto cache = open(3000);
    const std::string a = put(*cache, std::string(1000, 'a'));
    const std::string b = put(*cache, std::string(1000, 'b'));
    const std::string c = put(*cache, std::string(1000, 'c'));
    // Reopened with mtimes as the order of last use: b oldest, then c, then a.
    age(*cache, b, 3h);
    age(*cache, c, 2h);
    age(*cache, a, 1h);
    cache = open(3000);
    ASSERT_EQ(cache->used(), 3000);

    // b is needed by the job: c goes, although b is older.
    ASSERT_TRUE(cache->make_room(1000, {b}));
    EXPECT_TRUE(cache->take(b, 1000));
    EXPECT_FALSE(cache->take(c, 1000));
    EXPECT_FALSE(fs::exists(cache->path_of(c)));
    EXPECT_TRUE(cache->take(a, 1000));
    EXPECT_EQ(cache->used(), 2000);

    // Using b then a made b the older one: b goes next.
    ASSERT_TRUE(cache->make_room(2000, {}));
    EXPECT_EQ(cache->used(), 1000);
    EXPECT_FALSE(fs::exists(cache->path_of(b)));
    EXPECT_TRUE(fs::exists(cache->path_of(a)));
}

TEST_F(BlobCacheTest, AJobLargerThanTheBoundFailsSayingHowToRaiseIt) {
    auto cache = open(2 << 20);
    const std::string kept = put(*cache, std::string(1 << 20, 'k'));
    auto room = cache->make_room(1 << 21, {kept});
    ASSERT_FALSE(room);
    EXPECT_EQ(room.error().kind, util::ErrorKind::storage);
    EXPECT_NE(room.error().message.find("3.0 MiB"), std::string::npos) << room.error().message;
    EXPECT_NE(room.error().message.find("at most 2.0 MiB"), std::string::npos);
    EXPECT_NE(room.error().message.find("--cache-size"), std::string::npos);
    EXPECT_TRUE(fs::exists(cache->path_of(kept)));  // nothing evicted for a job that cannot fit
}

TEST_F(BlobCacheTest, ABlobWhoseSizeChangedIsDroppedWhenTaken) {
    auto cache = open(1 << 20);
    const std::string hash = put(*cache, "0123456789");
    fs::permissions(cache->path_of(hash), fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(cache->path_of(hash), std::ios::app) << "edited";
    EXPECT_FALSE(cache->take(hash, 10));
    EXPECT_FALSE(fs::exists(cache->path_of(hash)));
    EXPECT_EQ(cache->used(), 0);
}

TEST_F(BlobCacheTest, VerifyFindsABlobEditedInPlace) {
    auto cache = open(1 << 20);
    const std::string good = put(*cache, "intact bytes");
    const std::string bad = put(*cache, "0123456789");
    fs::permissions(cache->path_of(bad), fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(cache->path_of(bad), std::ios::binary) << "9876543210";  // same size
    EXPECT_TRUE(cache->take(bad, 10));  // a size check cannot see it...
    EXPECT_FALSE(cache->verify(bad));   // ...reading it again does
    EXPECT_FALSE(fs::exists(cache->path_of(bad)));
    EXPECT_TRUE(cache->verify(good));
    EXPECT_EQ(cache->used(), 12);
}

TEST_F(BlobCacheTest, ADownloadResumesThePartAndIsVerified) {
    const std::string bytes(300'000, 'x');
    const std::string hash = spotfarm::testing::sha256_of(bytes);
    std::vector<std::string> ranges;
    std::vector<std::string> tokens;
    std::vector<std::string> targets;
    std::string served = bytes;
    testing::LoopbackHttpServer server([&](const testing::ReceivedRequest& r) {
        std::string range;
        for (const auto& [k, v] : r.headers) {
            if (k == "Range" || k == "range") range = v;
            if (k == "Authorization" || k == "authorization") tokens.push_back(v);
        }
        ranges.push_back(range);
        targets.push_back(r.target);
        // "bytes=A-B"
        const auto dash = range.find('-');
        const std::size_t from = std::stoul(range.substr(6, dash - 6));
        const std::size_t to = std::stoul(range.substr(dash + 1));
        if (from >= served.size()) return util::HttpResponse{416, {}, ""};
        return util::HttpResponse{206, {}, served.substr(from, to - from + 1)};
    });
    auto cache = open(1 << 20);
    // A download that stopped after 100,000 bytes.
    fs::create_directories(cache->path_of(hash).parent_path());
    std::ofstream(cache->path_of(hash).string() + ".part", std::ios::binary)
        << bytes.substr(0, 100'000);
    EXPECT_EQ(cache->partial_bytes(hash), 100'000);

    util::CurlHttpClient http;
    ManagerClient client(http, ManagerClientOptions{server.url(), "join"});
    client.use_worker_secret("worker-secret");
    auto got =
        client.fetch_blob(hash, static_cast<std::int64_t>(bytes.size()), cache->path_of(hash));
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, 200'000);  // only what the part lacked
    ASSERT_FALSE(ranges.empty());
    EXPECT_EQ(ranges.front().rfind("bytes=100000-", 0), 0u) << ranges.front();
    EXPECT_EQ(tokens.front(), "Bearer worker-secret");
    EXPECT_EQ(targets.front(), "/api/v1/blobs/" + hash);
    ASSERT_TRUE(cache->added(hash));
    EXPECT_TRUE(cache->take(hash, 300'000));
    EXPECT_TRUE(cache->verify(hash));

    // A server whose bytes do not match the name: refused, nothing kept.
    served = std::string(300'000, 'y');
    const std::string other = spotfarm::testing::sha256_of(std::string(300'000, 'z'));
    auto refused = client.fetch_blob(other, 300'000, cache->path_of(other));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, util::ErrorKind::failed);
    EXPECT_FALSE(fs::exists(cache->path_of(other)));
    EXPECT_FALSE(fs::exists(cache->path_of(other).string() + ".part"));
}

}  // namespace
}  // namespace spotfarm::worker

#include "worker/job_tree.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

#include "support/test_bytes.h"
#include "util/file_hash.h"
#include "worker/fakes.h"

namespace spotfarm::worker {
namespace {

namespace fs = std::filesystem;
using namespace testing;

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

class JobTreeTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = BlobCache::open(scratch / "cache", capacity);
        ASSERT_TRUE(opened) << opened.error().message;
        cache = std::move(opened).value();
        trees = std::make_unique<JobTrees>(*cache, scratch / "work");
        ASSERT_TRUE(trees->remove_stale());
    }
    // Serves `files` (path -> bytes) and their tree; returns the tree's hash.
    std::string serve(const std::map<std::string, std::string>& files,
                      std::map<std::string, std::string> remap = {}) {
        protocol::Tree tree;
        for (const auto& [path, bytes] : files) {
            const std::string hash = spotfarm::testing::sha256_of(bytes);
            manager.blobs[hash] = bytes;
            tree.files.push_back({path, hash, static_cast<std::int64_t>(bytes.size())});
        }
        tree.remap = std::move(remap);
        const std::string blob = protocol::to_tree_blob(tree);
        manager.blobs[spotfarm::testing::sha256_of(blob)] = blob;
        return spotfarm::testing::sha256_of(blob);
    }
    util::Result<const PreparedJob*> prepare(std::int64_t job, const std::string& tree) {
        return trees->prepare(job, tree, FetchContext{manager, sleeper, keep_going});
    }
    std::size_t fetched(const std::string& bytes) const {
        return static_cast<std::size_t>(std::count(manager.blobs_fetched.begin(),
                                                   manager.blobs_fetched.end(),
                                                   spotfarm::testing::sha256_of(bytes)));
    }

    test::ScratchDir scratch;
    std::int64_t capacity = 1 << 20;
    util::FakeClock clock;
    FakeManager manager{clock};
    FakeSleeper sleeper{clock};
    std::function<bool()> keep_going = [] { return true; };
    std::unique_ptr<BlobCache> cache;
    std::unique_ptr<JobTrees> trees;
};

TEST_F(JobTreeTest, LaysOutNestedFilesAsHardLinksIntoTheCache) {
    const std::string tree = serve({{"shot.blend", "BLENDER scene"},
                                    {"tex/wood/oak.png", "oak pixels"},
                                    {"tex/copy_of_oak.png", "oak pixels"},
                                    {"_external/mnt/lib/rock.png", "rock pixels"}},
                                   {{"/mnt/lib/rock.png", "_external/mnt/lib/rock.png"}});
    auto job = prepare(7, tree);
    ASSERT_TRUE(job) << job.error().message;

    const fs::path root = scratch / "work" / "job-7";
    EXPECT_EQ((*job)->tree_dir, root / "tree");
    EXPECT_EQ((*job)->out_dir, root / "out");
    EXPECT_TRUE(fs::is_directory(root / "out"));
    EXPECT_EQ(read(root / "tree" / "shot.blend"), "BLENDER scene");
    EXPECT_EQ(read(root / "tree" / "tex" / "wood" / "oak.png"), "oak pixels");
    EXPECT_EQ(read(root / "tree" / "_external" / "mnt" / "lib" / "rock.png"), "rock pixels");
    // One blob, two paths, one download, three names for one inode.
    EXPECT_EQ(fetched("oak pixels"), 1u);
    EXPECT_TRUE(fs::equivalent(root / "tree" / "tex" / "wood" / "oak.png",
                               cache->path_of(spotfarm::testing::sha256_of("oak pixels"))));
    EXPECT_EQ(fs::hard_link_count(root / "tree" / "tex" / "copy_of_oak.png"), 3u);
    EXPECT_EQ((*job)->path_remap,
              (std::map<std::string, std::string>{
                  {"/mnt/lib/rock.png", (root / "tree" / "_external/mnt/lib/rock.png").string()}}));
}

TEST_F(JobTreeTest, CopiesWhereTheWorkFolderIsOnAnotherFileSystem) {
    // /dev/shm is a tmpfs on Linux: a hard link from the cache there fails with EXDEV.
    struct stat shm {};
    struct stat tmp {};
    if (::stat("/dev/shm", &shm) != 0 || ::stat(scratch.path().c_str(), &tmp) != 0 ||
        shm.st_dev == tmp.st_dev) {
        GTEST_SKIP() << "needs /dev/shm on another file system than " << scratch.path();
    }
    const fs::path work = fs::path("/dev/shm") / scratch.path().filename();
    struct Cleanup {
        fs::path path;
        ~Cleanup() { fs::remove_all(path); }
    } cleanup{work};
    JobTrees elsewhere(*cache, work);
    ASSERT_TRUE(elsewhere.remove_stale());
    const std::string tree = serve({{"shot.blend", "scene"}, {"tex/a.png", "texture"}});
    auto job = elsewhere.prepare(7, tree, FetchContext{manager, sleeper, keep_going});
    ASSERT_TRUE(job) << job.error().message;
    const fs::path copy = work / "job-7" / "tree" / "tex" / "a.png";
    EXPECT_EQ(read(copy), "texture");
    EXPECT_EQ(fs::hard_link_count(copy), 1u);
    EXPECT_EQ(fs::hard_link_count(cache->path_of(spotfarm::testing::sha256_of("texture"))), 1u);
}

TEST_F(JobTreeTest, TheJobsLaterTasksAndAJobOfTheSameFilesFetchNothingMore) {
    const std::string tree = serve({{"shot.blend", "scene"}, {"tex/a.png", "a"}});
    ASSERT_TRUE(prepare(7, tree));
    const std::size_t first = manager.blobs_fetched.size();
    EXPECT_EQ(first, 3u);  // the tree and two files

    auto again = prepare(7, tree);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(manager.blobs_fetched.size(), first);

    // Job 8 renders the same files: the folder of job 7 goes, nothing is downloaded.
    auto other = prepare(8, tree);
    ASSERT_TRUE(other) << other.error().message;
    EXPECT_EQ(manager.blobs_fetched.size(), first);
    EXPECT_FALSE(fs::exists(scratch / "work" / "job-7"));
    EXPECT_EQ(read(scratch / "work" / "job-8" / "tree" / "tex" / "a.png"), "a");
}

TEST_F(JobTreeTest, ABlobTheManagerLostFailsNamingTheFileAndWhatToDo) {
    const std::string tree = serve({{"shot.blend", "scene"}, {"tex/gone.png", "lost bytes"}});
    manager.blobs.erase(spotfarm::testing::sha256_of("lost bytes"));
    auto job = prepare(7, tree);
    ASSERT_FALSE(job);
    EXPECT_EQ(job.error().kind, util::ErrorKind::not_found);
    const std::string& message = job.error().message;
    EXPECT_NE(message.find("tex/gone.png of job 7"), std::string::npos) << message;
    EXPECT_NE(message.find(spotfarm::testing::sha256_of("lost bytes")), std::string::npos)
        << message;
    EXPECT_NE(message.find("submit the job again"), std::string::npos) << message;
    EXPECT_FALSE(fs::exists(scratch / "work" / "job-7" / "tree"));
}

TEST_F(JobTreeTest, AManagerOutOfReachIsTriedAgainWithBackOffThenReported) {
    const std::string tree = serve({{"shot.blend", "scene"}});
    manager.up = false;
    int asked = 0;
    keep_going = [&] {
        ++asked;
        return true;
    };
    auto job = prepare(7, tree);
    ASSERT_FALSE(job);
    EXPECT_EQ(job.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(job.error().message.find("the tree of job 7"), std::string::npos)
        << job.error().message;
    EXPECT_EQ(manager.blobs_fetched.size(), 6u);  // six rounds
    EXPECT_EQ(sleeper.sleeps.size(), 5u);         // with a wait between each two
    EXPECT_GE(asked, 5);

    // Back before the rounds run out: the job is laid out.
    manager.up = true;
    manager.blobs_fetched.clear();
    sleeper.on_sleep = [&] { manager.up = true; };
    auto later = prepare(7, tree);
    ASSERT_TRUE(later) << later.error().message;
}

TEST_F(JobTreeTest, AFullWorkerDiskSaysHowBigTheCacheIsAndHowToLowerIt) {
    const std::string tree = serve({{"shot.blend", "scene"}});
    manager.blob_error =
        util::make_error("cannot write x.part: No space left on device", util::ErrorKind::storage);
    auto job = prepare(7, tree);
    ASSERT_FALSE(job);
    EXPECT_EQ(job.error().kind, util::ErrorKind::storage);
    const std::string& message = job.error().message;
    EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
    EXPECT_NE(message.find("the blob cache at " + (scratch / "cache").string() +
                           " holds 0 B of at most 1.0 MiB"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("lower --cache-size"), std::string::npos) << message;
}

TEST_F(JobTreeTest, ABlobThatArrivesDamagedSaysTheManagersCopyMayBeCorrupt) {
    const std::string tree = serve({{"shot.blend", "scene"}});
    manager.blob_error =
        util::make_error("blob arrived with SHA-256 00ff instead of", util::ErrorKind::failed);
    auto job = prepare(7, tree);
    ASSERT_FALSE(job);
    EXPECT_EQ(job.error().kind, util::ErrorKind::failed);
    EXPECT_NE(job.error().message.find("the tree of job 7 (blob " + tree + ") arrived damaged"),
              std::string::npos)
        << job.error().message;
    EXPECT_FALSE(fs::exists(cache->path_of(tree)));
}

TEST_F(JobTreeTest, StopsFetchingWhenTheTaskIsNoLongerOurs) {
    const std::string tree = serve({{"shot.blend", "scene"}});
    manager.up = false;
    keep_going = [] { return false; };
    auto job = prepare(7, tree);
    ASSERT_FALSE(job);
    EXPECT_EQ(job.error().kind, util::ErrorKind::interrupted);
    EXPECT_EQ(manager.blobs_fetched.size(), 1u);
}

TEST_F(JobTreeTest, AJobLargerThanTheCacheSaysHowToRaiseTheBound) {
    const std::string tree = serve({{"shot.blend", std::string(capacity + 1, 's')}});
    auto job = prepare(7, tree);
    ASSERT_FALSE(job);
    EXPECT_EQ(job.error().kind, util::ErrorKind::storage);
    EXPECT_NE(job.error().message.find("job 7"), std::string::npos) << job.error().message;
    EXPECT_NE(job.error().message.find("--cache-size"), std::string::npos);
    EXPECT_EQ(manager.blobs_fetched.size(), 1u);  // the tree only
}

TEST_F(JobTreeTest, VerifyAfterAFailedRenderFindsADamagedFileAndFetchesItAgain) {
    const std::string tree = serve({{"shot.blend", "scene bytes"}, {"tex/a.png", "texture"}});
    ASSERT_TRUE(prepare(7, tree));
    EXPECT_TRUE(trees->verify(7).empty());

    // Someone edits the scene through the tree (same size, so a size check cannot tell).
    const fs::path blend = scratch / "work" / "job-7" / "tree" / "shot.blend";
    fs::permissions(blend, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(blend, std::ios::binary) << "SCENE BYTES";
    EXPECT_EQ(trees->verify(7), std::vector<std::string>{"shot.blend"});
    EXPECT_FALSE(fs::exists(scratch / "work" / "job-7"));

    auto again = prepare(7, tree);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(fetched("scene bytes"), 2u);
    EXPECT_EQ(fetched("texture"), 1u);
    EXPECT_EQ(read(blend), "scene bytes");
}

TEST_F(JobTreeTest, StartUpRemovesJobFoldersAnEarlierRunLeft) {
    scratch.write("work/job-3/tree/shot.blend", "old");
    scratch.write("work/notes.txt", "kept");
    ASSERT_TRUE(trees->remove_stale());
    EXPECT_FALSE(fs::exists(scratch / "work" / "job-3"));
    EXPECT_TRUE(fs::exists(scratch / "work" / "notes.txt"));
}

TEST_F(JobTreeTest, TheRenderJobPointsIntoTheJobsFolder) {
    const std::string tree = serve({{"shots/a.blend", "scene"}, {"_external/lib/x.png", "x"}},
                                   {{"/lib/x.png", "_external/lib/x.png"}});
    auto job = prepare(7, tree);
    ASSERT_TRUE(job) << job.error().message;
    core::JobSettings settings;
    settings.scene = "shots/a.blend";
    settings.output = "frames/frame_####";
    settings.samples = 16;
    settings.tree = tree;
    auto local = render_job_in(**job, settings);
    ASSERT_TRUE(local) << local.error().message;
    const fs::path root = scratch / "work" / "job-7";
    EXPECT_EQ(local->settings.scene, (root / "tree" / "shots" / "a.blend").string());
    EXPECT_EQ(local->settings.output, (root / "out" / "frames" / "frame_####").string());
    EXPECT_EQ(local->settings.samples, 16);
    EXPECT_EQ(local->path_remap.at("/lib/x.png"), (root / "tree" / "_external/lib/x.png").string());

    settings.scene = "other.blend";
    auto no_scene = render_job_in(**job, settings);
    ASSERT_FALSE(no_scene);
    EXPECT_NE(no_scene.error().message.find("other.blend is not a file"), std::string::npos);
    settings.scene = "shots/a.blend";
    settings.output = "/abs/frame_####";
    EXPECT_FALSE(render_job_in(**job, settings));
    settings.output = "../up/frame_####";
    EXPECT_FALSE(render_job_in(**job, settings));
}

}  // namespace
}  // namespace spotfarm::worker

#include "blender/probe_cache.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

BlenderCapabilities sample_capabilities() {
    BlenderCapabilities caps;
    caps.version = "4.2.1 LTS";
    caps.python_version = "3.11.9";
    caps.engines = {"CYCLES", "BLENDER_EEVEE_NEXT"};
    caps.gpu_backends = {GpuBackend{"OPTIX", {"NVIDIA RTX A4000"}}, GpuBackend{"HIP", {}}};
    return caps;
}

class ProbeCacheTest : public ::testing::Test {
protected:
    test::ScratchDir m_scratch;  // first: the members below are made in it
    // A stand-in for the Blender executable: only its path, size and time matter here.
    fs::path m_blender = m_scratch.write("bin/blender", "#!/bin/sh\n");
    fs::path m_cache = m_scratch / "cache" / "spotfarm";
    std::atomic<int> m_probes{0};
    Prober m_probe = [this](const fs::path&) -> util::Result<BlenderCapabilities> {
        ++m_probes;
        return sample_capabilities();
    };

    util::Result<BlenderCapabilities> probe() {
        return probe_blender_cached(m_blender, m_cache, m_probe);
    }
};

}  // namespace

TEST_F(ProbeCacheTest, ASecondStartIsAnsweredFromTheCache) {
    auto first = probe();
    ASSERT_TRUE(first) << first.error().message;
    auto second = probe();
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(m_probes, 1);
    EXPECT_EQ(second->version, "4.2.1 LTS");
    EXPECT_EQ(second->python_version, "3.11.9");
    EXPECT_EQ(second->engines, sample_capabilities().engines);
    ASSERT_EQ(second->gpu_backends.size(), 2u);
    EXPECT_EQ(second->gpu_backends[0].type, "OPTIX");
    EXPECT_EQ(second->gpu_backends[0].devices, std::vector<std::string>{"NVIDIA RTX A4000"});
    EXPECT_TRUE(second->gpu_backends[1].devices.empty());
}

TEST_F(ProbeCacheTest, AChangedModificationTimeProbesAgain) {
    ASSERT_TRUE(probe());
    fs::last_write_time(m_blender, fs::last_write_time(m_blender) + 10s);
    ASSERT_TRUE(probe());
    EXPECT_EQ(m_probes, 2);
    ASSERT_TRUE(probe());  // and the new answer is the one kept
    EXPECT_EQ(m_probes, 2);
}

TEST_F(ProbeCacheTest, AChangedSizeProbesAgain) {
    ASSERT_TRUE(probe());
    const auto time = fs::last_write_time(m_blender);
    m_scratch.write("bin/blender", "#!/bin/sh\nexec true\n");
    fs::last_write_time(m_blender, time);
    ASSERT_TRUE(probe());
    EXPECT_EQ(m_probes, 2);
}

TEST_F(ProbeCacheTest, AnotherGpuSelectionProbesAgain) {
    ASSERT_TRUE(probe());
    ::setenv("CUDA_VISIBLE_DEVICES", "1", 1);
    auto with_gpu_one = probe();
    ::unsetenv("CUDA_VISIBLE_DEVICES");
    ASSERT_TRUE(with_gpu_one);
    EXPECT_EQ(m_probes, 2);
}

TEST_F(ProbeCacheTest, ACorruptFileIsAMissAndIsReplaced) {
    ASSERT_TRUE(probe());
    auto key = probe_key(m_blender);
    ASSERT_TRUE(key) << key.error().message;
    const fs::path file = ProbeCache(m_cache).file_for(*key);
    ASSERT_TRUE(fs::exists(file));
    for (const char* garbage : {"{\"format\": 1, \"key\": ", "[1, 2, 3]",
                                "{\"format\": 1, \"key\": 7, \"capabilities\": {}}"}) {
        std::ofstream(file, std::ios::trunc) << garbage;
        EXPECT_FALSE(ProbeCache(m_cache).find(*key)) << garbage;
    }
    ASSERT_TRUE(probe());
    EXPECT_EQ(m_probes, 2);
    EXPECT_TRUE(ProbeCache(m_cache).find(*key));
}

TEST_F(ProbeCacheTest, FieldsOfTheWrongTypeAreAMissNotACrash) {
    ASSERT_TRUE(probe());
    auto key = probe_key(m_blender);
    ASSERT_TRUE(key);
    const fs::path file = ProbeCache(m_cache).file_for(*key);
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto at = text.find("\"NVIDIA RTX A4000\"");
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at, std::string("\"NVIDIA RTX A4000\"").size(), "42");
    std::ofstream(file, std::ios::trunc) << text;
    EXPECT_FALSE(ProbeCache(m_cache).find(*key));
}

TEST_F(ProbeCacheTest, ACacheThatCannotBeWrittenStillProbes) {
    // A regular file where the cache folder's parent should be: nothing can be created there.
    const fs::path blocked = m_scratch.write("blocked", "a file") / "spotfarm";
    for (int i = 0; i < 2; ++i) {
        auto caps = probe_blender_cached(m_blender, blocked, m_probe);
        ASSERT_TRUE(caps) << caps.error().message;
        EXPECT_EQ(caps->version, "4.2.1 LTS");
    }
    EXPECT_EQ(m_probes, 2);
}

TEST_F(ProbeCacheTest, AFailedProbeIsNotCached) {
    Prober failing = [this](const fs::path&) -> util::Result<BlenderCapabilities> {
        ++m_probes;
        return util::make_error("Blender printed no probe report");
    };
    EXPECT_FALSE(probe_blender_cached(m_blender, m_cache, failing));
    EXPECT_TRUE(probe());
    EXPECT_EQ(m_probes, 2);
}

TEST_F(ProbeCacheTest, WorkersStartingTogetherProbeOnce) {
    Prober slow = [this](const fs::path&) -> util::Result<BlenderCapabilities> {
        ++m_probes;
        std::this_thread::sleep_for(200ms);
        return sample_capabilities();
    };
    std::vector<std::thread> workers;
    std::atomic<int> answered{0};
    for (int i = 0; i < 4; ++i) {
        workers.emplace_back([&] {
            if (probe_blender_cached(m_blender, m_cache, slow)) ++answered;
        });
    }
    for (auto& t : workers) t.join();
    EXPECT_EQ(answered, 4);
    EXPECT_EQ(m_probes, 1);
}

TEST(ProbeCacheDir, FollowsTheXdgRules) {
    EXPECT_EQ(probe_cache_dir("/var/cache/me", "/home/me"), fs::path("/var/cache/me/spotfarm"));
    EXPECT_EQ(probe_cache_dir("", "/home/me"), fs::path("/home/me/.cache/spotfarm"));
    // A relative $XDG_CACHE_HOME is to be ignored.
    EXPECT_EQ(probe_cache_dir("cache", "/home/me"), fs::path("/home/me/.cache/spotfarm"));
    EXPECT_EQ(probe_cache_dir("", ""), fs::path());
}

TEST(ProbeKey, FailsForAMissingBlender) {
    EXPECT_FALSE(probe_key("/nonexistent/blender"));
}

}  // namespace spotfarm::blender

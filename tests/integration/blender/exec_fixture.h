#pragma once
// Shared by the `spotfarm exec` integration tests: a scratch folder per test, the tiny scenes the
// build made (tests/scenes/*.py), and checks that an output folder holds only whole frames.

#include <dirent.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "blender/output_validator.h"
#include "support/run_cli.h"
#include "support/scratch_dir.h"
#include "util/atomic_file.h"

namespace spotfarm::test {

inline std::filesystem::path test_scene(const std::string& name) {
    return std::filesystem::path(SPOTFARM_TEST_SCENES) / (name + ".blend");
}

class ExecTest : public ::testing::Test {
protected:
    // A copy of a test scene in this test's folder, so its path names this test alone.
    std::filesystem::path own_scene(const std::string& name) {
        auto copy = m_dir.path() / (name + ".blend");
        std::filesystem::copy_file(test_scene(name), copy);
        return copy;
    }
    std::string out(const std::string& pattern = "f_####") const {
        return (m_dir.path() / "out" / pattern).string();
    }
    std::vector<std::string> out_files() const { return list_dir(m_dir.path() / "out"); }
    // No temporary or partial file may be left, whatever happened.
    void expect_no_temp_files() const {
        for (const auto& name : out_files()) {
            EXPECT_FALSE(util::is_temp_name(name)) << "left behind: " << name;
        }
    }
    static nlohmann::json json_of(const CliRun& run) {
        auto j = nlohmann::json::parse(run.out, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << run.out << run.err;
        return j;
    }
    // Running processes whose command line mentions `text` (Blenders left behind).
    static int processes_mentioning(const std::string& text) {
        int count = 0;
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            std::ifstream in(entry.path() / "cmdline");
            std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (cmd.find(text) != std::string::npos) ++count;
        }
        return count;
    }

    ScratchDir m_dir;
};

#define EXPECT_MENTIONS(run, text) \
    EXPECT_TRUE((run).mentions(text)) << "stdout:\n" << (run).out << "\nstderr:\n" << (run).err

}  // namespace spotfarm::test

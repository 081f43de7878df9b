#include "util/text_file.h"

#include <fstream>
#include <random>

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

class TextFile : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("spotfarm-text-file-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(m_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path m_dir;
};

TEST_F(TextFile, ReadsWholeFile) {
    const std::string text(200'000, 'x');
    std::ofstream(m_dir / "a.txt") << text << "\nend";
    auto read = read_text_file(m_dir / "a.txt");
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(*read, text + "\nend");
}

TEST_F(TextFile, ErrorsNameThePath) {
    auto missing = read_text_file(m_dir / "none.txt");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("none.txt"), std::string::npos);
    EXPECT_NE(missing.error().message.find("No such file"), std::string::npos);
    auto folder = read_text_file(m_dir);
    ASSERT_FALSE(folder.ok());
    EXPECT_NE(folder.error().message.find("folder"), std::string::npos);
    std::ofstream(m_dir / "big.txt") << std::string(100, 'x');
    auto big = read_text_file(m_dir / "big.txt", 99);
    ASSERT_FALSE(big.ok());
    EXPECT_NE(big.error().message.find("larger than 99 bytes"), std::string::npos);
    EXPECT_TRUE(read_text_file(m_dir / "big.txt", 100).ok());
}

}  // namespace
}  // namespace spotfarm::util

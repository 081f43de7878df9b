#pragma once
// Helpers many tests share: the bytes of a file under tests/data, and the SHA-256 of bytes.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "util/file_hash.h"

namespace spotfarm::testing {

// The bytes of tests/data/RELATIVE; a missing file fails the test that asked.
inline std::string test_data(const std::filesystem::path& relative) {
    std::ifstream in(std::filesystem::path(SPOTFARM_TEST_DATA) / relative, std::ios::binary);
    EXPECT_TRUE(in) << relative;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The bytes of tests/data/ec2/NAME: answers recorded from EC2's documentation.
inline std::string ec2_data(const std::string& name) {
    return test_data("ec2/" + name);
}

// Lower-case hex SHA-256 of BYTES, as the blob store names them.
inline std::string sha256_of(const std::string& bytes) {
    util::Sha256 digest;
    digest.update(bytes);
    return digest.hex_digest();
}

}  // namespace spotfarm::testing

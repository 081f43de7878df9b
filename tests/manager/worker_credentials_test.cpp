#include "manager/worker_credentials.h"

#include <gtest/gtest.h>

namespace spotfarm::manager {

TEST(WorkerCredentials, SecretsAreRandomHex) {
    auto a = new_worker_secret();
    auto b = new_worker_secret();
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->size(), 64u);
    EXPECT_EQ(a->find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(*a, *b);
}

TEST(WorkerCredentials, OnlyTheHashIsKeptAndItMatchesItsSecretOnly) {
    // SHA-256 of "abc", a published test vector.
    EXPECT_EQ(hash_worker_secret("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string hash = hash_worker_secret("secret");
    EXPECT_TRUE(worker_secret_matches("secret", hash));
    EXPECT_FALSE(worker_secret_matches("secreT", hash));
    EXPECT_FALSE(worker_secret_matches("", hash));
    EXPECT_FALSE(worker_secret_matches("secret", ""));
}

}  // namespace spotfarm::manager

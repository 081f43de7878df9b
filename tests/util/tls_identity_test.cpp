#include "util/tls_identity.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"
#include "util/text_file.h"

namespace spotfarm::util {
namespace {

TEST(TlsIdentity, MakesAKeyACertificateAndThePinOfItsKey) {
    auto made = make_tls_identity("manager.spotfarm");
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_TRUE(made->key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    EXPECT_TRUE(made->cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    ASSERT_EQ(made->pin.size(), 8u + 44u) << made->pin;
    EXPECT_TRUE(made->pin.starts_with("sha256//"));
    auto again = public_key_pin(made->cert_pem);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, made->pin);
}

TEST(TlsIdentity, EachIdentityHasItsOwnKey) {
    auto first = make_tls_identity("a");
    auto second = make_tls_identity("a");
    ASSERT_TRUE(first && second);
    EXPECT_NE(first->pin, second->pin);
    EXPECT_NE(first->key_pem, second->key_pem);
}

TEST(TlsIdentity, TextWithoutACertificateHasNoPin) {
    auto pin =
        public_key_pin("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
    ASSERT_FALSE(pin);
    EXPECT_EQ(pin.error().kind, ErrorKind::invalid);
}

TEST(TlsIdentity, SavesTheKeyReadableByItsOwnerOnly) {
    test::ScratchDir dir;
    auto made = make_tls_identity("a");
    ASSERT_TRUE(made);
    ASSERT_TRUE(save_tls_identity(*made, dir.path()));
    auto perms = std::filesystem::status(dir / "manager-key.pem").permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto cert = read_text_file(dir / "manager-cert.pem");
    ASSERT_TRUE(cert);
    EXPECT_EQ(*cert, made->cert_pem);
}

}  // namespace
}  // namespace spotfarm::util

#include "manager/worker_credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace spotfarm::manager {
namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = k_digits[data[i] >> 4];
        out[2 * i + 1] = k_digits[data[i] & 0xf];
    }
    return out;
}

}  // namespace

util::Result<std::string> new_worker_secret() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        return util::make_error("the system's random generator failed; cannot make a secret", util::ErrorKind::unavailable);
    }
    return to_hex(bytes.data(), bytes.size());
}

std::string hash_worker_secret(std::string_view secret) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_Digest(secret.data(), secret.size(), digest.data(), &size, EVP_sha256(), nullptr);
    return to_hex(digest.data(), size);
}

bool worker_secret_matches(std::string_view secret, std::string_view stored_hash) {
    const std::string hash = hash_worker_secret(secret);
    return hash.size() == stored_hash.size() &&
           CRYPTO_memcmp(hash.data(), stored_hash.data(), hash.size()) == 0;
}

}  // namespace spotfarm::manager

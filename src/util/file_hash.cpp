#include "util/file_hash.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <openssl/evp.h>

#include "util/hex.h"
#include "util/unique_fd.h"

namespace spotfarm::util {

struct Sha256::State {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    State() { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
    ~State() { EVP_MD_CTX_free(ctx); }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
};

Sha256::Sha256() : m_state(std::make_unique<State>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view data) {
    EVP_DigestUpdate(m_state->ctx, data.data(), data.size());
}

std::string Sha256::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_state->ctx, digest, &length);
    EVP_DigestInit_ex(m_state->ctx, EVP_sha256(), nullptr);
    return hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

Result<FileDigest> hash_file(const std::filesystem::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return make_error("cannot read " + path.string() + ": " + std::strerror(errno));
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    std::vector<char> buffer(1 << 20);
    Sha256 digest;
    FileDigest out;
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return make_error("cannot read " + path.string() + ": " + std::strerror(errno));
        }
        if (n == 0) break;
        digest.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        out.size += n;
    }
    out.sha256 = digest.hex_digest();
    return out;
}

}  // namespace spotfarm::util

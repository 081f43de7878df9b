#include "util/secret.h"

#include <vector>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "util/hex.h"

namespace spotfarm::util {

Result<std::string> random_hex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    if (bytes > 0 && RAND_bytes(raw.data(), static_cast<int>(bytes)) != 1) {
        char reason[256] = "unknown reason";
        ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
        return make_error(std::string("cannot draw random bytes from OpenSSL (") + reason +
                              "); the system's random source may be unavailable",
                          ErrorKind::unavailable);
    }
    std::string hex =
        hex_encode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
    OPENSSL_cleanse(raw.data(), raw.size());
    return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    // Tokens have a fixed, public length: revealing a length mismatch tells an attacker nothing.
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace spotfarm::util

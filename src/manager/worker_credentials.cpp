#include "manager/worker_credentials.h"

#include "util/digest.h"
#include "util/secret.h"

namespace spotfarm::manager {

util::Result<std::string> new_worker_secret() {
    return util::random_hex(32);
}

std::string hash_worker_secret(std::string_view secret) {
    return util::sha256_hex(secret);
}

bool worker_secret_matches(std::string_view secret, std::string_view stored_hash) {
    return util::constant_time_equal(hash_worker_secret(secret), stored_hash);
}

}  // namespace spotfarm::manager

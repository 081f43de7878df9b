#pragma once
// The secret a worker gets at registration and proves on every call. Only its SHA-256 is kept, so
// a copy of the state database does not let anyone act as a worker.

#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::manager {

// 32 random bytes from the system's cryptographic generator, as 64 hex digits.
util::Result<std::string> new_worker_secret();
// SHA-256 of the secret, as hex: what the store keeps.
std::string hash_worker_secret(std::string_view secret);
// Whether `secret` hashes to `stored_hash`, compared in time independent of where they differ.
bool worker_secret_matches(std::string_view secret, std::string_view stored_hash);

}  // namespace spotfarm::manager

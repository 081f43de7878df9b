#pragma once
// SHA-256 of data that does not fit in memory at once: a running digest, and a file hashed as it
// is read (1 MiB at a time), for transfer mode's content addresses.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::util {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(std::string_view data);
    // The digest in lower-case hex; the object starts over afterwards.
    std::string hex_digest();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

struct FileDigest {
    std::string sha256;  // lower-case hex
    std::int64_t size = 0;
};

// Reads `path` once. The error names the file and the cause.
Result<FileDigest> hash_file(const std::filesystem::path& path);

}  // namespace spotfarm::util

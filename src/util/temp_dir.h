#pragma once
// A private temporary folder (mkdtemp) that is removed with everything in it when this goes away.

#include <filesystem>
#include <string>

#include "util/result.h"

namespace spotfarm::util {

class TempDir {
public:
    // A new folder under the system temp folder, named `prefix` + random letters.
    static Result<TempDir> create(const std::string& prefix);
    // A new folder under `parent` (which must exist), named `prefix` + random letters.
    static Result<TempDir> create_in(const std::filesystem::path& parent,
                                     const std::string& prefix);
    TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }
    TempDir& operator=(TempDir&&) = delete;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();

    const std::filesystem::path& path() const { return m_path; }

private:
    explicit TempDir(std::filesystem::path path) : m_path(std::move(path)) {}
    std::filesystem::path m_path;
};

}  // namespace spotfarm::util

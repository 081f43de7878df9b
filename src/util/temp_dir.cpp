#include "util/temp_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <vector>

namespace spotfarm::util {

Result<TempDir> TempDir::create(const std::string& prefix) {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
    return create_in(base, prefix);
}

Result<TempDir> TempDir::create_in(const std::filesystem::path& base, const std::string& prefix) {
    std::string pattern = (base / (prefix + "XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (::mkdtemp(name.data()) == nullptr) {
        return make_error("cannot create a temporary folder in " + base.string() + ": " +
                          std::strerror(errno) + " (set TMPDIR to a writable folder)");
    }
    return TempDir(std::filesystem::path(name.data()));
}

TempDir::~TempDir() {
    if (m_path.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

}  // namespace spotfarm::util

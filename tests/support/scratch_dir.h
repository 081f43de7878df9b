#pragma once
// A fresh folder for one test, named after the test and the process (ctest runs tests side by
// side), removed with everything in it when the test ends.

#include <filesystem>
#include <string>
#include <vector>

namespace spotfarm::test {

class ScratchDir {
public:
    ScratchDir();  // under the system temp folder
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// Names in `dir` (not recursive), sorted.
std::vector<std::string> list_dir(const std::filesystem::path& dir);

}  // namespace spotfarm::test

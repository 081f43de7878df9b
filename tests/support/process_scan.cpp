#include "support/process_scan.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace spotfarm::test {

namespace fs = std::filesystem;

std::vector<pid_t> processes_mentioning(const std::string& text) {
    std::vector<pid_t> found;
    const pid_t self = ::getpid();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        if (pid == self) continue;
        for (const char* file : {"cmdline", "environ"}) {
            std::string content;
            try {
                std::ifstream in(entry.path() / file, std::ios::binary);
                content.assign(std::istreambuf_iterator<char>(in), {});
            } catch (const std::exception&) {
                // The process ended between the listing and the read (libstdc++ throws ESRCH
                // out of the stream buffer): it is not left behind.
                continue;
            }
            if (content.find(text) != std::string::npos) {
                found.push_back(pid);
                break;
            }
        }
    }
    return found;
}

}  // namespace spotfarm::test

#include "providers/ssh/ssh_session.h"

#include <signal.h>

#include <filesystem>
#include <fstream>

#include "util/subprocess.h"

namespace spotfarm::providers::ssh {

namespace {

class ProcessSession final : public Session {
public:
    ProcessSession(util::Subprocess process, std::filesystem::path log, std::uintmax_t offset)
        : m_process(std::move(process)), m_log(std::move(log)), m_offset(offset) {}

    std::optional<int> poll() override {
        auto ended = m_process.poll_exit();
        if (!ended) return std::nullopt;
        return ended->code;
    }
    // The output goes to a file rather than a pipe, so a chatty worker never blocks on a pipe
    // nobody reads between two polls.
    std::string first_line() override {
        if (!m_first.empty()) return m_first;
        std::ifstream in(m_log, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(m_offset));
        std::string line;
        if (std::getline(in, line) && !in.eof()) m_first = line;
        return m_first;
    }
    void kill() override { m_process.terminate(std::chrono::seconds(5)); }

private:
    util::Subprocess m_process;
    std::filesystem::path m_log;
    std::uintmax_t m_offset;
    std::string m_first;
};

}  // namespace

util::Result<std::unique_ptr<Session>> ProcessSessionStarter::start(
    const std::vector<std::string>& argv, const CommandEnv& env, const std::string& log) {
    util::SpawnOptions options;
    options.argv = argv;
    options.env = env;
    options.output_file = log;
    std::error_code ec;
    std::filesystem::create_directories(options.output_file.parent_path(), ec);
    const auto size = std::filesystem::file_size(log, ec);
    auto process = util::Subprocess::spawn(options);
    if (!process) return process.error();
    return std::unique_ptr<Session>(
        new ProcessSession(std::move(process).value(), log, ec ? 0 : size));
}

}  // namespace spotfarm::providers::ssh

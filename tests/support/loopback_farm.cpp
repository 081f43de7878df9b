#include "support/loopback_farm.h"

#include <chrono>
#include <fstream>

namespace spotfarm::test {

namespace {

using namespace std::chrono_literals;

std::string first_line(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

}  // namespace

util::Result<std::unique_ptr<LoopbackProcess>> LoopbackProcess::start(
    std::vector<std::string> args) {
    args.insert(args.begin(), SPOTFARM_EXE);
    auto child = util::Subprocess::spawn({.argv = std::move(args)});
    if (!child) return child.error();
    return std::unique_ptr<LoopbackProcess>(new LoopbackProcess(std::move(child).value()));
}

LoopbackProcess::LoopbackProcess(util::Subprocess child) : m_child(std::move(child)) {
    m_reader = std::thread([this] {
        while (!m_stop) {
            std::vector<std::string> lines;
            const bool open = m_child.read_output(lines);
            {
                std::lock_guard lock(m_mutex);
                m_lines.insert(m_lines.end(), lines.begin(), lines.end());
            }
            if (!open) {
                m_exited = true;
                return;
            }
            std::this_thread::sleep_for(20ms);
        }
    });
}

LoopbackProcess::~LoopbackProcess() {
    m_stop = true;
    m_reader.join();
    std::vector<std::string> rest;
    m_child.terminate(10s, [&rest](const std::string& line) { rest.push_back(line); });
}

std::string LoopbackProcess::log() const {
    std::lock_guard lock(m_mutex);
    std::string out;
    for (const auto& line : m_lines) out += line + "\n";
    return out;
}

util::Result<std::unique_ptr<LoopbackFarm>> LoopbackFarm::start(const std::filesystem::path& dir) {
    std::unique_ptr<LoopbackFarm> farm(new LoopbackFarm(dir));
    const auto port_file = dir / "port";
    auto manager =
        LoopbackProcess::start({"manager", "--state-dir", (dir / "state").string(), "--listen",
                                "127.0.0.1:0", "--port-file", port_file.string()});
    if (!manager) return manager.error();
    farm->m_manager = std::move(*manager);
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    std::string port;
    while ((port = first_line(port_file)).empty()) {
        if (farm->m_manager->exited() || std::chrono::steady_clock::now() > give_up) {
            return util::make_error("the manager wrote no port file:\n" + farm->logs());
        }
        std::this_thread::sleep_for(20ms);
    }
    farm->m_url = "http://127.0.0.1:" + port;
    farm->m_people_token = first_line(dir / "state" / "people.token");
    farm->m_join_token = first_line(dir / "state" / "worker-join.token");
    return farm;
}

util::Status LoopbackFarm::add_worker(const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args{"worker",  "--manager",   m_url,
                                  "--token", m_join_token,  "--name",
                                  name,      "--state-dir", (m_dir / name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto worker = LoopbackProcess::start(std::move(args));
    if (!worker) return worker.error();
    m_workers.push_back(std::move(*worker));
    return {};
}

std::string LoopbackFarm::logs() const {
    std::string out = "--- manager\n" + (m_manager ? m_manager->log() : std::string());
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        out += "--- worker " + std::to_string(i + 1) + "\n" + m_workers[i]->log();
    }
    return out;
}

}  // namespace spotfarm::test

#include "cli/render/local_farm.h"

#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "util/text_file.h"

namespace spotfarm::cli {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

std::optional<std::string> read_small(const fs::path& path) {
    auto text = util::read_text_file(path, 4096);
    if (!text) return std::nullopt;
    auto value = trim(*text);
    if (value.empty()) return std::nullopt;
    return value;
}

void append_lines(const fs::path& log, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    std::ofstream out(log, std::ios::app);
    for (const auto& line : lines) out << line << '\n';
}

}  // namespace

LocalFarm::LocalFarm(LocalFarmOptions options) : m_options(std::move(options)) {}

LocalFarm::~LocalFarm() { stop(std::chrono::seconds(5)); }

util::Result<std::unique_ptr<LocalFarm>> LocalFarm::start(LocalFarmOptions options) {
    std::unique_ptr<LocalFarm> farm(new LocalFarm(std::move(options)));
    const auto& state = farm->m_options.state_dir;
    std::error_code ec;
    fs::create_directories(state / "logs", ec);
    if (ec) {
        return util::make_error("cannot create the farm's state folder " + state.string() + ": " +
                                ec.message());
    }
    const fs::path port_file = state / "manager.port";
    fs::remove(port_file, ec);

    farm->m_manager.log_path = state / "logs" / "manager.log";
    util::SpawnOptions spawn;
    spawn.argv = {farm->m_options.spotfarm_exe.string(), "manager",
                  "--state-dir", state.string(),
                  "--listen", "127.0.0.1:0",
                  "--port-file", port_file.string(),
                  "--lease-timeout", std::to_string(farm->m_options.lease_timeout.count())};
    auto manager = util::Subprocess::spawn(spawn);
    if (!manager) return util::make_error("cannot start the manager: " + manager.error().message);
    farm->m_manager.process.emplace(std::move(manager).value());

    // The manager writes its port once it listens; it may also fail (a locked state folder).
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::vector<std::string> lines;
    while (true) {
        farm->m_manager.process->read_output(lines);
        if (auto port = read_small(port_file)) {
            farm->m_url = "http://127.0.0.1:" + *port;
            break;
        }
        if (auto ended = farm->m_manager.process->poll_exit()) {
            farm->m_manager.process->read_output(lines);
            append_lines(farm->m_manager.log_path, lines);
            std::string said;
            for (const auto& line : lines) said += "\n  " + line;
            return util::make_error("the manager stopped at start (" + ended->describe() + "):" +
                                    said);
        }
        if (std::chrono::steady_clock::now() > deadline) {
            append_lines(farm->m_manager.log_path, lines);
            return util::make_error("the manager did not start listening within 30 s; see " +
                                    farm->m_manager.log_path.string());
        }
        std::this_thread::sleep_for(20ms);
    }
    append_lines(farm->m_manager.log_path, lines);

    auto people = read_small(state / "people.token");
    auto join = read_small(state / "worker-join.token");
    if (!people || !join) {
        return util::make_error("the manager started but its tokens are missing from " +
                                state.string());
    }
    farm->m_people_token = *people;
    farm->m_join_token = *join;
    farm->m_workers.resize(static_cast<std::size_t>(std::max(1, farm->m_options.workers)));
    return farm;
}

util::Status LocalFarm::spawn_worker(std::size_t index) {
    auto& child = m_workers[index];
    const auto name = "local-" + std::to_string(index + 1);
    child.log_path = m_options.state_dir / "logs" / (name + ".log");
    util::SpawnOptions spawn;
    spawn.argv = {m_options.spotfarm_exe.string(), "worker",
                  "--manager", m_url,
                  "--name", name,
                  "--state-dir", (m_options.state_dir / "workers" / name).string(),
                  // Short long-polls: a worker idle in a claim sees SIGTERM within a second,
                  // so the command ends as soon as the last frame is in (cheap on loopback).
                  "--claim-wait", "1"};
    if (!m_options.blender.empty()) {
        spawn.argv.push_back("--blender");
        spawn.argv.push_back(m_options.blender);
    }
    // The token travels in the environment, not on a command line others can read.
    spawn.env = {{"SPOTFARM_TOKEN", m_join_token}};
    auto process = util::Subprocess::spawn(spawn);
    if (!process) return util::make_error("cannot start worker " + name + ": " +
                                          process.error().message);
    child.process.emplace(std::move(process).value());
    return {};
}

util::Status LocalFarm::start_workers() {
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        if (auto started = spawn_worker(i); !started) return started;
    }
    return {};
}

int LocalFarm::revive_workers() {
    int revived = 0;
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        auto& child = m_workers[i];
        if (!child.process || !child.process->poll_exit()) continue;
        std::vector<std::string> lines;
        child.process->read_output(lines);
        append_lines(child.log_path, lines);
        append_lines(child.log_path, {"[spotfarm render] worker ended: " +
                                      child.process->exit_status()->describe()});
        if (child.restarts >= 5) continue;  // a worker that keeps dying: leave it be
        ++child.restarts;
        child.process.reset();
        if (spawn_worker(i)) ++revived;
    }
    return revived;
}

int LocalFarm::running_workers() {
    int running = 0;
    for (auto& child : m_workers) {
        if (child.process && !child.process->poll_exit()) ++running;
    }
    return running;
}

void LocalFarm::pump_logs() {
    std::vector<std::string> lines;
    if (m_manager.process) {
        m_manager.process->read_output(lines);
        append_lines(m_manager.log_path, lines);
    }
    for (auto& child : m_workers) {
        if (!child.process) continue;
        lines.clear();
        child.process->read_output(lines);
        append_lines(child.log_path, lines);
    }
}

util::Result<ApiAnswer> LocalFarm::call(const std::string& method, const std::string& path,
                                        const nlohmann::json& body) {
    util::HttpRequest request;
    request.method = method;
    request.url = m_url + "/api/v1" + path;
    request.headers = {{"Authorization", "Bearer " + m_people_token}};
    if (!body.is_null()) {
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body.dump();
    }
    request.timeout = 10s;
    auto response = m_http.send(request);
    if (!response) return response.error();
    ApiAnswer answer;
    answer.status = response->status;
    if (!response->body.empty()) {
        answer.body = nlohmann::json::parse(response->body, nullptr, false);
        if (answer.body.is_discarded()) answer.body = {{"error", response->body}};
    }
    return answer;
}

void LocalFarm::stop(std::chrono::milliseconds grace) {
    // Workers first: on SIGTERM they hand their tasks back to the manager, which must still run.
    for (auto& child : m_workers) {
        if (child.process && !child.process->exit_status()) child.process->signal_group(SIGTERM);
    }
    for (auto& child : m_workers) {
        if (!child.process) continue;
        std::vector<std::string> lines;
        child.process->terminate(grace, [&](const std::string& line) { lines.push_back(line); });
        append_lines(child.log_path, lines);
        child.process.reset();
    }
    if (m_manager.process) {
        std::vector<std::string> lines;
        m_manager.process->terminate(grace, [&](const std::string& line) { lines.push_back(line); });
        append_lines(m_manager.log_path, lines);
        m_manager.process.reset();
    }
}

}  // namespace spotfarm::cli

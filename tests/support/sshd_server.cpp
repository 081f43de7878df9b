#include "support/sshd_server.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "util/text_file.h"
#include "util/unique_fd.h"

namespace spotfarm::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Every live process below `root` (its children, theirs...), from /proc.
std::vector<pid_t> descendants(pid_t root) {
    std::multimap<pid_t, pid_t> children;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        const size_t close = line.rfind(')');
        if (close == std::string::npos) continue;
        char state = 0;
        int parent = 0;
        if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &parent) != 2) continue;
        children.emplace(parent, static_cast<pid_t>(std::stol(name)));
    }
    std::vector<pid_t> found;
    std::vector<pid_t> todo = {root};
    while (!todo.empty()) {
        const pid_t pid = todo.back();
        todo.pop_back();
        auto [from, to] = children.equal_range(pid);
        for (auto it = from; it != to; ++it) {
            found.push_back(it->second);
            todo.push_back(it->second);
        }
    }
    return found;
}

util::Status keygen(const fs::path& file) {
    auto made = util::run_capture(
        {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file.string()}, 30s);
    if (!made) return made.error();
    if (!made->status.success()) return util::make_error("ssh-keygen: " + made->output);
    return {};
}

}  // namespace

int free_loopback_port() {
    util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &size) != 0)
        return 0;
    return ntohs(address.sin_port);
}

std::string SshdServer::cannot_run_here() {
    if (::geteuid() != 0)
        return "a test sshd logs users in only when it runs as root; this test runs as uid " +
               std::to_string(::geteuid()) + " (CI runs as root)";
    return "";
}

util::Result<std::unique_ptr<SshdServer>> SshdServer::start(const fs::path& dir, int port) {
    if (!fs::exists("/usr/sbin/sshd"))
        return util::make_error(
            "/usr/sbin/sshd is missing: install openssh-server "
            "(scripts/setup.sh does)");
    fs::create_directories(dir);
    std::unique_ptr<SshdServer> server(new SshdServer(dir, port));
    if (auto made = keygen(dir / "host_key"); !made) return made.error();
    if (auto made = keygen(dir / "user_key"); !made) return made.error();
    fs::copy_file(dir / "user_key.pub", dir / "authorized_keys");
    std::error_code ec;
    if (!fs::exists("/run/sshd")) fs::create_directories("/run/sshd", ec);
    const std::string d = dir.string();
    std::ofstream(dir / "sshd_config") << "Port " << port << "\nListenAddress 127.0.0.1\n"
                                       << "HostKey " << d << "/host_key\n"
                                       << "PidFile " << d << "/sshd.pid\n"
                                       << "AuthorizedKeysFile " << d << "/authorized_keys\n"
                                       << "StrictModes no\nPubkeyAuthentication yes\n"
                                       << "PasswordAuthentication no\n"
                                       << "KbdInteractiveAuthentication no\nUsePAM no\n"
                                       << "PermitRootLogin prohibit-password\n"
                                       << "AllowTcpForwarding yes\nPermitTTY yes\n"
                                       << "Subsystem sftp internal-sftp\nLogLevel VERBOSE\n";
    std::ofstream(dir / "ssh_config") << "Host *\n"
                                      << "  StrictHostKeyChecking accept-new\n"
                                      << "  UserKnownHostsFile " << d << "/known_hosts\n"
                                      << "  IdentitiesOnly yes\n";
    util::SpawnOptions options;
    options.argv = {"/usr/sbin/sshd", "-f", d + "/sshd_config", "-D", "-e"};
    options.output_file = dir / "sshd.log";
    auto sshd = util::Subprocess::spawn(options);
    if (!sshd) return sshd.error();
    server->m_sshd.emplace(std::move(sshd).value());
    // Ready once it accepts a connection.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (server->m_sshd->poll_exit()) return util::make_error("sshd exited:\n" + server->log());
        util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<uint16_t>(port));
        if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
            return server;
        std::this_thread::sleep_for(20ms);
    }
    return util::make_error("sshd did not listen on port " + std::to_string(port) + ":\n" +
                            server->log());
}

void SshdServer::kill() {
    if (!m_sshd || m_sshd->exit_status()) return;
    // The sessions' processes first: once sshd is gone they would hang off init.
    for (int round = 0; round < 3; ++round)
        for (pid_t pid : descendants(m_sshd->pid())) ::kill(pid, SIGKILL);
    m_sshd->signal_group(SIGKILL);
    m_sshd->wait_for(10s);
}

SshdServer::~SshdServer() {
    kill();
}

std::string SshdServer::log() const {
    auto text = util::read_text_file(m_dir / "sshd.log", 1 << 20);
    if (!text) return "";
    return text->size() > 4000 ? text->substr(text->size() - 4000) : *text;
}

}  // namespace spotfarm::test

// The manager's HTTP API end to end: the input is the bytes a client sends on one connection,
// to a real manager (ManagerService, its server, router, auth and every route) on loopback in
// this process. "@P", "@J", "@W" and "@I" in the input stand for the people token, the worker
// join token, a registered worker's secret and its id, so the fuzzer reaches the handlers behind
// authentication. A crash or sanitizer report anywhere in the manager ends the run.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_input.h"
#include "manager/manager_service.h"

namespace {

using namespace spotfarm;

struct Target {
    std::unique_ptr<manager::ManagerService> service;
    std::string worker_id;
    std::string worker_secret;
};
Target* g_target = nullptr;

// Sends `bytes` on a new connection and reads the answer: up to 200 ms for its first byte, then
// until the server closes or is quiet for 20 ms (a kept-alive connection never closes by itself).
std::string send_and_read(std::uint16_t port, const std::string& bytes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return {};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        timeval send_timeout{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
        char buffer[4096];
        for (int wait_ms = 200;; wait_ms = 20) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, wait_ms) <= 0) break;
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            answer.append(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    return answer;
}

std::string request(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& body) {
    return method + " /api/v1" + path + " HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer " +
           token +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

std::string body_of(const std::string& answer) {
    const auto at = answer.find("\r\n\r\n");
    return at == std::string::npos ? std::string() : answer.substr(at + 4);
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("spotfarm-http-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    manager::ManagerOptions options;
    options.state_dir = dir;
    options.address = "127.0.0.1";
    options.port = 0;
    auto opened = manager::ManagerService::open(options);
    fuzz::require(opened.ok(), "the manager opens");
    g_target = new Target{std::move(opened).value(), {}, {}};
    fuzz::require(g_target->service->start().ok(), "the manager starts");
    const auto port = g_target->service->port();
    const auto& tokens = g_target->service->tokens();
    // A worker and a job, so that claims, reports and job routes have something to act on.
    const std::string answer =
        send_and_read(port, request("POST", "/workers", tokens.worker_join,
                                    R"({"name":"fuzz","host":"h","cores":2,"memory_mb":512,)"
                                    R"("gpus":[],"blender_version":"4.2.0","tags":[]})"));
    const auto registered = nlohmann::json::parse(body_of(answer), nullptr, false);
    if (!registered.is_object() || !registered.contains("secret"))
        std::fputs(answer.c_str(), stderr);
    fuzz::require(registered.is_object() && registered.contains("secret"), "a worker registers");
    g_target->worker_id = std::to_string(registered.value("id", 0));
    g_target->worker_secret = registered.value("secret", "");
    send_and_read(port, request("POST", "/jobs", tokens.person,
                                R"({"scene":"/s/a.blend","output":"/o/f_####","frames":"1-5"})"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string bytes(fuzz::as_text(data, size));
    const auto& tokens = g_target->service->tokens();
    replace_all(bytes, "@P", tokens.person);
    replace_all(bytes, "@J", tokens.worker_join);
    replace_all(bytes, "@W", g_target->worker_secret);
    replace_all(bytes, "@I", g_target->worker_id);
    (void)send_and_read(g_target->service->port(), bytes);
    return 0;
}

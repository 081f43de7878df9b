#pragma once
// A manager stand-in on loopback for the worker's end-to-end tests: real HTTP/1.1 (keep-alive,
// one request at a time per connection), the calls of docs/protocol.md, tasks handed out from a
// list, and every call recorded for the test to look at.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/percent_encoding.h"

namespace spotfarm::test {

class FakeManager {
public:
    struct Call {
        std::string path;  // without the query and the /api/v1 prefix
        std::string authorization;
        nlohmann::json body;
    };

    FakeManager() {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_listen, 16);
        socklen_t size = sizeof address;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &size);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~FakeManager() {
        m_done = true;
        m_thread.join();
        for (auto& [fd, buffer] : m_connections) ::close(fd);
        ::close(m_listen);
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // ---- knobs ----
    void add_task(nlohmann::json assignment) {
        std::lock_guard lock(m_mutex);
        m_tasks.push_back(std::move(assignment));
    }
    void refuse_tokens(bool refuse) { m_refuse = refuse; }
    // Answer 503 to everything until this many calls were refused that way.
    void fail_first(int calls) { m_fail_first = calls; }
    // Transfer mode: serve `bytes` at GET /blobs/{hash}, Range honoured.
    void add_blob(const std::string& hash, std::string bytes) {
        std::lock_guard lock(m_mutex);
        m_blobs[hash] = std::move(bytes);
    }

    // ---- what happened ----
    std::vector<Call> calls(std::string_view ending = {}) {
        std::lock_guard lock(m_mutex);
        std::vector<Call> out;
        for (const auto& c : m_calls) {
            if (ending.empty() || c.path.ends_with(ending)) out.push_back(c);
        }
        return out;
    }
    // Frames uploaded (PUT /tasks/{id}/frames/{frame}?name=NAME): name -> bytes, and the hash
    // header each came with.
    std::map<std::string, std::pair<std::string, std::string>> frames() {
        std::lock_guard lock(m_mutex);
        return m_frames;
    }
    // Waits until `done(calls)` holds; false after `timeout`.
    bool wait_until(const std::function<bool(const std::vector<Call>&)>& done,
                    std::chrono::seconds timeout) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, timeout, [&] { return done(m_calls); });
    }

private:
    struct Answer {
        int status;
        std::string body;
    };

    // What transfer mode's calls need beyond a JSON body.
    struct Raw {
        std::string method;
        std::string query;
        std::string range;   // "bytes=A-B"
        std::string sha256;  // X-Spotfarm-Sha256
        std::string body;
    };

    Answer handle(const std::string& path, const std::string& authorization,
                  const nlohmann::json& body, const Raw& raw) {
        {
            std::lock_guard lock(m_mutex);
            m_calls.push_back(Call{path, authorization, body});
        }
        m_changed.notify_all();
        if (m_fail_first > 0) {
            --m_fail_first;
            return {503, R"({"error":"starting up","code":"unavailable"})"};
        }
        if (m_refuse) return {401, R"({"error":"unknown token","code":"unauthorized"})"};
        if (path == "/workers") {
            return {201, R"({"id":1,"secret":"worker-secret","lease_seconds":30,)"
                         R"("heartbeat_seconds":2})"};
        }
        if (path.ends_with("/claim")) {
            std::unique_lock lock(m_mutex);
            if (m_tasks.empty()) {
                lock.unlock();
                std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a short poll
                return {204, ""};
            }
            nlohmann::json task = m_tasks.front();
            m_tasks.pop_front();
            task["attempt_id"] = m_next_attempt++;
            task["lease_seconds"] = 30;
            return {200, task.dump()};
        }
        if (path.ends_with("/progress"))
            return {200, R"({"action":"continue","lease_seconds":30})"};
        if (path.ends_with("/drain")) return {200, R"({"returned_tasks":[]})"};
        if (path.starts_with("/blobs/")) return blob(path.substr(7), raw.range);
        if (raw.method == "PUT" && path.find("/frames/") != std::string::npos) {
            std::string name = raw.query.substr(raw.query.find("name=") + 5);
            name = name.substr(0, name.find('&'));
            std::lock_guard lock(m_mutex);
            m_frames[util::percent_decode(name)] = {raw.body, raw.sha256};
            return {200, "{}"};
        }
        return {200, "{}"};
    }

    Answer blob(const std::string& hash, const std::string& range) {
        std::lock_guard lock(m_mutex);
        auto it = m_blobs.find(hash);
        if (it == m_blobs.end()) return {404, R"({"error":"no such blob","code":"not_found"})"};
        if (range.empty()) return {200, it->second};
        const std::size_t dash = range.find('-');
        const std::size_t from = std::stoul(range.substr(6, dash - 6));
        const std::size_t to = std::stoul(range.substr(dash + 1));
        if (from >= it->second.size()) return {416, ""};
        return {206, it->second.substr(from, to - from + 1)};
    }

    void serve() {
        while (!m_done) {
            std::vector<pollfd> fds{{m_listen, POLLIN, 0}};
            for (auto& [fd, buffer] : m_connections) fds.push_back({fd, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
            if (fds[0].revents & POLLIN) {
                int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
                if (fd >= 0) m_connections[fd];
            }
            for (std::size_t i = 1; i < fds.size(); ++i) {
                if (fds[i].revents) read_from(fds[i].fd);
            }
        }
    }

    void read_from(int fd) {
        std::string& buffer = m_connections[fd];
        char chunk[65536];
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            ::close(fd);
            m_connections.erase(fd);
            return;
        }
        buffer.append(chunk, std::size_t(n));
        while (true) {
            std::size_t end = buffer.find("\r\n\r\n");
            if (end == std::string::npos) return;
            std::string head = buffer.substr(0, end);
            std::size_t length = 0;
            std::string authorization;
            Raw raw;
            std::size_t line_start = head.find("\r\n");
            while (line_start != std::string::npos) {
                std::size_t next = head.find("\r\n", line_start + 2);
                std::string line = head.substr(line_start + 2, next - line_start - 2);
                std::string lower = line;
                for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
                if (lower.starts_with("content-length:")) length = std::stoul(line.substr(15));
                if (lower.starts_with("authorization:")) authorization = line.substr(15);
                if (lower.starts_with("range:")) raw.range = line.substr(7);
                if (lower.starts_with("x-spotfarm-sha256:")) raw.sha256 = line.substr(19);
                line_start = next;
            }
            if (buffer.size() < end + 4 + length) return;
            std::string body = buffer.substr(end + 4, length);
            buffer.erase(0, end + 4 + length);

            raw.method = head.substr(0, head.find(' '));
            std::string target = head.substr(head.find(' ') + 1);
            target = target.substr(0, target.find(' '));
            if (target.find('?') != std::string::npos)
                raw.query = target.substr(target.find('?') + 1);
            target = target.substr(0, target.find('?'));
            if (target.starts_with("/api/v1")) target.erase(0, 7);
            auto json = nlohmann::json::parse(body, nullptr, false);
            raw.body = std::move(body);
            Answer answer = handle(target, authorization, json, raw);
            std::string reason = answer.status < 300 ? "OK" : "Error";
            std::string response = "HTTP/1.1 " + std::to_string(answer.status) + " " + reason +
                                   "\r\nContent-Type: application/json\r\nContent-Length: " +
                                   std::to_string(answer.body.size()) + "\r\n\r\n" + answer.body;
            ::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
        }
    }

    int m_listen = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_done{false};
    std::atomic<bool> m_refuse{false};
    std::atomic<int> m_fail_first{0};
    std::map<int, std::string> m_connections;  // fd -> bytes read, not yet a whole request
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<nlohmann::json> m_tasks;
    std::vector<Call> m_calls;
    std::map<std::string, std::string> m_blobs;                           // hash -> bytes
    std::map<std::string, std::pair<std::string, std::string>> m_frames;  // name -> bytes, hash
    int m_next_attempt = 100;
    std::thread m_thread;
};

}  // namespace spotfarm::test

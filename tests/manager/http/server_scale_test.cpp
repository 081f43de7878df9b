// Thousands of idle long-polls on the one io thread: no thread each, no CPU while they wait, and
// every one answered when work appears.
#include <dirent.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "manager/http/notifier.h"
#include "manager/http/server.h"
#include "support/http_test_server.h"
#include "support/raw_tcp_client.h"

namespace spotfarm::manager::http {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

constexpr int k_clients = 2000;

int thread_count() {
    int count = 0;
    if (DIR* tasks = ::opendir("/proc/self/task")) {
        while (dirent* entry = ::readdir(tasks)) count += entry->d_name[0] != '.';
        ::closedir(tasks);
    }
    return count;
}

std::chrono::microseconds cpu_time() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto total = [](const timeval& t) {
        return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
    };
    return total(usage.ru_utime) + total(usage.ru_stime);
}

long rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    }
    return 0;
}

// Each connection is two descriptors here (client and server side).
bool raise_open_file_limit(rlim_t wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
    if (limit.rlim_cur >= wanted) return true;
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    return ::setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= wanted;
}

TEST(ServerScale, TwoThousandIdleLongPollsOnOneThread) {
    ASSERT_TRUE(raise_open_file_limit(2 * k_clients + 256))
        << "needs " << 2 * k_clients + 256 << " open files (ulimit -n)";
    int work = 0;
    Notifier waiters;
    ServerConfig config = testing::HttpTestServer::fast_config();
    config.idle_timeout = 60s;
    testing::HttpTestServer server(
        [&](Router& router, HttpServer&) {
            router.add(
                "POST", "/api/v1/workers/{id}/claim", Access::own_worker(),
                [&](Request& request) -> Reply {
                    Responder later = request.defer(60s, Response::empty(204));
                    waiters.wait(later, [&work](Responder& responder) {
                        if (work > 0 && responder.complete(Response::json({{"task", work}}))) {
                            --work;
                        }
                    });
                    return later;
                });
        },
        config);
    const int threads_before = thread_count();
    const long rss_before = rss_kib();

    std::vector<std::unique_ptr<testing::RawTcpClient>> clients;
    auto connect_started = std::chrono::steady_clock::now();
    for (int i = 0; i < k_clients; ++i) {
        auto client = std::make_unique<testing::RawTcpClient>(server.port());
        ASSERT_TRUE(client->connected()) << "client " << i;
        std::string id = std::to_string(i);
        id.insert(id.begin(), 'w');
        ASSERT_TRUE(client->send("POST /api/v1/workers/" + id +
                                 "/claim?wait=60 HTTP/1.1\r\n"
                                 "Host: t\r\nAuthorization: Bearer worker-secret-" +
                                 id + "\r\nContent-Length: 0\r\n\r\n"));
        clients.push_back(std::move(client));
    }
    auto waiting = [&] { return server.on_io([&] { return waiters.size(); }); };
    ASSERT_TRUE(eventually([&] { return waiting() == k_clients; }, 30s)) << waiting();
    auto connect_took = std::chrono::steady_clock::now() - connect_started;
    EXPECT_EQ(thread_count(), threads_before) << "no thread per connection";
    EXPECT_EQ(server.server().metrics().waiting_responses.load(), k_clients);

    // While they all wait, the process uses next to no CPU.
    auto cpu_before = cpu_time();
    std::this_thread::sleep_for(1s);
    auto idle_cpu = cpu_time() - cpu_before;
    EXPECT_LT(idle_cpu, 50ms) << "CPU used in one idle second with " << k_clients << " waiters";
    const long rss_waiting = rss_kib();

    auto wake_started = std::chrono::steady_clock::now();
    std::size_t answered = server.on_io([&] {
        work = k_clients;
        return waiters.notify_all();
    });
    EXPECT_EQ(answered, static_cast<std::size_t>(k_clients));
    int ok = 0;
    for (auto& client : clients) ok += testing::status_of(client->read_response(10s)) == 200;
    auto wake_took = std::chrono::steady_clock::now() - wake_started;
    EXPECT_EQ(ok, k_clients);
    EXPECT_EQ(waiting(), 0u);

    clients.clear();
    EXPECT_TRUE(eventually([&] { return server.server().metrics().open_connections == 0; }, 10s));
    auto ms = [](auto d) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    };
    std::printf(
        "%d long-polls: connected and waiting in %lld ms; idle CPU %lld us in 1 s; "
        "RSS +%ld KiB (%.1f KiB each); all answered in %lld ms\n",
        k_clients, static_cast<long long>(ms(connect_took)),
        static_cast<long long>(idle_cpu.count()), rss_waiting - rss_before,
        static_cast<double>(rss_waiting - rss_before) / k_clients,
        static_cast<long long>(ms(wake_took)));
}

}  // namespace
}  // namespace spotfarm::manager::http

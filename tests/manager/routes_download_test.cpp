// GET /download/spotfarm shares one read-only copy of the program among its answers and limits
// how many are sent at once.
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "manager/routes_fixture.h"
#include "support/http_test_server.h"
#include "support/raw_tcp_client.h"

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

long rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    }
    return 0;
}

// The program served is 64 MiB: more than the kernel's socket buffers take, so a client that
// reads nothing keeps its download in progress.
class Downloads : public RoutesTest {
protected:
    static constexpr std::size_t k_program_bytes = 64 << 20;

    void SetUp() override {
        program = dir.path() / "spotfarm";
        std::ofstream(program, std::ios::binary) << std::string(k_program_bytes, 'x');
        max_downloads = 6;
        start();
    }

    std::unique_ptr<testing::RawTcpClient> stalled_download() {
        auto client = std::make_unique<testing::RawTcpClient>(manager->port());
        EXPECT_TRUE(
            client->send("GET /api/v1/download/spotfarm HTTP/1.1\r\nHost: t\r\n"
                         "Authorization: Bearer " +
                         join() + "\r\n\r\n"));
        return client;
    }
};

TEST_F(Downloads, SlowDownloadsShareOneCopyAndBeyondTheLimitComeBackLater) {
    const long program_kib = k_program_bytes / 1024;
    Answer first = call("GET", "/download/spotfarm", "", join());
    ASSERT_EQ(first.status, 200);
    ASSERT_EQ(first.text.size(), k_program_bytes);
    first = {};

    const long before = rss_kib();
    std::vector<std::unique_ptr<testing::RawTcpClient>> slow;
    for (int i = 0; i < 6; ++i) slow.push_back(stalled_download());
    std::this_thread::sleep_for(500ms);
    // Six answers in progress hold no copy of their own (before: six copies of the program).
    EXPECT_LT(rss_kib() - before, program_kib) << "kB grown with 6 downloads in progress";

    util::HttpRequest request;
    request.url = manager->url() + "/api/v1/download/spotfarm";
    request.headers.emplace_back("Authorization", "Bearer " + join());
    auto busy = http.send(request);
    ASSERT_TRUE(busy) << busy.error().message;
    EXPECT_EQ(busy->status, 503) << busy->body.substr(0, 200);
    EXPECT_TRUE(util::find_header(busy->headers, "Retry-After"));

    for (auto& client : slow) client->close(/*reset=*/true);
    EXPECT_TRUE(eventually([&] { return call("GET", "/health", "", "").status == 200; }));
    EXPECT_TRUE(eventually([&] {
        auto again = http.send(request);
        return again && again->status == 200;
    }));
}

}  // namespace
}  // namespace spotfarm::manager

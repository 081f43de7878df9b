// Deferred responses through a real server: long-polls woken by a Notifier, timing out, left by
// their client, and answered on shutdown.
#include <future>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "manager/http/notifier.h"
#include "manager/http/server.h"
#include "support/http_test_server.h"
#include "support/raw_tcp_client.h"

namespace spotfarm::manager::http {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::eventually;
using testing::HttpTestServer;

// A stand-in for the farm: a count of tasks and the workers waiting for one. io thread only.
struct FakeFarm {
    int work = 0;
    Notifier waiters;

    // Hands out a task if there is one.
    std::optional<Response> claim(std::string_view worker) {
        if (work == 0) return std::nullopt;
        --work;
        return Response::json({{"worker", worker}, {"task", work}});
    }
};

void add_claim_route(Router& router, FakeFarm& farm) {
    router.add("POST", "/api/v1/workers/{id}/claim", Access::own_worker(),
               [&farm](Request& request) -> Reply {
                   auto wait = long_poll_wait(request, 10s);
                   if (!wait) return error_response(400, "invalid_query", wait.error().message);
                   std::string worker(request.param("id"));
                   if (auto task = farm.claim(worker)) return std::move(*task);
                   if (wait->count() == 0) return Response::empty(204);
                   Responder later = request.defer(*wait, Response::empty(204));
                   farm.waiters.wait(later, [&farm, worker](Responder& responder) {
                       // Only take a task when the answer can still be delivered.
                       if (farm.work > 0) responder.complete(*farm.claim(worker));
                   });
                   return later;
               });
    router.add("POST", "/api/v1/instant", Access::people(), [](Request& request) -> Reply {
        Responder later = request.defer(10s, Response::empty(204));
        later.complete(Response::json({{"answered", "before returning"}}));
        return later;
    });
}

class LongPollTest : public ::testing::Test {
protected:
    LongPollTest()
        : m_server([this](Router& router, HttpServer&) { add_claim_route(router, m_farm); }) {}

    std::future<util::Result<util::HttpResponse>> claim(std::string worker, std::string query) {
        return std::async(std::launch::async, [this, worker, query] {
            return m_server.call("POST", "/api/v1/workers/" + worker + "/claim" + query, "",
                                 std::string(testing::k_worker_secret_prefix) + worker);
        });
    }
    std::size_t waiting() {
        return m_server.on_io([this] { return m_farm.waiters.size(); });
    }
    void add_work(int tasks, bool all = false) {
        m_server.on_io([&] {
            m_farm.work += tasks;
            return all ? m_farm.waiters.notify_all() : m_farm.waiters.notify(tasks);
        });
    }

    FakeFarm m_farm;  // outlives the server, which answers every waiter when it stops
    HttpTestServer m_server;
};

TEST_F(LongPollTest, AnsweredAtOnceWhenThereIsWork) {
    add_work(1);
    auto response = claim("w1", "?wait=5").get();
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(json::parse(response->body)["worker"], "w1");
}

TEST_F(LongPollTest, WokenByNotifyWhenWorkAppears) {
    auto pending = claim("w1", "?wait=10");
    ASSERT_TRUE(eventually([&] { return waiting() == 1; }));
    EXPECT_EQ(m_server.server().metrics().waiting_responses.load(), 1);
    auto woken_at = std::chrono::steady_clock::now();
    add_work(1);
    auto response = pending.get();
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(json::parse(response->body)["worker"], "w1");
    EXPECT_LT(std::chrono::steady_clock::now() - woken_at, 1s);
    EXPECT_EQ(waiting(), 0u);
    EXPECT_TRUE(eventually([&] { return m_server.server().metrics().waiting_responses == 0; }));
}

TEST_F(LongPollTest, OldestWaiterIsServedFirst) {
    std::vector<std::future<util::Result<util::HttpResponse>>> claims;
    for (int i = 1; i <= 3; ++i) {
        std::string worker = "w";
        worker += std::to_string(i);
        claims.push_back(claim(worker, "?wait=10"));
        ASSERT_TRUE(eventually([&] { return waiting() == static_cast<std::size_t>(i); }));
    }
    add_work(1);
    auto first = claims[0].get();
    ASSERT_TRUE(first);
    EXPECT_EQ(json::parse(first->body)["worker"], "w1");
    EXPECT_EQ(waiting(), 2u);
    add_work(2, /*all=*/true);
    for (int i = 1; i < 3; ++i) {
        auto response = claims[i].get();
        ASSERT_TRUE(response);
        EXPECT_EQ(response->status, 200);
    }
}

TEST_F(LongPollTest, TimesOutWithThePreparedAnswer) {
    auto started = std::chrono::steady_clock::now();
    auto response = claim("w1", "?wait=0.3").get();
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 204);
    EXPECT_GE(took, 300ms);
    EXPECT_LT(took, 3s);
    EXPECT_EQ(waiting(), 0u);
    // Work that arrives later is not lost to the departed waiter.
    add_work(1);
    EXPECT_EQ(m_server.on_io([&] { return m_farm.work; }), 1);
}

TEST_F(LongPollTest, BadWaitIs400) {
    auto response = claim("w1", "?wait=later").get();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 400);
    EXPECT_EQ(json::parse(response->body)["code"], "invalid_query");
}

TEST_F(LongPollTest, ClientThatLeavesIsDroppedFromTheLine) {
    testing::RawTcpClient client(m_server.port());
    ASSERT_TRUE(
        client.send("POST /api/v1/workers/w9/claim?wait=10 HTTP/1.1\r\nHost: t\r\n"
                    "Authorization: Bearer worker-secret-w9\r\nContent-Length: 0\r\n\r\n"));
    ASSERT_TRUE(eventually([&] { return waiting() == 1; }));
    client.close();
    ASSERT_TRUE(eventually([&] { return waiting() == 0; }));
    EXPECT_TRUE(eventually([&] { return m_server.server().metrics().open_connections == 0; }));
    EXPECT_EQ(m_server.server().metrics().waiting_responses.load(), 0);
    add_work(1);
    EXPECT_EQ(m_server.on_io([&] { return m_farm.work; }), 1) << "no task went to a closed socket";
}

TEST_F(LongPollTest, AnswerGivenInsideTheHandlerIsSent) {
    auto response = m_server.call("POST", "/api/v1/instant");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(json::parse(response->body)["answered"], "before returning");
}

TEST_F(LongPollTest, StoppingAnswersWaitersWith503) {
    auto pending = claim("w1", "?wait=10");
    ASSERT_TRUE(eventually([&] { return waiting() == 1; }));
    auto started = std::chrono::steady_clock::now();
    m_server.server().stop();
    auto response = pending.get();
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 503);
    EXPECT_EQ(json::parse(response->body)["code"], "shutting_down");
    m_server.server().join();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_EQ(m_farm.waiters.size(), 0u);
    auto refused = m_server.call("GET", "/api/v1/health");
    EXPECT_FALSE(refused) << "a stopped server accepts nothing";
}

}  // namespace
}  // namespace spotfarm::manager::http

// Reports name an attempt: one from before the worker claimed the task again is refused (409)
// and changes nothing, and a task's live log lives as long as the attempt that writes it.
#include <string>

#include "manager/routes_fixture.h"
#include "support/http_test_server.h"

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::eventually;

// Leases run on a fake clock that the tests move; the reaper looks every 10 ms.
class Leases : public RoutesTest {
protected:
    void SetUp() override {
        clock = &fake_clock;
        reap_interval = 10ms;
        start();
    }

    // The held task's lease runs out; the task is queued again.
    void expire(const Answer& held) {
        std::string path = "/tasks/" + std::to_string(held.body["task_id"].get<std::int64_t>());
        fake_clock.advance(lease_timeout + 1s);
        EXPECT_TRUE(eventually([&] { return get(path, people()).body["status"] == "queued"; }));
    }

    nlohmann::json log_tail(const Answer& held) {
        std::int64_t task = held.body["task_id"];
        return get("/tasks/" + std::to_string(task), people()).body["log_tail"];
    }

    // The spotfarm_live_logs gauge of /metrics.
    int live_logs() {
        util::HttpRequest request;
        request.url = manager->url() + "/metrics";
        request.headers.emplace_back("Authorization", "Bearer " + people());
        auto response = http.send(request);
        if (!response) return -1;
        std::string_view text = response->body;
        auto at = text.find("\nspotfarm_live_logs ");
        if (at == std::string_view::npos) return -1;
        return std::stoi(std::string(text.substr(at + 20)));
    }
};

TEST_F(Leases, ReportsOfAnOlderAttemptAreRefusedAndChangeNothing) {
    TestWorker w = register_worker("w");
    submit("1");
    Answer old = claim(w);
    ASSERT_EQ(old.status, 200) << old.text;
    expire(old);
    Answer now = claim(w);
    ASSERT_EQ(now.status, 200) << now.text;
    ASSERT_NE(now.body["attempt_id"], old.body["attempt_id"]);
    ASSERT_EQ(progress(w, now.body).status, 200);

    EXPECT_EQ(fail(w, old.body, "stale").status, 409);
    EXPECT_EQ(complete(w, old.body).status, 409);
    EXPECT_EQ(progress(w, old.body).status, 409);
    nlohmann::json forged = now.body;
    forged["attempt_id"] = 999'999;
    EXPECT_EQ(complete(w, forged).status, 409);

    std::int64_t task = now.body["task_id"];
    Answer shown = get("/tasks/" + std::to_string(task), people());
    EXPECT_EQ(shown.body["status"], "active") << shown.text;
    EXPECT_EQ(shown.body["log_tail"], "Fra:1 Sample 2/4\n") << shown.text;
    Answer done = complete(w, now.body);
    ASSERT_EQ(done.status, 200) << done.text;
    EXPECT_EQ(done.body["outcome"], "accepted");
}

TEST_F(Leases, AStaleFailKeepsTheNewHoldersLiveLog) {
    TestWorker slow = register_worker("slow");
    TestWorker fast = register_worker("fast");
    submit("1");
    Answer first = claim(slow);
    ASSERT_EQ(progress(slow, first.body).status, 200);
    EXPECT_EQ(log_tail(first), "Fra:1 Sample 2/4\n");
    expire(first);
    // The log of the attempt whose lease ran out went with it.
    EXPECT_TRUE(log_tail(first).is_null());
    EXPECT_EQ(live_logs(), 0);

    Answer second = claim(fast);
    ASSERT_EQ(second.status, 200) << second.text;
    ASSERT_EQ(progress(fast, second.body).status, 200);
    Answer late = fail(slow, first.body, "too late");
    ASSERT_EQ(late.status, 200) << late.text;
    EXPECT_EQ(late.body["outcome"], "stale");
    EXPECT_EQ(log_tail(second), "Fra:1 Sample 2/4\n");
    EXPECT_EQ(live_logs(), 1);
}

TEST_F(Leases, LiveLogsGoWhenTheirJobIsCanceledPausedOrDeleted) {
    TestWorker w = register_worker("w");
    for (const std::string action : {"cancel", "pause", "delete"}) {
        std::int64_t job = submit("1");
        Answer held = claim(w);
        ASSERT_EQ(held.status, 200) << held.text;
        ASSERT_EQ(progress(w, held.body).status, 200);
        const std::string path = "/jobs/" + std::to_string(job);
        Answer done = action == "delete" ? call("DELETE", path, "", people())
                                         : post(path + "/" + action, json::object(), people());
        ASSERT_EQ(done.status, 200) << action << ": " << done.text;
        EXPECT_EQ(live_logs(), 0) << action;
        if (action == "pause") post(path + "/cancel", json::object(), people());
    }
}

}  // namespace
}  // namespace spotfarm::manager

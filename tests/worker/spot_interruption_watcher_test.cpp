#include "worker/spot_interruption_watcher.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/fake_http_client.h"
#include "util/utc_time.h"

namespace spotfarm::worker {
namespace {

using spotfarm::testing::fails_mentioning;
using spotfarm::testing::FakeHttpClient;
using spotfarm::testing::header_value;
using spotfarm::testing::http_response;

// An IMDS whose Spot documents the test sets; tokens are numbered and one can be revoked.
struct FakeImds {
    std::string instance_action;  // empty: 404
    std::string rebalance;        // empty: 404
    int tokens_issued = 0;
    bool reachable = true;

    util::Result<util::HttpResponse> answer(const util::HttpRequest& request) {
        if (!reachable) return util::make_error("Connection timed out");
        if (request.method == "PUT") {
            if (header_value(request, "X-aws-ec2-metadata-token-ttl-seconds") != "21600")
                return http_response(400);
            return http_response(200, "token-" + std::to_string(++tokens_issued));
        }
        if (header_value(request, "X-aws-ec2-metadata-token") !=
            "token-" + std::to_string(tokens_issued))
            return http_response(401);
        const auto& body = request.url.ends_with("/latest/meta-data/spot/instance-action")
                               ? instance_action
                           : request.url.ends_with(
                                 "/latest/meta-data/events/recommendations/"
                                 "rebalance")
                               ? rebalance
                               : std::string();
        return body.empty() ? http_response(404) : http_response(200, body);
    }
};

struct Harness {
    FakeImds imds;
    FakeHttpClient http{[this](const util::HttpRequest& r) { return imds.answer(r); }};
    SpotInterruptionWatcher watcher{http, {.base_url = "http://127.0.0.1:1338"}};
};

TEST(SpotInterruptionWatcher, NothingWhileBothDocumentsAre404) {
    Harness h;
    auto notice = h.watcher.poll();
    ASSERT_TRUE(notice.ok()) << notice.error().message;
    EXPECT_EQ(notice->kind, SpotNotice::Kind::none);
    const auto requests = h.http.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].url, "http://127.0.0.1:1338/latest/api/token");
    EXPECT_EQ(requests[1].url, "http://127.0.0.1:1338/latest/meta-data/spot/instance-action");
    EXPECT_EQ(requests[2].url,
              "http://127.0.0.1:1338/latest/meta-data/events/recommendations/rebalance");
}

TEST(SpotInterruptionWatcher, RebalanceThenInterruptionWithDeadline) {
    Harness h;
    h.imds.rebalance = R"({"noticeTime": "2026-03-02T10:20:00Z"})";
    auto rebalance = h.watcher.poll();
    ASSERT_TRUE(rebalance.ok()) << rebalance.error().message;
    EXPECT_EQ(rebalance->kind, SpotNotice::Kind::rebalance);
    EXPECT_EQ(rebalance->time, util::parse_iso8601_utc("2026-03-02T10:20:00Z").value());

    h.imds.instance_action = R"({"action": "terminate", "time": "2026-03-02T10:24:00Z"})";
    auto interruption = h.watcher.poll();
    ASSERT_TRUE(interruption.ok()) << interruption.error().message;
    EXPECT_EQ(interruption->kind, SpotNotice::Kind::interruption);
    EXPECT_EQ(interruption->action, "terminate");
    EXPECT_EQ(interruption->time, util::parse_iso8601_utc("2026-03-02T10:24:00Z").value());
    EXPECT_EQ(h.imds.tokens_issued, 1);  // one session for every poll
}

TEST(SpotInterruptionWatcher, TakesANewTokenWhenTheOldOneExpires) {
    Harness h;
    ASSERT_TRUE(h.watcher.poll().ok());
    ++h.imds.tokens_issued;  // the watcher's token is now stale: IMDS answers 401
    h.imds.instance_action = R"({"action": "stop", "time": "2026-03-02T10:24:00Z"})";
    auto notice = h.watcher.poll();
    ASSERT_TRUE(notice.ok()) << notice.error().message;
    EXPECT_EQ(notice->kind, SpotNotice::Kind::interruption);
    EXPECT_EQ(notice->action, "stop");
    EXPECT_EQ(h.imds.tokens_issued, 3);
}

TEST(SpotInterruptionWatcher, ErrorsForUnreadableNoticesAndNoImds) {
    Harness h;
    h.imds.instance_action = "<html>oops</html>";
    EXPECT_TRUE(fails_mentioning(h.watcher.poll(), "not the JSON notice"));
    h.imds.instance_action = R"({"action": "terminate", "time": "soon"})";
    EXPECT_TRUE(fails_mentioning(h.watcher.poll(), "ISO 8601"));
    h.imds.instance_action.clear();
    h.imds.rebalance = R"({"when": "2026-03-02T10:20:00Z"})";
    EXPECT_TRUE(fails_mentioning(h.watcher.poll(), "rebalance"));

    Harness off_ec2;
    off_ec2.imds.reachable = false;
    EXPECT_TRUE(fails_mentioning(off_ec2.watcher.poll(), "Connection timed out"));
}

}  // namespace
}  // namespace spotfarm::worker

#include "worker/manager_client.h"

#include <atomic>
#include <deque>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"

namespace spotfarm::worker {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Answers from a script and keeps every request.
class ScriptedHttp final : public util::HttpClient {
public:
    std::deque<util::Result<util::HttpResponse>> answers;
    std::vector<util::HttpRequest> requests;

    void answer(int status, std::string body = "{}") {
        answers.push_back(util::HttpResponse{status, {}, std::move(body)});
    }
    void fail(std::string why) { answers.push_back(util::make_error(std::move(why))); }

    util::Result<util::HttpResponse> send(const util::HttpRequest& request) override {
        requests.push_back(request);
        if (answers.empty()) return util::make_error("no answer scripted");
        auto next = std::move(answers.front());
        answers.pop_front();
        return next;
    }
};

std::string header(const util::HttpRequest& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) return v;
    }
    return {};
}

const char* k_registration =
    R"({"id":12,"secret":"s3cret","lease_seconds":30,"heartbeat_seconds":10})";
const char* k_assignment = R"({"task_id":5,"attempt_id":9,"job_id":2,"frames":"1-3,7",
    "lease_seconds":30,"job":{"scene":"/s.blend","samples":16}})";

class ManagerClientTest : public ::testing::Test {
protected:
    ScriptedHttp http;
    ManagerClient client{http, ManagerClientOptions{"http://mgr:8080/", "join-tok", 15s, 10s}};
};

TEST_F(ManagerClientTest, RegistersWithTheJoinTokenThenUsesTheWorkerSecret) {
    http.answer(201, k_registration);
    http.answer(204, "");

    auto registration =
        client.register_worker(protocol::RegisterRequest{"w", "h", 2, 100, {}, "4.2", {}});
    ASSERT_TRUE(registration) << registration.error().message;
    EXPECT_EQ(registration->id, 12);
    client.use_worker_secret(registration->secret);
    auto claimed = client.claim(12, protocol::ClaimRequest{}, 20s);

    ASSERT_EQ(http.requests.size(), 2u);
    const auto& reg = http.requests[0];
    EXPECT_EQ(reg.method, "POST");
    EXPECT_EQ(reg.url, "http://mgr:8080/api/v1/workers");
    EXPECT_EQ(header(reg, "Authorization"), "Bearer join-tok");
    EXPECT_EQ(header(reg, "Content-Type"), "application/json");
    EXPECT_EQ(json::parse(reg.body)["name"], "w");
    EXPECT_EQ(header(http.requests[1], "Authorization"), "Bearer s3cret");
    ASSERT_TRUE(claimed);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(*claimed));  // 204: no work in the wait
}

TEST_F(ManagerClientTest, ClaimLongPollsWithATimeoutAboveTheWait) {
    http.answer(200, k_assignment);

    auto claimed = client.claim(12, protocol::ClaimRequest{std::int64_t(2)}, 25s);

    ASSERT_TRUE(claimed) << claimed.error().message;
    const auto* task = std::get_if<protocol::Assignment>(&*claimed);
    ASSERT_NE(task, nullptr);
    EXPECT_EQ(task->frames.frames(), (std::vector<int>{1, 2, 3, 7}));
    EXPECT_EQ(task->job.samples, std::optional<int>(16));
    const auto& r = http.requests.at(0);
    EXPECT_EQ(r.url, "http://mgr:8080/api/v1/workers/12/claim?wait=25");
    EXPECT_EQ(r.timeout, 35s);
    EXPECT_EQ(json::parse(r.body)["warm_job_id"], 2);
}

TEST_F(ManagerClientTest, AnAssignmentTooBigToTakeIsAnUnreadableTaskNotAnError) {
    // More frames than a worker takes: the task is this worker's now, so it must say so.
    http.answer(200, R"({"task_id":5,"attempt_id":9,"job_id":2,"frames":"1-200000",
        "lease_seconds":30,"job":{"scene":"/s.blend"}})");

    auto claimed = client.claim(12, protocol::ClaimRequest{}, 20s);

    ASSERT_TRUE(claimed) << claimed.error().message;
    const auto* unreadable = std::get_if<UnreadableTask>(&*claimed);
    ASSERT_NE(unreadable, nullptr);
    EXPECT_EQ(unreadable->attempt.task_id, 5);
    EXPECT_EQ(unreadable->attempt.attempt_id, 9);
    EXPECT_NE(unreadable->reason.find("frames"), std::string::npos) << unreadable->reason;
    EXPECT_NE(unreadable->reason.find("100000"), std::string::npos) << unreadable->reason;
}

TEST_F(ManagerClientTest, AnAnswerWithoutTaskIdsIsAnError) {
    http.answer(200, R"({"frames":"1-3"})");
    auto claimed = client.claim(12, protocol::ClaimRequest{}, 20s);
    ASSERT_FALSE(claimed);
    EXPECT_EQ(claimed.error().kind, util::ErrorKind::invalid);
}

TEST_F(ManagerClientTest, BaseUrlMayAlreadyNameTheApi) {
    ManagerClient other{http, ManagerClientOptions{"https://farm.example/api/v1", "t"}};
    EXPECT_EQ(other.api_root(), "https://farm.example/api/v1");
    EXPECT_EQ(client.api_root(), "http://mgr:8080/api/v1");
}

TEST_F(ManagerClientTest, NoAnswerAndServerErrorsAreRetryable) {
    http.fail("Connection refused");
    http.answer(503, R"({"error":"shutting down","code":"unavailable"})");

    auto refused = client.complete(5, protocol::CompleteReport{12, 9, {{1, "/o/1.png", 1, 1, {}}}});
    auto failing = client.complete(5, protocol::CompleteReport{12, 9, {{1, "/o/1.png", 1, 1, {}}}});

    ASSERT_FALSE(refused);
    EXPECT_TRUE(is_retryable(refused.error()));
    EXPECT_NE(refused.error().message.find("Connection refused"), std::string::npos);
    EXPECT_NE(refused.error().message.find("http://mgr:8080/api/v1"), std::string::npos);
    ASSERT_FALSE(failing);
    EXPECT_TRUE(is_retryable(failing.error()));
    EXPECT_NE(failing.error().message.find("shutting down"), std::string::npos);
    EXPECT_EQ(http.requests[0].url, "http://mgr:8080/api/v1/tasks/5/complete");
    EXPECT_EQ(http.requests[0].timeout, 15s);
}

TEST_F(ManagerClientTest, ClientErrorsAreNotRetryableAndQuoteTheManager) {
    http.answer(409,
                R"({"error":"attempt 9 is not the task's current attempt","code":"conflict"})");
    http.answer(404, R"({"error":"no task 5","code":"not_found"})");
    http.answer(400, "not json at all");

    auto conflict = client.fail(5, protocol::FailReport{12, 9, "boom", "", {}});
    auto unknown =
        client.release(5, protocol::ReleaseReport{12, 9, protocol::LeaveReason::shutdown, {}});
    auto bad = client.sign_off(12, protocol::SignOffRequest{});

    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(conflict.error().message.find("HTTP 409"), std::string::npos);
    EXPECT_NE(conflict.error().message.find("not the task's current attempt"), std::string::npos);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, util::ErrorKind::not_found);
    EXPECT_EQ(http.requests[1].url, "http://mgr:8080/api/v1/tasks/5/release");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(bad.error().message.find("not json at all"), std::string::npos);
    EXPECT_EQ(http.requests[2].url, "http://mgr:8080/api/v1/workers/12/sign-off");
}

TEST_F(ManagerClientTest, RefusedJoinTokenSaysWhereToFindTheRightOne) {
    http.answer(401, R"({"error":"bad token","code":"unauthorized"})");

    auto registration =
        client.register_worker(protocol::RegisterRequest{"w", "h", 2, 100, {}, "4.2", {}});

    ASSERT_FALSE(registration);
    EXPECT_EQ(registration.error().kind, util::ErrorKind::unauthorized);
    EXPECT_NE(registration.error().message.find("--token"), std::string::npos);
    EXPECT_NE(registration.error().message.find("SPOTFARM_JOIN_TOKEN"), std::string::npos);
}

TEST_F(ManagerClientTest, AnswerThatIsNotUnderstoodIsRefusedNotRetried) {
    http.answer(200, R"({"action":"dance","lease_seconds":30})");
    http.answer(200, R"({"returned_tasks":[1,"two"]})");

    auto progress = client.progress(5, protocol::ProgressReport{12, 9, 1, 2, 16, "log"});
    auto drained = client.drain(12, protocol::DrainRequest{protocol::LeaveReason::rebalance, true});

    ASSERT_FALSE(progress);
    EXPECT_EQ(progress.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(progress.error().message.find("action"), std::string::npos);
    ASSERT_FALSE(drained);
    EXPECT_EQ(drained.error().kind, util::ErrorKind::invalid);
    EXPECT_EQ(json::parse(http.requests[1].body)["reason"], "rebalance");
}

TEST_F(ManagerClientTest, ProgressAnswerCanSayStop) {
    http.answer(200, R"({"action":"stop","lease_seconds":0})");

    auto answer = client.progress(5, protocol::ProgressReport{12, 9, 3, 8, 16, "Fra:3"});

    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->action, protocol::ProgressAction::stop);
    auto body = json::parse(http.requests.at(0).body);
    EXPECT_EQ(body["frame"], 3);
    EXPECT_EQ(body["attempt_id"], 9);
    EXPECT_EQ(http.requests[0].url, "http://mgr:8080/api/v1/tasks/5/progress");
}

TEST_F(ManagerClientTest, AStopSignalEndsAClaimThatWaitsForWork) {
    std::atomic<int> signals{0};
    ManagerClientOptions options{"http://mgr:8080", "join-tok"};
    options.stop_signals = &signals;
    ManagerClient stoppable{http, options};
    http.answers.push_back(util::make_error("given up", util::ErrorKind::interrupted));

    auto claimed = stoppable.claim(12, protocol::ClaimRequest{}, 20s);

    ASSERT_TRUE(claimed) << claimed.error().message;
    EXPECT_TRUE(std::holds_alternative<std::monostate>(*claimed));
    const auto& abandon = http.requests.at(0).abandon;
    ASSERT_TRUE(abandon);
    EXPECT_FALSE(abandon());
    ++signals;
    EXPECT_TRUE(abandon());
}

TEST_F(ManagerClientTest, CallTimesAreCappedOnceLimited) {
    http.answer(200, "{}");
    http.answer(200, "{}");
    ASSERT_TRUE(client.sign_off(12, protocol::SignOffRequest{}));
    client.limit_call_time(2s);
    ASSERT_TRUE(client.sign_off(12, protocol::SignOffRequest{}));
    EXPECT_EQ(http.requests.at(0).timeout, 15s);
    EXPECT_EQ(http.requests.at(1).timeout, 2s);
}

TEST_F(ManagerClientTest, UploadsAFrameWithItsHashAndSortsTheAnswers) {
    test::ScratchDir dir;
    const auto file = dir.write("out/shot 1/frame_0003.png", "PNG bytes");
    client.use_worker_secret("s3cret");
    const FrameUpload upload{9, 3, "shot 1/frame_0003.png", "ab12", file};
    http.answer(200, R"({"frame":3,"name":"shot 1/frame_0003.png","size":9,"sha256":"ab12"})");
    http.answer(409,
                R"({"error":"attempt 9 is not the task's current attempt","code":"conflict"})");
    http.answer(507, R"({"error":"no space left in /srv/outputs","code":"disk_full"})");
    http.answer(422, R"({"error":"hash mismatch","code":"hash_mismatch"})");
    http.fail("connection reset");

    ASSERT_TRUE(client.upload_frame(5, upload));
    const auto& put = http.requests.at(0);
    EXPECT_EQ(put.method, "PUT");
    EXPECT_EQ(put.url,
              "http://mgr:8080/api/v1/tasks/5/frames/3?attempt=9&name=shot%201%2Fframe_0003.png");
    EXPECT_EQ(header(put, "X-Spotfarm-Sha256"), "ab12");
    EXPECT_EQ(header(put, "Authorization"), "Bearer s3cret");
    EXPECT_EQ(put.body, "PNG bytes");

    auto conflict = client.upload_frame(5, upload);
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error().kind, util::ErrorKind::conflict);
    auto full = client.upload_frame(5, upload);
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(full.error().message.find("no space left in /srv/outputs"), std::string::npos);
    auto mismatch = client.upload_frame(5, upload);
    ASSERT_FALSE(mismatch);
    EXPECT_EQ(mismatch.error().kind, util::ErrorKind::failed);
    auto cut = client.upload_frame(5, upload);
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().kind, util::ErrorKind::unavailable);
}

TEST_F(ManagerClientTest, ABlobThatIsNotThereIsNotFound) {
    test::ScratchDir dir;
    client.use_worker_secret("s3cret");
    http.answer(404, R"({"error":"no blob","code":"not_found"})");
    const std::string hash(64, 'a');
    auto got = client.fetch_blob(hash, 10, dir.path() / hash);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().kind, util::ErrorKind::not_found);
    EXPECT_EQ(http.requests.at(0).url, "http://mgr:8080/api/v1/blobs/" + hash);
    EXPECT_EQ(header(http.requests.at(0), "Authorization"), "Bearer s3cret");
}

}  // namespace
}  // namespace spotfarm::worker

// Auth and misuse of the API against a real manager: every bad request is a 4xx with a JSON
// error, and the manager still runs a normal job to the end afterwards.
#include <string>

#include "manager/routes_fixture.h"

namespace spotfarm::manager {
namespace {

using nlohmann::json;

void expect_error(const Answer& a, int status, const std::string& what) {
    EXPECT_EQ(a.status, status) << what << ": " << a.text;
    ASSERT_TRUE(a.body.is_object()) << what << ": " << a.text;
    EXPECT_FALSE(a.body.value("error", "").empty()) << what << ": " << a.text;
    EXPECT_FALSE(a.body.value("code", "").empty()) << what << ": " << a.text;
}

TEST_F(RoutesTest, CallsWithoutTheRightTokenAreRefused) {
    TestWorker a = register_worker("a");
    TestWorker b = register_worker("b");
    expect_error(get("/jobs", ""), 401, "no token");
    expect_error(get("/jobs", "not-a-token-of-this-manager"), 401, "wrong token");
    expect_error(get("/jobs", join()), 403, "join token for people's call");
    expect_error(get("/jobs", a.secret), 403, "worker secret for people's call");
    expect_error(post("/jobs/1/cancel", json::object(), "wrong"), 401, "wrong token on cancel");
    expect_error(post("/workers", {{"name", "x"}}, ""), 401, "registration without token");
    expect_error(post("/workers", {{"name", "x"}}, "bogus-token-1234567"), 401, "bad join token");
    // A worker acts only as itself.
    expect_error(claim(TestWorker{b.id, a.secret}), 403, "a's secret claiming as b");
    expect_error(
        post("/workers/" + std::to_string(b.id) + "/drain", {{"reason", "shutdown"}}, a.secret),
        403, "a's secret draining b");
    expect_error(claim(TestWorker{a.id, people()}), 403, "people token claiming");
    submit("1");
    Answer held = claim(a);
    ASSERT_EQ(held.status, 200) << held.text;
    std::int64_t task = held.body["task_id"];
    expect_error(post("/tasks/" + std::to_string(task) + "/complete",
                      {{"worker_id", a.id},
                       {"attempt_id", held.body["attempt_id"]},
                       {"frames", frames_done(held.body)}},
                      b.secret),
                 403, "b completing a's task with a's id");
    Answer stolen = post("/tasks/" + std::to_string(task) + "/complete",
                         {{"worker_id", b.id},
                          {"attempt_id", held.body["attempt_id"]},
                          {"frames", frames_done(held.body)}},
                         b.secret);
    expect_error(stolen, 409, "b completing a task it never held");
    // The download of the program takes the join token, not a worker's secret.
    expect_error(get("/download/spotfarm", a.secret), 403, "download with a worker secret");
    Answer download = call("GET", "/download/spotfarm", "", join());
    EXPECT_EQ(download.status, 200);
    EXPECT_EQ(download.text.substr(0, 4), std::string("\x7f"
                                                      "ELF"));
    // And the frame-check module that lies beside the program, which workers load.
    expect_error(get("/download/spotfarm_frame_check.so", a.secret), 403,
                 "module download with a worker secret");
    Answer module = call("GET", "/download/spotfarm_frame_check.so", "", join());
    EXPECT_EQ(module.status, 200) << module.text.substr(0, 200);
    EXPECT_EQ(module.text.substr(0, 4), std::string("\x7f"
                                                    "ELF"));
}

TEST_F(RoutesTest, MalformedRequestsGetA4xxAndTheManagerStillRunsAJob) {
    TestWorker w = register_worker("w");
    const json good = {{"scene", "/s.blend"}, {"output", "/out/f_####"}, {"frames", "1-3"}};
    auto with = [&](const std::string& key, const json& value) {
        json body = good;
        body[key] = value;
        return body;
    };
    expect_error(call("POST", "/jobs", "{\"scene\": ", people()), 400, "malformed JSON");
    expect_error(call("POST", "/jobs", "[1,2,3]", people()), 400, "not an object");
    expect_error(post("/jobs", with("frames", json::array({1, 2})), people()), 400,
                 "frames of the wrong type");
    expect_error(post("/jobs", with("chunk", "four"), people()), 400, "chunk of the wrong type");
    // More frames per task than a worker takes: refused now, not by every worker later.
    Answer big_chunk = post("/jobs", with("chunk", 200'000), people());
    expect_error(big_chunk, 400, "chunk above what a worker takes");
    EXPECT_NE(big_chunk.body.value("error", "").find("no worker takes a task of more frames"),
              std::string::npos)
        << big_chunk.text;
    expect_error(post("/jobs", with("samples", "many"), people()), 400, "samples not a number");
    expect_error(post("/jobs", with("priority", 1e30), people()), 400, "priority out of range");
    expect_error(post("/jobs", with("output", "/out/../../etc/f_####"), people()), 400,
                 "'..' in the output path");
    expect_error(post("/jobs", with("frames", "1-1000000000"), people()), 400, "10^9 frames");
    expect_error(post("/jobs", with("frames", "banana"), people()), 400, "not a frame spec");
    json missing = good;
    missing.erase("scene");
    expect_error(post("/jobs", missing, people()), 400, "no scene");
    expect_error(call("POST", "/jobs", std::string(200 * 1024, 'x'), people()), 413, "huge body");

    expect_error(get("/jobs/999", people()), 404, "unknown job");
    expect_error(get("/jobs/abc", people()), 404, "job id not a number");
    expect_error(post("/jobs/999/cancel", json::object(), people()), 404, "cancel unknown job");
    expect_error(get("/tasks/12345", people()), 404, "unknown task");
    expect_error(get("/workers/77", people()), 404, "unknown worker");
    expect_error(get("/nothing/here", people()), 404, "unknown path");
    expect_error(get("/events?after=x", people()), 400, "after not a number");
    expect_error(get("/jobs/1/tasks?status=sleeping", people()), 400, "unknown status");

    const std::string claim_path = "/workers/" + std::to_string(w.id) + "/claim";
    expect_error(call("POST", claim_path + "?wait=soon", "{}", w.secret), 400, "wait not a number");
    expect_error(call("POST", claim_path, "{\"warm_job_id\": \"x\"}", w.secret), 400,
                 "warm job of the wrong type");
    expect_error(post("/workers", {{"name", 5}}, join()), 400, "worker name of the wrong type");
    expect_error(post("/workers",
                      {{"name", std::string(300, 'n')},
                       {"host", "h"},
                       {"cores", 1},
                       {"memory_mb", 1},
                       {"blender_version", "4"}},
                      join()),
                 400, "worker name too long");
    expect_error(post("/tasks/999/progress",
                      {{"worker_id", w.id},
                       {"attempt_id", 1},
                       {"frame", 1},
                       {"sample", 0},
                       {"samples_total", 0}},
                      w.secret),
                 404, "progress on an unknown task");
    expect_error(post("/tasks/999/complete", {{"worker_id", w.id}, {"attempt_id", 1}}, w.secret),
                 400, "complete without frames");
    expect_error(call("POST", "/tasks/1/fail", "not json", w.secret), 400, "fail not JSON");

    // After all that, a normal job runs to the end.
    std::int64_t job = submit("1-5");
    EXPECT_EQ(finish_all(w), 5);
    EXPECT_EQ(job_status(job), "completed");
}

TEST_F(RoutesTest, RefusalsForWantOfATokenDoNotTellWhereTheStateFolderIs) {
    const std::string state = manager->state_dir().string();
    for (const std::string token : {"", "not-a-token-of-this-manager"}) {
        Answer refused = get("/jobs", token);
        EXPECT_EQ(refused.status, 401) << refused.text;
        EXPECT_EQ(refused.text.find(state), std::string::npos) << refused.text;
        EXPECT_NE(refused.text.find("people.token"), std::string::npos) << refused.text;
    }
}

}  // namespace
}  // namespace spotfarm::manager

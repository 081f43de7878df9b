// Request bodies nested deeply enough to overflow the stack of code that recurses over them are
// refused before they are parsed, and a job keeps only the settings its workers know.
#include <string>

#include "manager/routes_fixture.h"

namespace spotfarm::manager {
namespace {

using nlohmann::json;

std::string nested(std::size_t levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}

// Bodies as large as the issue's reproduction (120 KB) reach the parser.
class LargeBodies : public RoutesTest {
protected:
    void SetUp() override {
        max_body_bytes = 1 << 20;
        start();
    }
};

TEST_F(LargeBodies, DeeplyNestedJobIsRefusedAndTheManagerStillAnswers) {
    const std::string body =
        R"({"scene":"/s.blend","output":"/o/f_####","frames":"1","x":)" + nested(60'000) + "}";
    Answer a = call("POST", "/jobs", body, people());
    EXPECT_EQ(a.status, 400) << a.text;
    EXPECT_NE(a.text.find("nested too deeply"), std::string::npos) << a.text;
    EXPECT_EQ(get("/jobs", people()).status, 200);
    Answer health = call("GET", "/health", "", "");
    EXPECT_EQ(health.status, 200) << health.text;
}

TEST_F(LargeBodies, DeeplyNestedWorkerReportIsRefused) {
    TestWorker w = register_worker("w");
    submit("1");
    Answer held = claim(w);
    ASSERT_EQ(held.status, 200) << held.text;
    std::int64_t task = held.body["task_id"];
    std::string body = R"({"worker_id":)" + std::to_string(w.id) + R"(,"attempt_id":1,"frames":)" +
                       nested(60'000) + "}";
    Answer a = call("POST", "/tasks/" + std::to_string(task) + "/complete", body, w.secret);
    EXPECT_EQ(a.status, 400) << a.text;
    EXPECT_EQ(complete(w, held.body).status, 200);
}

TEST_F(RoutesTest, AJobKeepsOnlyTheSettingsWorkersKnow) {
    Answer a = post("/jobs",
                    {{"scene", "/scenes/shot.blend"},
                     {"output", "/out/f_####"},
                     {"frames", "1-2"},
                     {"samples", 4},
                     {"junk", {{"a", json::array({1, 2})}}}},
                    people());
    ASSERT_EQ(a.status, 201) << a.text;
    Answer job = get("/jobs/" + std::to_string(a.body["id"].get<std::int64_t>()), people());
    ASSERT_EQ(job.status, 200) << job.text;
    EXPECT_EQ(job.body["settings"]["samples"], 4) << job.text;
    EXPECT_FALSE(job.body["settings"].contains("junk")) << job.text;
}

}  // namespace
}  // namespace spotfarm::manager

#include "manager/farm_json.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace spotfarm::manager {
namespace {

using nlohmann::json;

template <class T>
std::string error_of(const util::Result<T>& r) {
    EXPECT_FALSE(r);
    if (r) return "";
    EXPECT_EQ(r.error().kind, util::ErrorKind::invalid);
    return r.error().message;
}

}  // namespace

TEST(FarmJson, AJobKeepsOnlyItsKnownRenderSettings) {
    json body = {{"scene", "/s.blend"}, {"output", "/o/f_####"},
                 {"frames", "1-250"},   {"chunk", 5},
                 {"priority", 70},      {"engine", "CYCLES"},
                 {"samples", 64},       {"extra", {{"deep", json::array({1, 2, 3})}}}};
    auto spec = job_spec_from_json(body);
    ASSERT_TRUE(spec) << spec.error().message;
    EXPECT_EQ(spec->scene, "/s.blend");
    EXPECT_EQ(spec->frames, "1-250");
    EXPECT_EQ(spec->chunk, 5);
    EXPECT_EQ(spec->priority, 70);
    json expected = {
        {"scene", "/s.blend"}, {"output", "/o/f_####"}, {"engine", "CYCLES"}, {"samples", 64}};
    EXPECT_EQ(json::parse(spec->settings), expected);
}

TEST(FarmJson, AJobOfOneFrameMayGiveItAsANumber) {
    auto spec = job_spec_from_json({{"scene", "/s.blend"}, {"output", "/o/f"}, {"frames", 12}});
    ASSERT_TRUE(spec);
    EXPECT_EQ(spec->frames, "12");
    EXPECT_EQ(spec->chunk, 1);
    EXPECT_EQ(spec->priority, core::k_default_priority);
}

TEST(FarmJson, BadJobBodiesNameTheField) {
    json good = {{"scene", "/s.blend"}, {"output", "/o/f"}, {"frames", "1-3"}};
    EXPECT_NE(error_of(job_spec_from_json(json::array())).find("JSON object"), std::string::npos);
    json b = good;
    b.erase("scene");
    EXPECT_NE(error_of(job_spec_from_json(b)).find("'scene' is missing"), std::string::npos);
    b = good;
    b["chunk"] = "5";
    EXPECT_NE(error_of(job_spec_from_json(b)).find("'chunk' must be an integer"),
              std::string::npos);
    b = good;
    b["chunk"] = 2.5;
    EXPECT_NE(error_of(job_spec_from_json(b)).find("'chunk'"), std::string::npos);
    b = good;
    b["priority"] = 1000;
    EXPECT_NE(error_of(job_spec_from_json(b)).find("'priority' must be from"), std::string::npos);
    b = good;
    b["chunk"] = 18446744073709551615u;
    EXPECT_NE(error_of(job_spec_from_json(b)).find("'chunk'"), std::string::npos);
    b = good;
    b["frames"] = json::array({1, 2});
    EXPECT_NE(error_of(job_spec_from_json(b)).find("'frames' must be a string"), std::string::npos);
}

TEST(FarmJson, WorkerInfoIsCheckedFieldByField) {
    auto info = worker_info_from_json({{"name", "box"},
                                       {"host", "10.0.0.5"},
                                       {"cores", 16},
                                       {"memory_bytes", 68719476736},
                                       {"gpus", {"RTX 4090"}},
                                       {"blender_version", "4.2.1"},
                                       {"tags", {"gpu", "spot"}}});
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->cores, 16);
    EXPECT_EQ(info->memory_bytes, 68719476736);
    EXPECT_EQ(info->gpus, std::vector<std::string>{"RTX 4090"});
    EXPECT_EQ(info->tags.size(), 2u);
    EXPECT_NE(error_of(worker_info_from_json({{"host", "h"}})).find("'name'"), std::string::npos);
    EXPECT_NE(error_of(worker_info_from_json({{"name", "n"}, {"tags", {1, 2}}})).find("'tags'"),
              std::string::npos);
    EXPECT_NE(error_of(worker_info_from_json({{"name", "n"}, {"cores", -1}})).find("'cores'"),
              std::string::npos);
}

TEST(FarmJson, FrameResultsAndFailuresParse) {
    auto results = frame_results_from_json({{"frames",
                                             {{{"frame", 3},
                                               {"output", "/o/3.png"},
                                               {"render_seconds", 1.25},
                                               {"peak_memory_bytes", 1024}}}}});
    ASSERT_TRUE(results) << results.error().message;
    ASSERT_EQ(results->size(), 1u);
    EXPECT_EQ((*results)[0].frame, 3);
    EXPECT_DOUBLE_EQ((*results)[0].render_seconds, 1.25);
    EXPECT_NE(error_of(frame_results_from_json({{"frames", {{{"frame", 3}}}}})).find("'output'"),
              std::string::npos);
    EXPECT_FALSE(frame_results_from_json({{"frames", 3}}));

    auto failure = failure_from_json({{"error", "cannot save"}, {"log_tail", "..."}});
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->error, "cannot save");
    EXPECT_FALSE(failure_from_json({{"log_tail", "..."}}));

    auto progress = progress_from_json({{"fraction", 0.25}, {"frame", 7}});
    ASSERT_TRUE(progress);
    EXPECT_EQ(progress->frame, 7);
    EXPECT_FALSE(progress_from_json({{"fraction", "half"}}));
    EXPECT_FALSE(progress_from_json(json::object())->frame);
}

TEST(FarmJson, AnAssignmentCarriesTheSettingsAsJson) {
    Assignment a{
        core::TaskId(7), core::JobId(2), core::AttemptId(9), core::FrameSet::parse("4-6").value(),
        "/s.blend",      "/o/f_####",    R"({"samples":8})", 60};
    json j = to_json(a);
    EXPECT_EQ(j["task"], 7);
    EXPECT_EQ(j["frames"], "4-6");
    EXPECT_EQ(j["frame_list"], json::array({4, 5, 6}));
    EXPECT_EQ(j["settings"]["samples"], 8);
    EXPECT_EQ(j["lease_seconds"], 60.0);
}

TEST(FarmJson, AnswersUseStatusNames) {
    EXPECT_EQ(to_json(HeartbeatAnswer{false, core::StopReason::canceled, 0})["reason"], "canceled");
    EXPECT_EQ(to_json(HeartbeatAnswer{true, core::StopReason::none, 30})["action"], "keep_going");
    EXPECT_EQ(to_json(core::CompleteOutcome::already_accepted)["outcome"], "already_accepted");
    JobDetail d;
    d.summary.id = core::JobId(1);
    d.summary.status = core::JobStatus::paused;
    d.summary.tasks[core::TaskStatus::queued] = 4;
    d.frames_by_status[core::TaskStatus::completed] = "1-3";
    d.settings = "{}";
    json j = protocol::to_json(to_wire(d));
    EXPECT_EQ(j["status"], "paused");
    EXPECT_EQ(j["tasks"]["queued"], 4);
    EXPECT_EQ(j["frames_by_status"]["completed"], "1-3");
    core::Event e{core::EventId(3), 5, "job.fail", core::JobId(1), {}, {}, "why"};
    EXPECT_TRUE(to_json(e)["task"].is_null());
    EXPECT_EQ(to_json_array(std::vector<core::Event>{e}).size(), 1u);
}

}  // namespace spotfarm::manager

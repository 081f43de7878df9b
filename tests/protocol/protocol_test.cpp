#include "protocol/protocol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace spotfarm::protocol {
namespace {

using nlohmann::json;

template <class T>
T body_round_trip(const T& value) {
    auto back = parse_body<T>(to_body(value));
    EXPECT_TRUE(back) << back.error().message;
    return back ? *back : T{};
}

template <class T>
std::string body_error_of(std::string_view text) {
    auto parsed = parse_body<T>(text);
    EXPECT_FALSE(parsed) << "accepted: " << text;
    return parsed ? std::string() : parsed.error().message;
}

MATCHER_P(Mentions, part, "") {
    return arg.find(part) != std::string::npos;
}

TEST(Protocol, EveryStructSurvivesTheWire) {
    RegisterRequest info{"w1", "host", 16, 65536, {"OPTIX", "CUDA"}, "4.2.1", {"gpu", "big"}};
    auto info2 = body_round_trip(info);
    EXPECT_EQ(info2.name, "w1");
    EXPECT_EQ(info2.memory_mb, 65536);
    EXPECT_EQ(info2.gpus, info.gpus);
    EXPECT_EQ(info2.tags, info.tags);

    Assignment a;
    a.task_id = 4;
    a.attempt_id = 8;
    a.job_id = 2;
    a.frames = FrameSet::from_frames({1, 2, 3, 4, 10});
    a.lease_seconds = 30;
    a.job.scene = "/mnt/efs/shot.blend";
    a.job.samples = 64;
    a.job.allow_scripts = false;
    a.job.frame_timeout_s = 600.5;
    auto a2 = body_round_trip(a);
    EXPECT_EQ(a2.frames, a.frames);
    EXPECT_EQ(a2.job.scene, a.job.scene);
    EXPECT_EQ(a2.job.samples, std::optional<int>(64));
    EXPECT_EQ(a2.job.allow_scripts, std::optional<bool>(false));
    EXPECT_EQ(a2.job.frame_timeout_s, std::optional<double>(600.5));
    EXPECT_FALSE(a2.job.engine.has_value());
    // Unset settings stay off the wire: "as the scene says".
    EXPECT_FALSE(to_json(a.job).contains("engine"));
    EXPECT_EQ(to_json(a)["frames"], "1-4,10");

    FailReport fail{3, 8, "Error: out of memory", "tail", {{1, "/o/1.png", 3.5, 900.25, {"w"}}}};
    auto fail2 = body_round_trip(fail);
    EXPECT_EQ(fail2.error, fail.error);
    ASSERT_EQ(fail2.frames.size(), 1u);
    EXPECT_EQ(fail2.frames[0].peak_memory_mb, 900.25);
    EXPECT_EQ(fail2.frames[0].warnings, std::vector<std::string>{"w"});

    EXPECT_EQ(body_round_trip(ReleaseReport{3, 8, LeaveReason::spot_interruption, {}}).reason,
              LeaveReason::spot_interruption);
    EXPECT_EQ(body_round_trip(DrainRequest{LeaveReason::rebalance, true}).reason,
              LeaveReason::rebalance);
    EXPECT_EQ(body_round_trip(SignOffRequest{LeaveReason::spot_interruption}).reason,
              LeaveReason::spot_interruption);
    EXPECT_EQ(body_round_trip(ProgressAnswer{ProgressAction::stop, 0}).action,
              ProgressAction::stop);
    EXPECT_EQ(body_round_trip(DrainAnswer{{4, 5}}).returned_tasks,
              (std::vector<std::int64_t>{4, 5}));
    EXPECT_EQ(body_round_trip(ClaimRequest{std::int64_t(9)}).warm_job_id,
              std::optional<std::int64_t>(9));
    EXPECT_FALSE(body_round_trip(ClaimRequest{}).warm_job_id.has_value());
    EXPECT_TRUE(body_round_trip(ClaimRequest{std::nullopt, true}).refuse_scripts);
    EXPECT_FALSE(body_round_trip(ClaimRequest{}).refuse_scripts);
    // Only a refusing worker's claim names the field, so other claims read as before.
    EXPECT_FALSE(to_json(ClaimRequest{}).contains("refuse_scripts"));
    EXPECT_EQ(body_round_trip(Registration{5, "s", 30, 10}).secret, "s");
    EXPECT_EQ(body_round_trip(ProgressReport{1, 2, 3, 4, 5, "Fra:3"}).log, "Fra:3");
    EXPECT_EQ(body_round_trip(ErrorBody{"no such job", "not_found"}).code, "not_found");
    EXPECT_EQ(body_round_trip(CompleteReport{1, 2, {{7, "/o/7.exr", 1, 2, {}}}}).frames.at(0).frame,
              7);
}

TEST(Protocol, WrongTypesNameTheField) {
    EXPECT_THAT(body_error_of<ProgressReport>(
                    R"({"worker_id":1,"attempt_id":2,"frame":"3","sample":0,"samples_total":0})"),
                Mentions("ProgressReport: field 'frame' must be an integer, not a string"));
    EXPECT_THAT(body_error_of<RegisterRequest>(
                    R"({"name":"w","host":"h","cores":2.5,"memory_mb":1,"blender_version":"4"})"),
                Mentions("field 'cores' must be an integer"));
    EXPECT_THAT(body_error_of<RegisterRequest>(R"({"name":"w","host":"h","cores":2,"memory_mb":1,)"
                                               R"("blender_version":"4","tags":["a",3]})"),
                Mentions("field 'tags' must be a list of strings, but holds an integer"));
    EXPECT_THAT(body_error_of<DrainRequest>(R"({"reason":"bored"})"),
                Mentions("DrainRequest.reason must be \"shutdown\""));
    EXPECT_THAT(body_error_of<ProgressAnswer>(R"({"action":"continue","lease_seconds":true})"),
                Mentions("field 'lease_seconds' must be an integer, not a boolean"));
    EXPECT_THAT(body_error_of<ClaimRequest>(R"({"warm_job_id":"7"})"), Mentions("'warm_job_id'"));
}

TEST(Protocol, NestedProblemsNameTheirPath) {
    EXPECT_THAT(body_error_of<Assignment>(R"({"task_id":1,"attempt_id":1,"job_id":1,"frames":"1",
        "lease_seconds":30,"job":{"scene":"/s.blend","samples":"lots"}})"),
                Mentions("Assignment.job: field 'samples' must be an integer"));
    EXPECT_THAT(body_error_of<CompleteReport>(R"({"worker_id":1,"attempt_id":1,"frames":[
        {"frame":1,"output":"/o/1","render_seconds":1,"peak_memory_mb":1},
        {"frame":2,"output":"/o/2","render_seconds":-1,"peak_memory_mb":1}]})"),
                Mentions("CompleteReport.frames[1]: field 'render_seconds' must not be negative"));
    EXPECT_THAT(body_error_of<Assignment>(R"({"task_id":1,"attempt_id":1,"job_id":1,"frames":[1,2],
        "lease_seconds":30,"job":{"scene":"/s.blend"}})"),
                Mentions("Assignment.frames must be a frame set"));
}

TEST(Protocol, MissingFieldsAndBadDocumentsAreErrorsNotExceptions) {
    EXPECT_THAT(
        body_error_of<Registration>(R"({"id":1,"lease_seconds":30,"heartbeat_seconds":10})"),
        Mentions("Registration: field 'secret' is missing"));
    EXPECT_THAT(body_error_of<Registration>(
                    R"({"id":1,"secret":null,"lease_seconds":30,"heartbeat_seconds":10})"),
                Mentions("field 'secret' is missing"));
    EXPECT_THAT(body_error_of<RegisterRequest>("{\"name\": "), Mentions("not valid JSON"));
    EXPECT_THAT(body_error_of<RegisterRequest>("[1,2]"),
                Mentions("expected a JSON object, not an array"));
    EXPECT_THAT(body_error_of<RegisterRequest>(""), Mentions("not valid JSON"));
    EXPECT_THAT(body_error_of<DrainAnswer>(R"({"returned_tasks":[1, 18446744073709551615]})"),
                Mentions("list of ids"));
    EXPECT_THAT(
        body_error_of<ProgressReport>(
            R"({"worker_id":1,"attempt_id":2,"frame":99999999999,"sample":0,"samples_total":0})"),
        Mentions("'frame' is out of range"));
    EXPECT_THAT(body_error_of<CompleteReport>(R"({"worker_id":1,"attempt_id":1,"frames":[]})"),
                Mentions("'frames' must name at least one frame"));
}

TEST(Protocol, UnknownFieldsAndNullOptionalsAreAccepted) {
    auto claim = parse_body<ClaimRequest>(R"({"warm_job_id":null,"future":1})");
    ASSERT_TRUE(claim) << claim.error().message;
    EXPECT_FALSE(claim->warm_job_id.has_value());
    auto drain = parse_body<DrainRequest>(R"({"reason":"shutdown"})");
    ASSERT_TRUE(drain);
    EXPECT_TRUE(drain->return_tasks);
    auto progress = parse_body<ProgressReport>(
        R"({"worker_id":1,"attempt_id":2,"frame":-3,"sample":0,"samples_total":0})");
    ASSERT_TRUE(progress) << progress.error().message;
    EXPECT_EQ(progress->frame, -3);
    EXPECT_EQ(progress->log, "");
}

TEST(Protocol, AssignmentFramesAreAFrameSetOfBoundedSize) {
    const char* k_template = R"({"task_id":1,"attempt_id":1,"job_id":1,"frames":"%s",
        "lease_seconds":30,"job":{"scene":"/s.blend"}})";
    auto with_frames = [&](const char* frames) {
        char text[256];
        std::snprintf(text, sizeof text, k_template, frames);
        return std::string(text);
    };
    auto parsed = parse_body<Assignment>(with_frames("1-3,7,20-30x5"));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->frames.frames(), (std::vector<int>{1, 2, 3, 7, 20, 25, 30}));
    EXPECT_THAT(body_error_of<Assignment>(with_frames("1-1000000")),
                Mentions("Assignment.frames must hold 1 to 100000 frames"));
    EXPECT_THAT(body_error_of<Assignment>(with_frames("4-1")), Mentions("Assignment.frames: "));
    EXPECT_THAT(body_error_of<Assignment>(with_frames("")), Mentions("Assignment.frames"));
}

}  // namespace
}  // namespace spotfarm::protocol

// /api/v1/tasks: workers report on the task they hold (their own secret); people read a task.
#include <algorithm>
#include <cmath>

#include "manager/farm_json.h"
#include "manager/job_warnings.h"
#include "manager/routes/frame_uploads.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;
using nlohmann::json;

// A frame's warnings kept, and the length each is cut to: they are stored with the frame.
constexpr std::size_t k_max_frame_warnings = 16;
constexpr std::size_t k_max_warning_bytes = 1024;

std::vector<core::FrameResult> frame_results(const std::vector<protocol::FrameReport>& reports) {
    std::vector<core::FrameResult> results;
    results.reserve(reports.size());
    for (const protocol::FrameReport& r : reports) {
        core::FrameResult result{
            .frame = r.frame,
            .output = r.output,
            .render_seconds = r.render_seconds,
            .peak_memory_bytes = std::llround(std::max(0.0, r.peak_memory_mb) * 1024 * 1024),
            .warnings = {}};
        for (const std::string& w : r.warnings) {
            if (result.warnings.size() == k_max_frame_warnings) break;
            result.warnings.push_back(cut_warning(w, k_max_warning_bytes));
        }
        results.push_back(std::move(result));
    }
    return results;
}

// The share of the task done: the frames before `frame`, plus the samples of `frame`.
Progress progress_of(const core::Task& task, const protocol::ProgressReport& report) {
    Progress progress;
    progress.frame = report.frame;
    const std::vector<int>& frames = task.frames.frames();
    auto at = std::find(frames.begin(), frames.end(), report.frame);
    double samples = report.samples_total > 0
                         ? std::clamp(double(report.sample) / report.samples_total, 0.0, 1.0)
                         : 0.0;
    if (at != frames.end() && !frames.empty()) {
        progress.fraction = (double(at - frames.begin()) + samples) / double(frames.size());
    }
    progress.message = "frame " + std::to_string(report.frame);
    if (report.samples_total > 0) {
        progress.message += ", sample " + std::to_string(report.sample) + "/" +
                            std::to_string(report.samples_total);
    }
    return progress;
}

// A worker's report on the task in the path, as a handler: `handler` runs once the path holds a
// task id, the body reads as a `Report`, the report names the calling worker and its latest
// attempt at the task; otherwise the answer is 404, 400, 403 or 409, in that order. The Farm
// drops the live log of each attempt that ends (ManagerService), so handlers leave it alone.
template <class Report>
http::Handler task_report(ApiContext& ctx, http::Reply (*handler)(ApiContext&, Request&,
                                                                  core::TaskId, const Report&)) {
    return [&ctx, handler](Request& request) -> http::Reply {
        auto id = path_id(request, "id");
        if (!id) return not_found_answer("task", request.param("id"));
        Response refusal;
        auto report = protocol_body<Report>(request, refusal);
        if (!report) return refusal;
        if (auto refused = check_reporter(request, report->worker_id)) return *refused;
        auto held = ctx.farm.check_attempt(core::TaskId(*id), calling_worker(request),
                                           core::AttemptId(report->attempt_id));
        if (!held) return error_answer(held.error());
        return handler(ctx, request, core::TaskId(*id), *report);
    };
}

http::Reply progress(ApiContext& ctx, Request& request, core::TaskId task_id,
                     const protocol::ProgressReport& report) {
    const core::Task* task = ctx.farm.scheduler().find_task(task_id);
    if (task == nullptr) return not_found_answer("task", request.param("id"));

    auto beat = ctx.farm.heartbeat(task_id, calling_worker(request), progress_of(*task, report));
    if (!beat) return error_answer(beat.error());
    protocol::ProgressAnswer answer;
    if (beat->keep_going) {
        ctx.logs.append(task_id, report.log);
        answer.lease_seconds = lease_seconds(beat->lease_seconds);
    } else {
        answer.action = protocol::ProgressAction::stop;
    }
    json body = protocol::to_json(answer);
    if (!beat->keep_going) body["reason"] = core::to_string(beat->reason);
    return Response::json(body);
}

http::Reply complete(ApiContext& ctx, Request& request, core::TaskId task,
                     const protocol::CompleteReport& report) {
    if (auto missing = frames_not_uploaded(ctx, task, report.frames)) return *missing;
    auto outcome = ctx.farm.complete(task, calling_worker(request), frame_results(report.frames));
    if (!outcome) return error_answer(outcome.error());
    return Response::json({{"outcome", core::to_string(*outcome)}});
}

http::Reply fail(ApiContext& ctx, Request& request, core::TaskId task,
                 const protocol::FailReport& report) {
    std::string log_tail = report.log_tail;
    if (log_tail.empty()) log_tail = ctx.logs.tail(task).value_or("");
    auto outcome = ctx.farm.fail(task, calling_worker(request), report.error, log_tail);
    if (!outcome) return error_answer(outcome.error());
    return Response::json({{"outcome", core::to_string(*outcome)}});
}

http::Reply release(ApiContext& ctx, Request& request, core::TaskId task,
                    const protocol::ReleaseReport& report) {
    // A transfer job's frame counts as finished only once the manager holds its bytes.
    auto held = ctx.farm.release(task, calling_worker(request),
                                 frame_results(frames_held(ctx, task, report.frames)));
    if (!held) return error_answer(held.error());
    return Response::json({{"released", *held}});
}

http::Reply show_task(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("task", request.param("id"));
    const core::TaskId task(*id);
    auto detail = ctx.farm.show_task(task);
    if (!detail) return error_answer(detail.error());
    protocol::TaskDetail answer = to_wire(*detail);
    answer.log_tail = ctx.logs.tail(task);
    return Response::json(protocol::to_json(answer));
}

}  // namespace

void add_task_routes(http::Router& router, ApiContext& ctx) {
    // A worker may report on any task id; the Farm refuses reports on tasks it does not hold.
    router.add("POST", api_path("/tasks/{id}/progress"), Access::any_worker(),
               task_report(ctx, progress));
    router.add("POST", api_path("/tasks/{id}/complete"), Access::any_worker(),
               task_report(ctx, complete));
    router.add("POST", api_path("/tasks/{id}/fail"), Access::any_worker(), task_report(ctx, fail));
    router.add("POST", api_path("/tasks/{id}/release"), Access::any_worker(),
               task_report(ctx, release));
    router.add("GET", api_path("/tasks/{id}"), Access::people(), with_context(ctx, show_task));
}

}  // namespace spotfarm::manager::routes

// GET /api/v1/jobs/{id}/frame-stats: each finished frame's render time, peak memory, worker and
// attempts, for the dashboard's chart and frame panel. Finished frames do not change, so they
// are kept in memory (ApiContext::frame_stats), filled as attempts complete and, for frames
// finished before this manager started, read from the store a bounded number of tasks at a time.
#include <nlohmann/json.hpp>

#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;
using nlohmann::json;

// Store reads per request: a job of 10,000 finished tasks fills in over a few requests rather
// than holding the io thread for seconds.
constexpr std::size_t k_reads_per_request = 500;

http::Reply frame_stats(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("job", request.param("id"));
    const core::JobId job(*id);
    if (ctx.farm.scheduler().find_job(job) == nullptr) {
        return not_found_answer("job", request.param("id"));
    }
    auto& stats = ctx.frame_stats[job];
    std::size_t reads = 0;
    std::size_t missing = 0;
    for (const core::Task& task : ctx.farm.scheduler().tasks_of(job)) {
        if (task.status != core::TaskStatus::completed) continue;
        if (stats.count(task.frames.first())) continue;
        if (reads >= k_reads_per_request) {
            ++missing;
            continue;
        }
        ++reads;
        auto detail = ctx.farm.show_task(task.id);
        if (!detail) return error_answer(detail.error());
        for (auto a = detail->attempts.rbegin(); a != detail->attempts.rend(); ++a) {
            if (a->outcome != core::AttemptOutcome::completed) continue;
            for (const core::FrameResult& r : a->results) {
                stats[r.frame] = {r.render_seconds, r.peak_memory_bytes, a->worker.value,
                                  task.attempts};
            }
            break;
        }
    }
    json frames = json::array();
    for (const auto& [frame, s] : stats) {
        frames.push_back({{"frame", frame},
                          {"render_seconds", s.render_seconds},
                          {"peak_memory_bytes", s.peak_memory_bytes},
                          {"worker", s.worker},
                          {"attempts", s.attempts}});
    }
    return Response::json({{"frames", frames}, {"tasks_not_read", missing}});
}

}  // namespace

void remember_frame_stats(ApiContext& ctx, const core::AttemptEnd& end) {
    if (end.outcome != core::AttemptOutcome::completed) return;
    const core::Task* task = ctx.farm.scheduler().find_task(end.task);
    const int attempts = task ? task->attempts : 1;
    auto& stats = ctx.frame_stats[end.job];
    for (const core::FrameResult& r : end.results) {
        stats[r.frame] = {r.render_seconds, r.peak_memory_bytes, end.worker.value, attempts};
    }
}

void add_frame_stats_routes(http::Router& router, ApiContext& ctx) {
    router.add("GET", api_path("/jobs/{id}/frame-stats"), Access::people(),
               with_context(ctx, frame_stats));
}

}  // namespace spotfarm::manager::routes

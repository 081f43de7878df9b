#pragma once
// The rule that ties a transfer job's tasks to their frames' bytes: a task completes only once
// the manager's output store holds every frame of it (docs/transfer.md).

#include <optional>
#include <vector>

#include "core/ids.h"
#include "manager/http/response.h"
#include "manager/routes/api_context.h"
#include "protocol/protocol.h"

namespace spotfarm::manager::routes {

// For a task of a transfer job: the 409 frame_not_uploaded naming the first frame of the task
// (or of `reported`) that the output store lacks; nothing when all are there or the job is in
// shared mode. io thread.
std::optional<http::Response> frames_not_uploaded(
    ApiContext& ctx, core::TaskId task, const std::vector<protocol::FrameReport>& reported);

// Of `finished`, those whose frame the output store holds (all of them in shared mode): a task
// given back is complete only with the bytes of every frame. io thread.
std::vector<protocol::FrameReport> frames_held(ApiContext& ctx, core::TaskId task,
                                               std::vector<protocol::FrameReport> finished);

}  // namespace spotfarm::manager::routes

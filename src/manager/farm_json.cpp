// farm_json.h: answers. Request bodies are parsed in farm_json_parse.cpp.
#include "manager/farm_json.h"

namespace spotfarm::manager {
namespace {

using nlohmann::json;

// Settings were JSON when submitted; they go out as JSON again.
json settings_json(const std::string& text) {
    json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    return parsed.is_discarded() ? json::object() : parsed;
}

json id_or_null(std::int64_t id) {
    return id > 0 ? json(id) : json(nullptr);
}

}  // namespace

json to_json(const WorkerCredentials& c) {
    return {{"id", c.id.value}, {"secret", c.secret}};
}

json to_json(const Assignment& a) {
    return {{"task", a.task.value},
            {"job", a.job.value},
            {"attempt", a.attempt.value},
            {"frames", a.frames.to_string()},
            {"frame_list", a.frames.frames()},
            {"scene", a.scene},
            {"output", a.output},
            {"settings", settings_json(a.settings)},
            {"lease_seconds", a.lease_seconds}};
}

json to_json(const HeartbeatAnswer& a) {
    json out = {{"action", a.keep_going ? "keep_going" : "stop"}};
    if (a.keep_going) {
        out["lease_seconds"] = a.lease_seconds;
    } else {
        out["reason"] = core::to_string(a.reason);
    }
    return out;
}

json to_json(core::CompleteOutcome outcome) {
    return {{"outcome", core::to_string(outcome)}};
}

json to_json(core::FailOutcome outcome) {
    return {{"outcome", core::to_string(outcome)}};
}

json to_json(const ReapReport& r) {
    return {{"leases_expired", r.leases_expired}, {"workers_offline", r.workers_offline}};
}

json to_json(const core::Event& e) {
    return {{"id", e.id.value},
            {"time_ms", e.time_ms},
            {"kind", e.kind},
            {"job", id_or_null(e.job.value)},
            {"task", id_or_null(e.task.value)},
            {"worker", id_or_null(e.worker.value)},
            {"message", e.message}};
}

}  // namespace spotfarm::manager

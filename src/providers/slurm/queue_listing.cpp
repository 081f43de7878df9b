#include "providers/slurm/queue_listing.h"

#include <ctime>

namespace spotfarm::providers::slurm {

namespace {

std::vector<std::string> split(std::string_view line, char separator) {
    std::vector<std::string> fields;
    size_t from = 0;
    for (size_t at = line.find(separator); at != std::string_view::npos;
         at = line.find(separator, from)) {
        fields.emplace_back(line.substr(from, at - from));
        from = at + 1;
    }
    fields.emplace_back(line.substr(from));
    return fields;
}

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty()) lines.push_back(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

// squeue prints times in the cluster's local time, "2026-12-05T10:31:02"; "N/A" when unknown.
std::optional<std::chrono::system_clock::time_point> local_time(const std::string& text) {
    std::tm tm{};
    if (::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return std::nullopt;
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm);
    if (t == -1) return std::nullopt;
    return std::chrono::system_clock::from_time_t(t);
}

// An array task's id is JOBID_INDEX; a line of a pending array not yet split ("12_[0-3]") or
// of a plain job is not one of the fleet's workers.
bool is_array_task(const std::string& id) {
    const size_t underscore = id.find('_');
    if (underscore == std::string::npos || underscore == 0 || underscore + 1 == id.size())
        return false;
    for (size_t i = 0; i < id.size(); ++i)
        if (i != underscore && (id[i] < '0' || id[i] > '9')) return false;
    return true;
}

}  // namespace

WorkerState state_of(std::string_view s) {
    if (s == "PENDING" || s == "CONFIGURING" || s == "REQUEUED" || s == "REQUEUE_HOLD" ||
        s == "RESV_DEL_HOLD" || s == "REQUEUE_FED")
        return WorkerState::starting;
    if (s == "RUNNING" || s == "SUSPENDED" || s == "RESIZING" || s == "SIGNALING" ||
        s == "STAGE_OUT")
        return WorkerState::running;
    if (s == "COMPLETING" || s == "STOPPED") return WorkerState::stopping;
    if (s.empty()) return WorkerState::unknown;
    return WorkerState::stopped;  // COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL, ...
}

std::vector<WorkerInstance> parse_squeue(std::string_view output) {
    std::vector<WorkerInstance> workers;
    for (std::string_view line : lines_of(output)) {
        const auto fields = split(line, '|');
        if (fields.size() < 6 || !is_array_task(fields[0])) continue;
        WorkerInstance w;
        w.id = fields[0];
        w.state = state_of(fields[1]);
        w.kind = "slurm";
        w.zone = fields[3];
        if (fields[2] != "(null)" && fields[2] != "N/A") w.address = fields[2];
        if (w.state != WorkerState::starting) w.started_at = local_time(fields[4]);
        w.reason = fields[1];
        if (!fields[5].empty() && fields[5] != "None") w.reason += " (" + fields[5] + ")";
        w.detail = w.reason;
        workers.push_back(std::move(w));
    }
    return workers;
}

std::map<std::string, std::string> parse_sacct(std::string_view output) {
    std::map<std::string, std::string> states;
    for (std::string_view line : lines_of(output)) {
        const auto fields = split(line, '|');
        if (fields.size() < 3 || !is_array_task(fields[0])) continue;
        states[fields[0]] = fields[1] + " " + fields[2];
    }
    return states;
}

}  // namespace spotfarm::providers::slurm

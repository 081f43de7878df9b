#include "cli/jobs/job_view.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/common/table.h"
#include "cli/common/time_text.h"
#include "util/duration_text.h"

namespace spotfarm::cli {
namespace {

using core::TaskStatus;
using nlohmann::json;

constexpr std::size_t k_log_lines = 10;
constexpr std::size_t k_max_spec_width = 300;

// The settings keys the detail shows on lines of their own.
constexpr std::array<std::string_view, 6> k_job_keys = {"scene", "output",   "frames",
                                                        "chunk", "priority", "name"};

// Task statuses in the order people think of them.
constexpr std::array<TaskStatus, 5> k_status_order = {TaskStatus::completed, TaskStatus::active,
                                                      TaskStatus::queued, TaskStatus::failed,
                                                      TaskStatus::canceled};

std::string count_text(std::int64_t n, bool exact) {
    std::string text = std::to_string(n);
    if (!exact && n != 0) text.insert(text.begin(), '~');
    return text;
}

std::string percent(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return "0%";
    return fmt::format("{}%", part * 100 / whole);
}

// Ids joined by ", ", "-" when none.
std::string ids_text(const std::vector<std::int64_t>& ids) {
    return ids.empty() ? "-" : fmt::format("{}", fmt::join(ids, ", "));
}

template <class Map>
auto count_of(const Map& map, TaskStatus status) {
    auto it = map.find(status);
    return it == map.end() ? typename Map::mapped_type{} : it->second;
}

// The submitted settings other than those shown on lines of their own, as key=value.
std::string settings_text(const json& settings) {
    std::string out;
    if (!settings.is_object()) return out;
    for (const auto& [key, value] : settings.items()) {
        if (std::find(k_job_keys.begin(), k_job_keys.end(), key) != k_job_keys.end()) continue;
        if (!out.empty()) out += " ";
        out += key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    }
    return out;
}

std::string frames_by_status(const protocol::JobDetail& job) {
    Table table({{"STATUS"}, {"FRAMES", Align::right}, {"WHICH", Align::left, k_max_spec_width}});
    for (TaskStatus status : k_status_order) {
        auto it = job.frames_by_status.find(status);
        if (it == job.frames_by_status.end() || it->second.empty()) continue;
        table.add_row({std::string(core::to_string(status)), std::to_string(it->second.size()),
                       it->second.to_string()});
    }
    return table.rows() > 0 ? "\nFrames by status:\n" + table.render("  ") : "";
}

std::vector<std::string> last_lines(const std::string& text, std::size_t count) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    if (lines.size() > count) lines.erase(lines.begin(), lines.end() - std::ptrdiff_t(count));
    return lines;
}

// The latest attempt that failed, or null.
const protocol::AttemptRecord* last_failed_attempt(const protocol::TaskDetail& task) {
    const auto& attempts = task.attempt_list;
    for (auto it = attempts.rbegin(); it != attempts.rend(); ++it) {
        if (it->outcome == core::AttemptOutcome::failed) return &*it;
    }
    return nullptr;
}

std::string failure_text(const protocol::TaskDetail& task) {
    const protocol::TaskSummary& t = task.summary;
    std::string out =
        fmt::format("  task {}, frames {}: {}, failed on workers {}\n", t.id, t.frames.to_string(),
                    core::to_string(t.status), ids_text(t.failed_on));
    const protocol::AttemptRecord* attempt = last_failed_attempt(task);
    if (attempt == nullptr) return out;
    out += fmt::format("    worker {}: {}\n", attempt->worker,
                       attempt->error.empty() ? "(no message)" : attempt->error);
    auto lines = last_lines(attempt->log_tail, k_log_lines);
    if (!lines.empty()) out += "    log tail:\n";
    for (const std::string& line : lines) out += "      | " + line + "\n";
    return out;
}

std::string worker_failures(const protocol::JobDetail& job) {
    if (job.worker_failures.empty()) return "";
    std::string out;
    for (const auto& [worker, count] : job.worker_failures) {
        const bool blocklisted = std::find(job.blocklisted.begin(), job.blocklisted.end(),
                                           worker) != job.blocklisted.end();
        if (!out.empty()) out += ", ";
        out += fmt::format("worker {}: {}{}", worker, count, blocklisted ? " (blocklisted)" : "");
    }
    return "Failed tasks per worker: " + out + "\n";
}

}  // namespace

FrameProgress frame_progress(const protocol::JobSummary& job) {
    FrameProgress p;
    p.total = job.frame_count;
    std::int64_t task_total = 0;
    for (const auto& [status, count] : job.tasks) task_total += count;
    const std::int64_t chunk = std::max(1, job.chunk);
    auto frames_of = [&](std::int64_t task_count, bool& exact) {
        if (chunk == 1 || task_count == 0) return task_count;
        if (task_count == task_total) return p.total;
        exact = false;
        return std::min(p.total, task_count * chunk);
    };
    p.done = frames_of(count_of(job.tasks, TaskStatus::completed), p.exact);
    p.failed = frames_of(count_of(job.tasks, TaskStatus::failed), p.exact);
    return p;
}

FrameProgress frame_progress(const protocol::JobDetail& job) {
    FrameProgress p = frame_progress(job.summary);
    p.done = job.frames_done;
    p.failed = static_cast<std::int64_t>(count_of(job.frames_by_status, TaskStatus::failed).size());
    p.exact = true;
    return p;
}

std::string render_jobs_table(const protocol::JobList& jobs, std::int64_t now_ms) {
    if (jobs.jobs.empty()) {
        return "No jobs. Submit one with: spotfarm submit SCENE.blend --frames 1-250 "
               "-o renders/frame_####\n";
    }
    Table table({{"ID", Align::right},
                 {"NAME", Align::left, 40},
                 {"STATUS"},
                 {"PRIO", Align::right},
                 {"DONE", Align::right},
                 {"FAILED", Align::right},
                 {"AGE", Align::right}});
    for (const protocol::JobSummary& job : jobs.jobs) {
        FrameProgress p = frame_progress(job);
        table.add_row({std::to_string(job.id), job.name, std::string(core::to_string(job.status)),
                       std::to_string(job.priority),
                       count_text(p.done, p.exact) + "/" + std::to_string(p.total),
                       count_text(p.failed, p.exact), format_age(job.created_ms, now_ms)});
    }
    return table.render();
}

std::string render_job_detail(const protocol::JobDetail& detail,
                              const std::vector<protocol::TaskDetail>& failed_tasks,
                              std::int64_t now_ms, const std::optional<protocol::JobCost>& cost,
                              const std::optional<JobEta>& eta) {
    const protocol::JobSummary& job = detail.summary;
    FrameProgress p = frame_progress(detail);
    std::string out = fmt::format("Job {} \"{}\": {}, priority {}, created {} ago ({})\n", job.id,
                                  job.name, core::to_string(job.status), job.priority,
                                  format_age(job.created_ms, now_ms), format_utc(job.created_ms));
    auto fact = [&out](std::string_view label, const std::string& value) {
        out += fmt::format("  {:<9} {}\n", label, value);
    };
    fact("scene", job.scene);
    fact("output", job.output);
    fact("frames", fmt::format("{} ({} frames, {} per task)", job.frames, p.total, job.chunk));
    fact("progress", fmt::format("{}/{} frames done ({}), {} failed", count_text(p.done, p.exact),
                                 p.total, percent(p.done, p.total), count_text(p.failed, p.exact)));
    if (eta) {
        fact("eta", fmt::format("{} left, done about {} ({} frames left on {} worker{}, predicted "
                                "from the times of the frames done near them)",
                                util::format_seconds(eta->seconds),
                                format_utc(now_ms + std::llround(eta->seconds * 1000)),
                                eta->frames_left, eta->workers, eta->workers == 1 ? "" : "s"));
    }
    if (std::string settings = settings_text(detail.settings); !settings.empty()) {
        fact("settings", settings);
    }
    if (!job.message.empty()) fact("message", job.message);
    if (cost) {
        fact("cost",
             fmt::format("{:.3f} instance-hours, about ${:.2f} on {}", cost->cost.instance_hours,
                         cost->cost.usd, cost->provider.empty() ? "the fleet" : cost->provider));
    }
    out += frames_by_status(detail);
    if (!detail.warnings.empty()) {
        // Frames that rendered with these still count as done; they may look wrong.
        out += "\nWarnings (the frames rendered, but may look wrong):\n";
        for (const protocol::JobWarning& w : detail.warnings) {
            out += fmt::format("  {}\n    frames {}\n", w.message, w.frames.to_string());
        }
    }
    if (!failed_tasks.empty()) {
        out += "\nFailures:\n";
        for (const protocol::TaskDetail& task : failed_tasks) out += failure_text(task);
    }
    if (std::string per_worker = worker_failures(detail); !per_worker.empty()) {
        out += "\n" + per_worker;
    }
    return out;
}

}  // namespace spotfarm::cli

#include "cli/jobs/job_view.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "blender/render_report.h"
#include "cli/common/json_access.h"
#include "cli/common/table.h"
#include "cli/common/time_text.h"
#include "core/frame_set.h"
#include "util/duration_text.h"

namespace spotfarm::cli {
namespace {

using nlohmann::json;

constexpr std::size_t k_log_lines = 10;
constexpr std::size_t k_max_spec_width = 300;

// The settings keys the detail shows on lines of their own.
constexpr std::array<std::string_view, 6> k_job_keys = {"scene", "output",   "frames",
                                                        "chunk", "priority", "name"};

// Task statuses in the order people think of them; others the manager may add come after.
constexpr std::array<std::string_view, 5> k_status_order = {"completed", "active", "queued",
                                                            "failed", "canceled"};

std::int64_t frames_in(const std::string& spec) {
    if (spec.empty()) return 0;
    auto frames = core::FrameSet::parse(spec);
    return frames ? static_cast<std::int64_t>(frames->size()) : 0;
}

std::string count_text(std::int64_t n, bool exact) {
    std::string text = std::to_string(n);
    if (!exact && n != 0) text.insert(text.begin(), '~');
    return text;
}

std::string percent(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return "0%";
    return fmt::format("{}%", part * 100 / whole);
}

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

std::vector<std::string> status_keys(const json& by_status) {
    std::vector<std::string> keys;
    for (std::string_view status : k_status_order) {
        if (by_status.contains(status)) keys.emplace_back(status);
    }
    for (const auto& [key, value] : by_status.items()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
    return keys;
}

std::string frames_by_status(const json& job) {
    const json& by_status = field(job, "frames_by_status");
    if (!by_status.is_object() || by_status.empty()) return "";
    Table table({{"STATUS"}, {"FRAMES", Align::right}, {"WHICH", Align::left, k_max_spec_width}});
    for (const std::string& status : status_keys(by_status)) {
        std::string spec = text_field(by_status, status);
        if (spec.empty()) continue;
        table.add_row({status, std::to_string(frames_in(spec)), spec});
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
const json* last_failed_attempt(const json& task) {
    const json& attempts = field(task, "attempt_list");
    if (!attempts.is_array()) return nullptr;
    for (auto it = attempts.rbegin(); it != attempts.rend(); ++it) {
        if (text_field(*it, "outcome") == "failed") return &*it;
    }
    return nullptr;
}

std::string failure_text(const json& task) {
    std::string out =
        fmt::format("  task {}, frames {}: {}, failed on workers {}\n", id_text(field(task, "id")),
                    text_field(task, "frames", "?"), text_field(task, "status", "?"),
                    id_list(field(task, "failed_on")));
    const json* attempt = last_failed_attempt(task);
    if (attempt == nullptr) return out;
    out += fmt::format("    worker {}: {}\n", id_text(field(*attempt, "worker")),
                       text_field(*attempt, "error", "(no message)"));
    auto lines = last_lines(text_field(*attempt, "log_tail"), k_log_lines);
    if (!lines.empty()) out += "    log tail:\n";
    for (const std::string& line : lines) out += "      | " + line + "\n";
    return out;
}

std::string worker_failures(const json& job) {
    const json& failures = field(job, "worker_failures");
    if (!failures.is_object() || failures.empty()) return "";
    const json& blocked = field(job, "blocklisted");
    std::string out;
    for (const auto& [worker, count] : failures.items()) {
        bool blocklisted = false;
        if (blocked.is_array()) {
            for (const json& id : blocked) blocklisted |= id_text(id) == worker;
        }
        if (!out.empty()) out += ", ";
        out += fmt::format("worker {}: {}{}", worker, id_text(count),
                           blocklisted ? " (blocklisted)" : "");
    }
    return "Failed tasks per worker: " + out + "\n";
}

}  // namespace

FrameProgress frame_progress(const json& job) {
    FrameProgress p;
    p.total = int_field(job, "frame_count");
    const json& tasks = field(job, "tasks");
    std::int64_t task_total = 0;
    if (tasks.is_object()) {
        for (const auto& [status, count] : tasks.items()) {
            if (count.is_number_integer()) task_total += count.get<std::int64_t>();
        }
    }
    std::int64_t chunk = std::max<std::int64_t>(1, int_field(job, "chunk", 1));
    auto frames_of = [&](std::int64_t task_count, bool& exact) {
        if (chunk == 1 || task_count == 0) return task_count;
        if (task_count == task_total) return p.total;
        exact = false;
        return std::min(p.total, task_count * chunk);
    };
    p.done = frames_of(int_field(tasks, "completed"), p.exact);
    p.failed = frames_of(int_field(tasks, "failed"), p.exact);
    if (field(job, "frames_done").is_number_integer()) {
        // A detail answer: exact counts from its frame lists.
        p.done = int_field(job, "frames_done");
        p.failed = frames_in(text_field(field(job, "frames_by_status"), "failed"));
        p.exact = true;
    }
    return p;
}

util::Result<std::string> render_jobs_table(const json& jobs, std::int64_t now_ms) {
    if (!jobs.is_array()) {
        return util::make_error("the manager's answer to GET /jobs is not a list of jobs");
    }
    if (jobs.empty()) {
        return std::string(
            "No jobs. Submit one with: spotfarm submit SCENE.blend --frames 1-250 "
            "-o renders/frame_####\n");
    }
    Table table({{"ID", Align::right},
                 {"NAME", Align::left, 40},
                 {"STATUS"},
                 {"PRIO", Align::right},
                 {"DONE", Align::right},
                 {"FAILED", Align::right},
                 {"AGE", Align::right}});
    for (const json& job : jobs) {
        FrameProgress p = frame_progress(job);
        table.add_row({id_text(field(job, "id")), text_field(job, "name"),
                       text_field(job, "status", "?"), id_text(field(job, "priority")),
                       count_text(p.done, p.exact) + "/" + std::to_string(p.total),
                       count_text(p.failed, p.exact),
                       format_age(int_field(job, "created_ms"), now_ms)});
    }
    return table.render();
}

util::Result<std::string> render_job_detail(const json& job, const std::vector<json>& failed_tasks,
                                            std::int64_t now_ms, const std::optional<JobEta>& eta) {
    if (!job.is_object() || !field(job, "id").is_number_integer()) {
        return util::make_error("the manager's answer to GET /jobs/ID is not a job");
    }
    FrameProgress p = frame_progress(job);
    std::int64_t created = int_field(job, "created_ms");
    std::string out = fmt::format("Job {} \"{}\": {}, priority {}, created {} ago ({})\n",
                                  id_text(field(job, "id")), text_field(job, "name"),
                                  text_field(job, "status", "?"), id_text(field(job, "priority")),
                                  format_age(created, now_ms), format_utc(created));
    auto fact = [&out](std::string_view label, const std::string& value) {
        out += fmt::format("  {:<9} {}\n", label, value);
    };
    fact("scene", text_field(job, "scene"));
    fact("output", text_field(job, "output"));
    fact("frames", fmt::format("{} ({} frames, {} per task)", text_field(job, "frames"), p.total,
                               id_text(field(job, "chunk"))));
    fact("progress", fmt::format("{}/{} frames done ({}), {} failed", count_text(p.done, p.exact),
                                 p.total, percent(p.done, p.total), count_text(p.failed, p.exact)));
    if (eta) {
        fact("eta", fmt::format("{} left, done about {} ({} frames left on {} worker{}, predicted "
                                "from the times of the frames done near them)",
                                util::format_seconds(eta->seconds),
                                format_utc(now_ms + std::llround(eta->seconds * 1000)),
                                eta->frames_left, eta->workers, eta->workers == 1 ? "" : "s"));
    }
    if (std::string settings = settings_text(field(job, "settings")); !settings.empty()) {
        fact("settings", settings);
    }
    if (std::string message = text_field(job, "message"); !message.empty()) {
        fact("message", message);
    }
    if (const json& cost = field(job, "cost"); cost.is_object()) {
        fact("cost", fmt::format("{:.3f} instance-hours, about ${:.2f} on {}",
                                 cost.value("instance_hours", 0.0), cost.value("usd", 0.0),
                                 text_field(cost, "provider", "the fleet")));
    }
    out += frames_by_status(job);
    if (!failed_tasks.empty()) {
        out += "\nFailures:\n";
        for (const json& task : failed_tasks) out += failure_text(task);
    }
    if (std::string per_worker = worker_failures(job); !per_worker.empty()) {
        out += "\n" + per_worker;
    }
    return out;
}

}  // namespace spotfarm::cli

// farm_json.h: request bodies. Each field is type-checked and bounded; the error names it.
#include <limits>

#include "core/errors.h"
#include "manager/farm_json.h"
#include "protocol/job_submission.h"
#include "protocol/protocol.h"
#include "protocol/video_output_json.h"

namespace spotfarm::manager {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_string = 4096;
constexpr std::size_t k_max_list = 64;
constexpr std::size_t k_max_log = 1 << 20;

util::Error bad(const std::string& field, const std::string& what) {
    return core::invalid("field '" + field + "' " + what);
}

util::Status need_object(const json& body) {
    if (!body.is_object()) return core::invalid("the body must be a JSON object");
    return {};
}

// Each reader leaves `out` as it is when the field is absent, and fails when it is required.
util::Status read(const json& body, const std::string& key, std::string& out, bool required,
                  std::size_t max = k_max_string) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        return required ? bad(key, "is missing") : util::Status{};
    }
    if (!it->is_string()) return bad(key, "must be a string");
    if (it->get_ref<const std::string&>().size() > max) {
        return bad(key, "is longer than " + std::to_string(max) + " characters");
    }
    out = it->get<std::string>();
    return {};
}

template <class Int>
util::Status read_int(const json& body, const std::string& key, Int& out, Int min, Int max,
                      bool required = false) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        return required ? bad(key, "is missing") : util::Status{};
    }
    if (!it->is_number_integer()) return bad(key, "must be an integer");
    // Unsigned values above INT64_MAX fail the range check below as negative numbers would.
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(max)) {
        return bad(key, "must be at most " + std::to_string(max));
    }
    auto value = it->get<std::int64_t>();
    if (value < static_cast<std::int64_t>(min) || value > static_cast<std::int64_t>(max)) {
        return bad(key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    }
    out = static_cast<Int>(value);
    return {};
}

util::Status read_number(const json& body, const std::string& key, double& out) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return {};
    if (!it->is_number()) return bad(key, "must be a number");
    out = it->get<double>();
    return {};
}

util::Status read_strings(const json& body, const std::string& key, std::vector<std::string>& out) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return {};
    if (!it->is_array()) return bad(key, "must be a list of strings");
    if (it->size() > k_max_list) return bad(key, "has more than 64 items");
    out.clear();
    for (const auto& item : *it) {
        if (!item.is_string() || item.get_ref<const std::string&>().size() > k_max_string) {
            return bad(key, "must be a list of strings");
        }
        out.push_back(item.get<std::string>());
    }
    return {};
}

// A task is what a worker takes in one assignment: no bigger than every worker accepts.
util::Status read_chunk(const json& body, int& out) {
    auto read = read_int(body, "chunk", out, 1, protocol::k_max_chunk);
    if (read) return read;
    return core::invalid(read.error().message + " (no worker takes a task of more frames)");
}

// Runs the readers in order and stops at the first failure.
template <class... Checks>
util::Status all(Checks&&... checks) {
    util::Status result;
    ((result.ok() ? (result = checks(), 0) : 0), ...);
    return result;
}

}  // namespace

util::Result<core::JobSpec> job_spec_from_json(const json& body) {
    if (auto ok = need_object(body); !ok) return ok.error();
    core::JobSpec spec;
    if (auto frames = body.find("frames"); frames != body.end() && frames->is_number_integer()) {
        spec.frames = std::to_string(frames->get<std::int64_t>());
    } else if (auto ok = read(body, "frames", spec.frames, true); !ok) {
        return ok.error();
    }
    auto ok = all([&] { return read(body, "scene", spec.scene, true); },
                  [&] { return read(body, "output", spec.output, true); },
                  [&] { return read(body, "name", spec.name, false); },
                  [&] { return read_chunk(body, spec.chunk); },
                  [&] {
                      return read_int(body, "priority", spec.priority, core::k_min_priority,
                                      core::k_max_priority);
                  });
    if (!ok) return ok.error();
    // Only the settings workers know, and what the manager makes of the frames (the video,
    // the preview), are kept: the raw body could carry anything, of any size and shape, into the
    // store and to every worker.
    auto settings = protocol::from_json<core::JobSettings>(body);
    if (!settings) return core::invalid(settings.error().message);
    auto media = protocol::parse_job_media(body, "JobSubmission");
    if (!media) return core::invalid(media.error().message);
    json kept = protocol::to_json(*settings);
    kept.update(protocol::to_json(*media));
    spec.settings = kept.dump();
    return spec;
}

util::Result<core::WorkerInfo> worker_info_from_json(const json& body) {
    if (auto ok = need_object(body); !ok) return ok.error();
    core::WorkerInfo info;
    auto ok = all([&] { return read(body, "name", info.name, true, 256); },
                  [&] { return read(body, "host", info.host, false, 256); },
                  [&] { return read_int(body, "cores", info.cores, 0, 1 << 20); },
                  [&] {
                      return read_int(body, "memory_bytes", info.memory_bytes, std::int64_t{0},
                                      std::numeric_limits<std::int64_t>::max());
                  },
                  [&] { return read_strings(body, "gpus", info.gpus); },
                  [&] { return read(body, "blender_version", info.blender_version, false, 256); },
                  [&] { return read_strings(body, "tags", info.tags); });
    if (!ok) return ok.error();
    return info;
}

util::Result<Progress> progress_from_json(const json& body) {
    if (auto ok = need_object(body); !ok) return ok.error();
    Progress progress;
    int frame = 0;
    const bool has_frame = body.contains("frame") && !body["frame"].is_null();
    auto ok = all([&] { return read_number(body, "fraction", progress.fraction); },
                  [&] {
                      return read_int(body, "frame", frame, std::numeric_limits<int>::min(),
                                      std::numeric_limits<int>::max());
                  },
                  [&] { return read(body, "message", progress.message, false); });
    if (!ok) return ok.error();
    if (has_frame) progress.frame = frame;
    return progress;
}

util::Result<std::vector<core::FrameResult>> frame_results_from_json(const json& body) {
    if (auto ok = need_object(body); !ok) return ok.error();
    auto frames = body.find("frames");
    if (frames == body.end() || !frames->is_array()) {
        return bad("frames", "must be a list of frame results");
    }
    if (frames->size() > core::k_max_frames) return bad("frames", "has too many items");
    std::vector<core::FrameResult> results;
    results.reserve(frames->size());
    for (const auto& item : *frames) {
        if (!item.is_object()) return bad("frames", "must hold objects");
        core::FrameResult r;
        auto ok = all(
            [&] {
                return read_int(item, "frame", r.frame, std::numeric_limits<int>::min(),
                                std::numeric_limits<int>::max(), true);
            },
            [&] { return read(item, "output", r.output, true); },
            [&] { return read_number(item, "render_seconds", r.render_seconds); },
            [&] {
                return read_int(item, "peak_memory_bytes", r.peak_memory_bytes, std::int64_t{0},
                                std::numeric_limits<std::int64_t>::max());
            });
        if (!ok) return ok.error();
        results.push_back(std::move(r));
    }
    return results;
}

util::Result<FailureReport> failure_from_json(const json& body) {
    if (auto ok = need_object(body); !ok) return ok.error();
    FailureReport report;
    auto ok = all([&] { return read(body, "error", report.error, true); },
                  [&] { return read(body, "log_tail", report.log_tail, false, k_max_log); });
    if (!ok) return ok.error();
    return report;
}

}  // namespace spotfarm::manager

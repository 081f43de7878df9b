#include "cli/preview/job_media_client.h"

#include <optional>
#include <thread>

#include "cli/client/api_client.h"
#include "util/atomic_file.h"

namespace spotfarm::cli {

using nlohmann::json;

util::Result<JobMedia> job_media(ApiClient& api, std::int64_t job) {
    // Sent here rather than through api.get, so that a 404 (no such job, or a manager that makes
    // no media) stays apart from other refusals.
    util::HttpRequest request;
    request.url = api.config().manager_url + "/api/v1/jobs/" + std::to_string(job) + "/preview";
    request.headers.emplace_back("Authorization", "Bearer " + api.config().token);
    auto sent = api.http().send(request);
    if (!sent) return sent.error();
    if (sent->status != 200) {
        return util::make_error(
            "the manager at " + api.config().manager_url +
                " refused: " + api_error_message(sent->status, sent->body),
            sent->status == 404 ? util::ErrorKind::not_found : util::ErrorKind::failed);
    }
    auto answer = std::optional<json>(json::parse(sent->body, nullptr, false));
    if (answer->is_discarded() || !answer->is_object()) {
        return util::make_error("the manager's answer about the preview is not a JSON object");
    }
    try {
        JobMedia m;
        m.state = answer->value("state", "none");
        m.busy = answer->value("busy", false);
        for (const auto& f : answer->value("files", json::array())) {
            m.files.push_back(f.value("name", ""));
        }
        m.error = answer->value("error", "");
        m.note = answer->value("note", "");
        if (answer->contains("video") && (*answer)["video"].is_object()) {
            m.video = (*answer)["video"].value("name", "");
            m.video_size = (*answer)["video"].value("size", std::int64_t{-1});
        }
        return m;
    } catch (const json::exception& e) {
        return util::make_error(std::string("the manager's answer about the preview cannot be "
                                            "read: ") +
                                e.what());
    }
}

util::Result<JobMedia> wait_for_job_media(ApiClient& api, std::int64_t job,
                                          const std::function<void(const JobMedia&, double)>& tick,
                                          std::chrono::milliseconds interval,
                                          const std::function<bool()>& stop) {
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        auto media = job_media(api, job);
        if (!media) return media;
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (tick) tick(*media, seconds);
        if (!media->busy && media->state != "making") return media;
        if (stop && stop()) {
            return util::make_error("stopped while the manager was making the media",
                                    util::ErrorKind::interrupted);
        }
        std::this_thread::sleep_for(interval);
    }
}

util::Result<std::int64_t> download_job_file(ApiClient& api, const std::string& path,
                                             const std::filesystem::path& dest) {
    util::HttpRequest request;
    request.url = api.config().manager_url + "/api/v1" + path;
    request.headers.emplace_back("Authorization", "Bearer " + api.config().token);
    request.timeout = std::chrono::minutes(10);
    auto answer = api.http().send(request);
    if (!answer) return answer.error();
    if (answer->status != 200) {
        return util::make_error(
            api_error_message(answer->status, answer->body),
            answer->status == 404 ? util::ErrorKind::not_found : util::ErrorKind::failed);
    }
    std::error_code ec;
    std::filesystem::create_directories(dest.parent_path(), ec);
    if (auto written =
            util::write_file_atomic(dest, answer->body, 0644, util::Durability::process_crash);
        !written) {
        return written.error();
    }
    return static_cast<std::int64_t>(answer->body.size());
}

}  // namespace spotfarm::cli

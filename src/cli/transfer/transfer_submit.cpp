#include "cli/transfer/transfer_submit.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/transfer/tree_builder.h"
#include "util/file_hash.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr std::size_t k_head_bytes = 1 << 20;

}  // namespace

util::Result<std::pair<std::string, std::int64_t>> head_digest(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (!in || ec) {
        return util::make_error("cannot read " + path.string(), util::ErrorKind::invalid);
    }
    std::string head(k_head_bytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    util::Sha256 sha;
    sha.update(head);
    return std::pair{sha.hex_digest(), static_cast<std::int64_t>(size)};
}

util::Result<StorageMode> choose_storage_mode(ApiClient& api, bool transfer, bool shared,
                                              const fs::path& scene) {
    if (transfer && shared) {
        return util::make_error("--transfer and --shared exclude each other; give one",
                                util::ErrorKind::invalid);
    }
    if (transfer) return StorageMode::transfer;
    if (shared) return StorageMode::shared;
    auto head = head_digest(scene);
    if (!head) return head.error();
    util::HttpRequest request;
    request.method = "POST";
    request.url = api.config().manager_url + "/api/v1/paths/check";
    request.headers.emplace_back("Authorization", "Bearer " + api.config().token);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body =
        json{{"path", scene.string()}, {"size", head->second}, {"head_sha256", head->first}}.dump();
    auto response = api.http().send(request);
    if (!response) {
        return util::make_error("cannot reach the manager at " + api.config().manager_url + ": " +
                                    response.error().message,
                                util::ErrorKind::unavailable);
    }
    // A manager from before transfer mode knows only shared storage.
    if (response->status == 404 || response->status == 405) return StorageMode::shared;
    if (response->status != 200) {
        return util::make_error("the manager refused POST /paths/check: " +
                                api_error_message(response->status, response->body));
    }
    const json answer = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (!answer.is_object() || !answer.contains("visible") || !answer["visible"].is_boolean()) {
        return util::make_error("the manager's answer to POST /paths/check has no \"visible\": " +
                                response->body.substr(0, 200));
    }
    return answer["visible"].get<bool>() ? StorageMode::shared : StorageMode::transfer;
}

util::Result<PreparedTransfer> prepare_transfer(ApiClient& api, protocol::JobSubmission& job,
                                                const DependencyLister& list,
                                                const TransferSubmitOptions& options) {
    const fs::path scene = job.settings.scene;
    const fs::path output = job.settings.output.value_or("");
    if (output.filename().empty()) {
        return util::make_error("-o must name the frames' file pattern, e.g. renders/frame_####",
                                util::ErrorKind::invalid);
    }
    auto dependencies = list(scene);
    if (!dependencies) return dependencies.error();
    auto built = build_tree({.scene = scene,
                             .dependencies = std::move(dependencies).value(),
                             .includes = options.includes,
                             .allow_missing = options.allow_missing});
    if (!built) return built.error();

    UploadOptions upload;
    upload.sender.manager_url = api.config().manager_url;
    upload.sender.token = api.config().token;
    upload.connections = options.connections;
    upload.progress = options.progress;
    util::ThreadSleeper sleeper;
    auto report = upload_tree(api.http(), sleeper, *built, upload);
    if (!report) return report.error();

    PreparedTransfer prepared;
    prepared.upload = *report;
    prepared.local_output = output.parent_path();
    prepared.files = built->files.size();
    prepared.missing = built->missing;
    job.settings.tree = report->tree_hash;
    job.settings.scene = built->scene_path;
    job.settings.output = output.filename().string();
    return prepared;
}

}  // namespace spotfarm::cli

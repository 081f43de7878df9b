#include "manager/routes/job_trees.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "protocol/protocol.h"
#include "protocol/transfer.h"

namespace spotfarm::manager::routes {
namespace {

// Hashes named in a blobs_missing answer; the count says how many there are in all.
constexpr std::size_t k_missing_shown = 20;

http::Response blobs_missing(const std::vector<std::string>& missing, std::size_t count) {
    nlohmann::json shown = nlohmann::json::array();
    for (std::size_t i = 0; i < missing.size() && i < k_missing_shown; ++i) {
        shown.push_back(missing[i]);
    }
    return http::Response::json(
        {{"error", std::to_string(count) +
                       " blob(s) of the job are not on the manager, the first " + missing.front() +
                       ": upload them (POST /api/v1/blobs/missing says which) and submit again"},
         {"code", "blobs_missing"},
         {"missing_count", count},
         {"missing", std::move(shown)}},
        409);
}

util::Result<protocol::Tree> read_tree(const BlobStore& blobs, const std::string& hash) {
    auto bytes = blobs.read(hash, 0, std::numeric_limits<std::int64_t>::max());
    if (!bytes) return bytes.error();
    return protocol::parse_tree_blob(*bytes);
}

BlobSet blob_set(const std::string& tree_hash, const protocol::Tree& tree) {
    auto set = std::make_shared<std::unordered_set<std::string>>();
    set->reserve(tree.files.size() + 1);
    set->insert(tree_hash);
    for (const protocol::TreeFile& file : tree.files) set->insert(file.hash);
    return set;
}

}  // namespace

const core::JobSettings& settings_of(ApiContext& ctx, const core::Job& job) {
    auto it = ctx.job_settings.find(job.id);
    if (it != ctx.job_settings.end()) return it->second;
    // Not parsed since this manager started: read what was submitted.
    core::JobSettings settings;
    auto text = nlohmann::json::parse(job.settings, nullptr, false);
    if (!text.is_discarded()) {
        if (auto parsed = protocol::from_json<core::JobSettings>(text)) {
            settings = std::move(*parsed);
        }
    }
    return ctx.job_settings.emplace(job.id, std::move(settings)).first->second;
}

BlobSet blobs_of(ApiContext& ctx, const core::Job& job) {
    if (auto it = ctx.job_blobs.find(job.id); it != ctx.job_blobs.end()) return it->second;
    const core::JobSettings& settings = settings_of(ctx, job);
    BlobSet set = std::make_shared<const std::unordered_set<std::string>>();
    if (settings.tree && ctx.blobs) {
        // Checked when the job was submitted; a tree that cannot be read now lends nothing.
        if (auto tree = read_tree(*ctx.blobs, *settings.tree))
            set = blob_set(*settings.tree, *tree);
    }
    return ctx.job_blobs.emplace(job.id, std::move(set)).first->second;
}

bool worker_may_read(ApiContext& ctx, core::WorkerId worker, const std::string& hash) {
    const core::Worker* w = ctx.farm.scheduler().find_worker(worker);
    if (w == nullptr) return false;
    for (core::TaskId id : w->tasks) {
        const core::Task* task = ctx.farm.scheduler().find_task(id);
        if (task == nullptr) continue;
        const core::Job* job = ctx.farm.scheduler().find_job(task->job);
        if (job != nullptr && blobs_of(ctx, *job)->contains(hash)) return true;
    }
    return false;
}

TreeCheck check_tree(const BlobStore& blobs, const core::JobSettings& settings) {
    const std::string& tree_hash = *settings.tree;
    if (!blobs.has(tree_hash)) return {blobs_missing({tree_hash}, 1), nullptr};
    auto tree = read_tree(blobs, tree_hash);
    if (!tree) {
        return {http::error_response(
                    400, "invalid_tree",
                    "the job's tree " + tree_hash + " is not a tree: " + tree.error().message),
                nullptr};
    }
    std::vector<std::string> missing;
    std::unordered_set<std::string_view> seen;
    for (const protocol::TreeFile& file : tree->files) {
        if (seen.insert(file.hash).second && !blobs.has(file.hash)) missing.push_back(file.hash);
    }
    if (!missing.empty()) return {blobs_missing(missing, missing.size()), nullptr};
    const bool scene_in_tree =
        std::any_of(tree->files.begin(), tree->files.end(),
                    [&](const protocol::TreeFile& f) { return f.path == settings.scene; });
    if (!scene_in_tree) {
        return {http::error_response(400, "scene_not_in_tree",
                                     "the scene '" + settings.scene +
                                         "' is not a file of the job's tree: give its path "
                                         "inside the tree, such as 'shot.blend'"),
                nullptr};
    }
    const std::string output = settings.output.value_or("");
    if (auto ok = protocol::check_tree_path(output); !ok) {
        return {http::error_response(400, "invalid_output",
                                     "the output '" + output +
                                         "' is not a pattern inside the job's output store (" +
                                         ok.error().message + "): give one such as frame_####"),
                nullptr};
    }
    return {std::nullopt, blob_set(tree_hash, *tree)};
}

}  // namespace spotfarm::manager::routes

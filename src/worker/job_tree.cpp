#include "worker/job_tree.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "worker/blob_fetch.h"

namespace spotfarm::worker {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_job_prefix = "job-";

fs::path job_root(const fs::path& work_dir, std::int64_t job_id) {
    return work_dir / (std::string(k_job_prefix) + std::to_string(job_id));
}

util::Result<std::string> read_whole(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        return util::make_error("cannot read " + path.string(), util::ErrorKind::storage);
    }
    return bytes.str();
}

// Hard link, or a copy where a link cannot be made (another file system, no link support).
util::Status link_or_copy(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_hard_link(from, to, ec);
    if (!ec) return {};
    std::error_code copy_ec;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, copy_ec);
    if (!copy_ec) return {};
    const bool full = copy_ec == std::errc::no_space_on_device;
    return util::make_error(
        "cannot link or copy " + from.string() + " to " + to.string() + ": " + copy_ec.message(),
        full ? util::ErrorKind::storage : util::ErrorKind::failed);
}

}  // namespace

JobTrees::JobTrees(BlobCache& cache, fs::path work_dir)
    : m_cache(cache), m_work_dir(std::move(work_dir)) {}

util::Status JobTrees::remove_stale() {
    std::error_code ec;
    fs::create_directories(m_work_dir, ec);
    if (ec) {
        return util::make_error(
            "cannot create the work folder " + m_work_dir.string() + ": " + ec.message(),
            util::ErrorKind::storage);
    }
    for (const auto& entry : fs::directory_iterator(m_work_dir, ec)) {
        if (entry.path().filename().string().rfind(k_job_prefix, 0) != 0) continue;
        std::error_code remove_ec;
        fs::remove_all(entry.path(), remove_ec);
        if (remove_ec) {
            spdlog::warn("cannot remove the stale job folder {}: {}", entry.path().string(),
                         remove_ec.message());
        }
    }
    m_jobs.clear();
    return {};
}

util::Result<const PreparedJob*> JobTrees::prepare(std::int64_t job_id,
                                                   const std::string& tree_hash,
                                                   const FetchContext& fetch) {
    if (auto it = m_jobs.find(job_id); it != m_jobs.end() && it->second.tree_hash == tree_hash) {
        return &it->second;
    }
    // Another job's folder is not needed any more: one job's files on disk at a time.
    std::vector<std::int64_t> others;
    for (const auto& [id, job] : m_jobs) others.push_back(id);
    for (std::int64_t id : others) remove(id);

    PreparedJob job;
    job.job_id = job_id;
    job.tree_hash = tree_hash;
    job.root = job_root(m_work_dir, job_id);
    job.tree_dir = job.root / "tree";
    job.out_dir = job.root / "out";
    std::error_code ec;
    fs::remove_all(job.root, ec);  // a layout cut short earlier

    // The tree blob itself: in the cache like any other, so the job's second task needs nothing.
    if (!m_cache.take(tree_hash, -1)) {
        if (auto got = fetch_blobs(m_cache, job_id, {protocol::TreeFile{"", tree_hash, -1}}, fetch);
            !got) {
            return got.error();
        }
    }
    auto bytes = read_whole(m_cache.path_of(tree_hash));
    if (!bytes) return bytes.error();
    auto tree = protocol::parse_tree_blob(*bytes);
    if (!tree) {
        m_cache.remove(tree_hash);
        return util::make_error(fmt::format("the tree of job {} (blob {}) cannot be read: {}",
                                            job_id, tree_hash, tree.error().message),
                                util::ErrorKind::invalid);
    }
    job.tree = std::move(tree).value();

    std::set<std::string> needed{tree_hash};
    std::set<std::string> queued;
    std::vector<protocol::TreeFile> missing;
    std::int64_t incoming = 0;
    for (const auto& file : job.tree.files) {
        needed.insert(file.hash);
        if (queued.count(file.hash) || m_cache.take(file.hash, file.size)) continue;
        queued.insert(file.hash);
        missing.push_back(file);
        incoming += std::max<std::int64_t>(0, file.size - m_cache.partial_bytes(file.hash));
    }
    if (auto room = m_cache.make_room(incoming, needed); !room) {
        return util::make_error(fmt::format("job {}: {}", job_id, room.error().message),
                                room.error().kind);
    }
    if (!missing.empty()) {
        spdlog::info("job {}: fetching {} of {} files ({})", job_id, missing.size(),
                     job.tree.files.size(), format_bytes(incoming));
    }
    if (auto got = fetch_blobs(m_cache, job_id, std::move(missing), fetch); !got)
        return got.error();

    for (const auto& [written, in_tree] : job.tree.remap) {
        job.path_remap[written] = (job.tree_dir / in_tree).string();
    }
    if (auto laid = lay_out(job); !laid) {
        fs::remove_all(job.root, ec);
        return laid.error();
    }
    auto [it, inserted] = m_jobs.insert_or_assign(job_id, std::move(job));
    return &it->second;
}

util::Status JobTrees::lay_out(const PreparedJob& job) {
    std::error_code ec;
    fs::create_directories(job.out_dir, ec);
    if (!ec) fs::create_directories(job.tree_dir, ec);
    if (ec) {
        return util::make_error(
            "cannot create the job folder " + job.root.string() + ": " + ec.message(),
            util::ErrorKind::storage);
    }
    for (const auto& file : job.tree.files) {
        const fs::path dest = job.tree_dir / fs::path(file.path);
        fs::create_directories(dest.parent_path(), ec);
        if (ec) {
            return util::make_error(
                "cannot create " + dest.parent_path().string() + ": " + ec.message(),
                util::ErrorKind::storage);
        }
        if (auto placed = link_or_copy(m_cache.path_of(file.hash), dest); !placed) {
            std::string message = fmt::format("job {}: cannot lay out {} (blob {}): {}", job.job_id,
                                              file.path, file.hash, placed.error().message);
            if (placed.error().kind == util::ErrorKind::storage) {
                message += "; " + m_cache.describe() + ": lower --cache-size or free space on " +
                           "that disk";
            }
            return util::make_error(std::move(message), placed.error().kind);
        }
    }
    return {};
}

std::vector<std::string> JobTrees::verify(std::int64_t job_id) {
    std::vector<std::string> damaged;
    auto it = m_jobs.find(job_id);
    if (it == m_jobs.end()) return damaged;
    std::map<std::string, bool> intact;
    for (const auto& file : it->second.tree.files) {
        auto [seen, inserted] = intact.try_emplace(file.hash, true);
        if (inserted) seen->second = m_cache.verify(file.hash);
        if (!seen->second) damaged.push_back(file.path);
    }
    if (!damaged.empty()) remove(job_id);
    return damaged;
}

void JobTrees::remove(std::int64_t job_id) {
    std::error_code ec;
    fs::remove_all(job_root(m_work_dir, job_id), ec);
    if (ec) spdlog::warn("cannot remove the folder of job {}: {}", job_id, ec.message());
    m_jobs.erase(job_id);
}

void JobTrees::remove_all() {
    std::vector<std::int64_t> ids;
    for (const auto& [id, job] : m_jobs) ids.push_back(id);
    for (std::int64_t id : ids) remove(id);
}

util::Result<RenderJob> render_job_in(const PreparedJob& job, const core::JobSettings& settings) {
    const bool in_tree = std::any_of(job.tree.files.begin(), job.tree.files.end(),
                                     [&](const auto& f) { return f.path == settings.scene; });
    if (!in_tree) {
        return util::make_error(
            fmt::format("the scene {} is not a file of job {}'s tree", settings.scene, job.job_id),
            util::ErrorKind::invalid);
    }
    if (!settings.output || settings.output->empty() || fs::path(*settings.output).is_absolute()) {
        return util::make_error(
            fmt::format("job {} is in transfer mode but its output {} is not a relative pattern",
                        job.job_id, settings.output.value_or("(none)")),
            util::ErrorKind::invalid);
    }
    if (auto checked = protocol::check_tree_path(*settings.output); !checked) {
        return util::make_error(fmt::format("job {}: output {}: {}", job.job_id, *settings.output,
                                            checked.error().message),
                                util::ErrorKind::invalid);
    }
    RenderJob local{settings, job.path_remap};
    local.settings.scene = (job.tree_dir / fs::path(settings.scene)).string();
    local.settings.output = (job.out_dir / fs::path(*settings.output)).string();
    return local;
}

}  // namespace spotfarm::worker

#pragma once
// A transfer job's folder on this worker (docs/transfer.md): `<work>/job-<id>/tree/` holds the
// job's tree laid out with hard links into the blob cache (copies where a link cannot be made),
// `<work>/job-<id>/out/` the frames Blender writes until the manager has them. Laid out once per
// job and reused for its later tasks; removed when a task of another job comes, when the worker
// leaves, and at start-up for jobs an earlier run left behind.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/job_settings.h"
#include "protocol/transfer.h"
#include "util/result.h"
#include "worker/blob_cache.h"
#include "worker/blob_fetch.h"
#include "worker/frame_renderer.h"
#include "worker/manager_api.h"

namespace spotfarm::worker {

struct PreparedJob {
    std::int64_t job_id = 0;
    std::string tree_hash;
    protocol::Tree tree;
    std::filesystem::path root;      // <work>/job-<id>
    std::filesystem::path tree_dir;  // root/tree
    std::filesystem::path out_dir;   // root/out
    // The tree's remap with each value made absolute under tree_dir.
    std::map<std::string, std::string> path_remap;
};

class JobTrees {
public:
    JobTrees(BlobCache& cache, std::filesystem::path work_dir);

    const std::filesystem::path& work_dir() const { return m_work_dir; }
    BlobCache& cache() { return m_cache; }
    // Removes every job folder under work_dir: left by an earlier run, none is in use.
    util::Status remove_stale();
    // Job `job_id`'s tree laid out: fetched (the tree blob, then the blobs the cache lacks) and
    // linked the first time, the same folder afterwards. Errors say which file and blob failed
    // and what to do; kind interrupted when keep_going said stop.
    util::Result<const PreparedJob*> prepare(std::int64_t job_id, const std::string& tree_hash,
                                             const FetchContext& fetch);
    // After a render of the job failed: reads its blobs again and removes those whose bytes no
    // longer match (the layout too, so the next task fetches them anew). The tree paths of the
    // damaged files; empty when all were intact.
    std::vector<std::string> verify(std::int64_t job_id);
    void remove(std::int64_t job_id);
    void remove_all();

private:
    util::Status lay_out(const PreparedJob& job);

    BlobCache& m_cache;
    std::filesystem::path m_work_dir;
    std::map<std::int64_t, PreparedJob> m_jobs;
};

// The job as Blender renders it here: scene = tree/<settings.scene>, output =
// out/<settings.output>, the remap of the tree. An Error when the scene is not a file of the tree
// or the output is not a relative pattern.
util::Result<RenderJob> render_job_in(const PreparedJob& job, const core::JobSettings& settings);

}  // namespace spotfarm::worker

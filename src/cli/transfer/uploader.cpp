#include "cli/transfer/uploader.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "cli/transfer/byte_text.h"
#include "util/file_hash.h"

namespace spotfarm::cli {

namespace {

// Each distinct blob once: two paths with the same bytes are one blob.
std::vector<UploadBlob> blobs_of(const BuiltTree& tree) {
    std::vector<UploadBlob> blobs;
    std::set<std::string> seen;
    for (const auto& f : tree.files) {
        if (!seen.insert(f.hash).second) continue;
        blobs.push_back({f.hash, f.size, f.source, {}, f.source.string()});
    }
    return blobs;
}

// Runs `work` over the items on `connections` threads; the first error stops the rest.
util::Status run_parallel(const std::vector<UploadWork>& items, int connections,
                          const std::function<util::Status(const UploadWork&)>& work) {
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::optional<util::Error> first_error;
    auto loop = [&] {
        for (std::size_t i = next++; i < items.size(); i = next++) {
            if (auto ok = work(items[i]); !ok) {
                std::lock_guard lock(mutex);
                if (!first_error) first_error = ok.error();
                next = items.size();
                return;
            }
        }
    };
    const auto threads = std::clamp<std::size_t>(items.size(), 1, std::max(1, connections));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(loop);
    loop();
    for (auto& thread : pool) thread.join();
    if (first_error) return *first_error;
    return {};
}

}  // namespace

util::Result<UploadReport> upload_tree(util::HttpClient& http, util::Sleeper& sleeper,
                                       const BuiltTree& tree, const UploadOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    UploadBlob tree_blob;
    tree_blob.data = protocol::to_tree_blob(tree.tree);
    tree_blob.size = static_cast<std::int64_t>(tree_blob.data.size());
    tree_blob.label = "the job's file list";
    util::Sha256 digest;
    digest.update(tree_blob.data);
    tree_blob.hash = digest.hex_digest();
    UploadReport report;
    report.tree_hash = tree_blob.hash;
    const std::vector<UploadBlob> files = blobs_of(tree);
    const std::vector<UploadBlob> last = {std::move(tree_blob)};

    BlobSender sender(http, sleeper, options.sender);
    std::vector<std::string> hashes;
    hashes.reserve(files.size() + 1);
    for (const auto& b : files) hashes.push_back(b.hash);
    hashes.push_back(report.tree_hash);
    auto missing = sender.missing(hashes);
    if (!missing) return missing.error();

    const UploadPlan plan = plan_upload(files, *missing, options.limits);
    // The tree blob goes last, once everything it lists is there.
    const UploadPlan tree_plan = plan_upload(last, *missing, options.limits);

    std::atomic<std::int64_t> sent{0};
    std::mutex progress_mutex;
    const std::int64_t total = plan.bytes_to_send + tree_plan.bytes_to_send;
    auto run = [&](const std::vector<UploadBlob>& source, const UploadWork& w) -> util::Status {
        util::Status ok;
        if (w.batch.empty()) {
            ok = sender.send_chunked(source[w.blob], w.offset, options.limits.chunk_bytes, sent);
        } else {
            std::vector<const UploadBlob*> batch;
            for (std::size_t i : w.batch) batch.push_back(&source[i]);
            ok = sender.send_batch(batch, sent);
        }
        if (ok && options.progress) {
            std::lock_guard lock(progress_mutex);
            options.progress({sent.load(), total});
        }
        return ok;
    };
    if (auto ok = run_parallel(plan.work, options.connections,
                               [&](const UploadWork& w) { return run(files, w); });
        !ok) {
        return ok.error();
    }
    for (const auto& w : tree_plan.work) {
        if (auto ok = run(last, w); !ok) return ok.error();
    }
    report.bytes_sent = sent.load();
    report.bytes_skipped = plan.bytes_skipped + tree_plan.bytes_skipped;
    report.files_sent = plan.blobs_to_send + tree_plan.blobs_to_send;
    report.files_skipped = plan.blobs_skipped + tree_plan.blobs_skipped;
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

std::string upload_summary(const UploadReport& report) {
    return fmt::format(
        "{} sent ({} blob{}), {} already on the manager ({} blob{}) in {:.1f} s ({})",
        byte_text(report.bytes_sent), report.files_sent, report.files_sent == 1 ? "" : "s",
        byte_text(report.bytes_skipped), report.files_skipped, report.files_skipped == 1 ? "" : "s",
        report.seconds, rate_text(report.bytes_sent, report.seconds));
}

}  // namespace spotfarm::cli

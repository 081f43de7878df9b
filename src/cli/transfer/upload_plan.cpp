#include "cli/transfer/upload_plan.h"

#include <set>

namespace spotfarm::cli {

UploadPlan plan_upload(const std::vector<UploadBlob>& blobs, const protocol::MissingAnswer& missing,
                       const UploadLimits& limits) {
    const std::set<std::string> lacking(missing.missing.begin(), missing.missing.end());
    UploadPlan plan;
    std::vector<UploadWork> batches;
    UploadWork batch;
    std::int64_t batch_bytes = 0;
    auto close_batch = [&] {
        if (!batch.batch.empty()) batches.push_back(std::move(batch));
        batch = {};
        batch_bytes = 0;
    };
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        const UploadBlob& blob = blobs[i];
        if (!lacking.contains(blob.hash)) {
            plan.bytes_skipped += blob.size;
            ++plan.blobs_skipped;
            continue;
        }
        ++plan.blobs_to_send;
        if (blob.size > limits.small_file_bytes) {
            std::int64_t offset = 0;
            if (auto it = missing.partial.find(blob.hash); it != missing.partial.end()) {
                if (it->second > 0 && it->second < blob.size) offset = it->second;
            }
            plan.bytes_skipped += offset;
            plan.bytes_to_send += blob.size - offset;
            plan.work.push_back({.batch = {}, .blob = i, .offset = offset});
            continue;
        }
        if (!batch.batch.empty() && (batch_bytes + blob.size > limits.batch_bytes ||
                                     batch.batch.size() >= limits.batch_files)) {
            close_batch();
        }
        batch.batch.push_back(i);
        batch_bytes += blob.size;
        plan.bytes_to_send += blob.size;
    }
    close_batch();
    for (auto& b : batches) plan.work.push_back(std::move(b));
    return plan;
}

}  // namespace spotfarm::cli

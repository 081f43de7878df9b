// The Farm's record of the frames of transfer jobs that the manager's output store holds.
#include "manager/farm.h"

namespace spotfarm::manager {

util::Status Farm::record_frame_file(const store::FrameFileRow& row) {
    return write_batched([&] { return m_store->put_frame_file(row); });
}

util::Result<std::vector<store::FrameFileRow>> Farm::frame_files(core::JobId job) {
    return m_store->frame_files(job);
}

util::Result<std::optional<store::FrameFileRow>> Farm::frame_file(core::JobId job, int frame) {
    return m_store->frame_file(job, frame);
}

}  // namespace spotfarm::manager

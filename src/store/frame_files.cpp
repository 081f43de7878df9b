// The frame_files table: the frames of transfer jobs that the manager holds.
#include <SQLiteCpp/Statement.h>

#include "store/connection.h"
#include "store/store.h"

namespace spotfarm::store {
namespace {

util::Error frame_files_error(const std::string& what, const std::exception& e) {
    return util::make_error("cannot " + what + " in the state database: " + e.what() +
                                "; check the disk of the manager's state folder",
                            util::ErrorKind::storage);
}

FrameFileRow read_row(SQLite::Statement& q) {
    return FrameFileRow{.job = core::JobId(q.getColumn(0).getInt64()),
                        .frame = q.getColumn(1).getInt(),
                        .task = core::TaskId(q.getColumn(2).getInt64()),
                        .name = q.getColumn(3).getString(),
                        .size = q.getColumn(4).getInt64(),
                        .sha256 = q.getColumn(5).getString()};
}

constexpr const char* k_columns =
    "SELECT job_id, frame, task_id, name, size, sha256 FROM frame_files";

}  // namespace

util::Status Store::put_frame_file(const FrameFileRow& row) {
    try {
        SQLite::Statement& s = m_c->put_frame_file;
        s.reset();
        s.bind(1, row.job.value);
        s.bind(2, row.frame);
        s.bind(3, row.task.value);
        s.bind(4, row.name);
        s.bind(5, row.size);
        s.bind(6, row.sha256);
        s.exec();
        return {};
    } catch (const std::exception& e) {
        return frame_files_error(
            "record frame " + std::to_string(row.frame) + " of job " + row.job.to_string(), e);
    }
}

util::Result<std::vector<FrameFileRow>> Store::frame_files(core::JobId job) {
    try {
        SQLite::Statement q(m_c->db, std::string(k_columns) + " WHERE job_id=? ORDER BY frame");
        q.bind(1, job.value);
        std::vector<FrameFileRow> rows;
        while (q.executeStep()) rows.push_back(read_row(q));
        return rows;
    } catch (const std::exception& e) {
        return frame_files_error("read the frames of job " + job.to_string(), e);
    }
}

util::Result<std::optional<FrameFileRow>> Store::frame_file(core::JobId job, int frame) {
    try {
        SQLite::Statement q(m_c->db, std::string(k_columns) + " WHERE job_id=? AND frame=?");
        q.bind(1, job.value);
        q.bind(2, frame);
        if (!q.executeStep()) return std::optional<FrameFileRow>();
        return std::optional<FrameFileRow>(read_row(q));
    } catch (const std::exception& e) {
        return frame_files_error(
            "read frame " + std::to_string(frame) + " of job " + job.to_string(), e);
    }
}

}  // namespace spotfarm::store

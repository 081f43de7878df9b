#pragma once
// The frame routes of a manager (GET /jobs/{id}/frames[/{frame}], Range honoured as the manager
// does) and GET /jobs/{id}, in memory, for the sync tests.

#include <map>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/job_summary.h"
#include "protocol/transfer.h"
#include "support/fake_http_client.h"
#include "util/file_hash.h"

namespace spotfarm::testing {

class FakeFrameStore {
public:
    std::int64_t job = 7;
    std::map<int, std::pair<std::string, std::string>> frames;  // frame -> name, bytes
    std::set<int> broken;                                       // frames answered with 500
    core::JobStatus status = core::JobStatus::active;
    bool ignore_range = false;

    void add(int frame, const std::string& name, const std::string& bytes) {
        std::lock_guard lock(m_mutex);
        frames[frame] = {name, bytes};
    }

    util::Result<util::HttpResponse> handle(const util::HttpRequest& r) {
        std::lock_guard lock(m_mutex);
        const std::string path = r.url.substr(r.url.find("/api/v1") + 7);
        const std::string prefix = "/jobs/" + std::to_string(job);
        if (path == prefix + "/frames") return list();
        if (path == prefix) {
            protocol::JobDetail detail;
            detail.summary.id = job;
            detail.summary.status = status;
            detail.summary.frames = "1-3";
            return http_response(200, protocol::to_json(detail).dump());
        }
        if (path.starts_with(prefix + "/frames/")) {
            const int frame = std::stoi(path.substr(prefix.size() + 8));
            return bytes_of(r, frame);
        }
        return http_response(404, R"({"error":"no such job","code":"not_found"})");
    }

    static std::string sha(std::string_view bytes) {
        util::Sha256 s;
        s.update(bytes);
        return s.hex_digest();
    }

private:
    util::HttpResponse list() {
        protocol::FrameFiles files;
        for (const auto& [frame, file] : frames) {
            files.frames.push_back({frame, file.first,
                                    static_cast<std::int64_t>(file.second.size()),
                                    sha(file.second)});
        }
        return http_response(200, protocol::to_json(files).dump());
    }

    util::HttpResponse bytes_of(const util::HttpRequest& r, int frame) {
        if (broken.contains(frame)) {
            return http_response(500, R"({"error":"disk read failed","code":"internal"})");
        }
        auto it = frames.find(frame);
        if (it == frames.end()) return http_response(404, R"({"error":"no","code":"not_found"})");
        const std::string& bytes = it->second.second;
        const std::string range = header_value(r, "Range");
        if (range.empty() || ignore_range) return http_response(200, bytes);
        const auto dash = range.find('-');
        const auto from = std::stoull(range.substr(6, dash - 6));
        const auto to = std::stoull(range.substr(dash + 1));
        if (from >= bytes.size()) return http_response(416);
        return http_response(
            206, bytes.substr(from, std::min<std::size_t>(to + 1, bytes.size()) - from));
    }

    std::mutex m_mutex;
};

}  // namespace spotfarm::testing

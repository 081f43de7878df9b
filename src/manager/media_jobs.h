#pragma once
// The manager's media work: when a job completes (or a person asks), the scene's own video is
// encoded from the frames and the previews (MP4, WebM, contact sheet) are made, one job at a time
// on a thread of its own, so ffmpeg never holds the io thread. What each job's media came to is
// kept in STATE/previews/job-N/media.json and outlives a restart. docs/media.md.

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "core/video_output.h"
#include "media/frame_sequence.h"

namespace spotfarm::manager {

// What to make for one job, gathered on the io thread from the farm.
struct MediaWork {
    core::JobId job;
    std::vector<int> frames;                 // the job's frames, in order
    std::vector<media::FrameFile> files;     // transfer mode: where each frame is
    std::string pattern;                     // shared mode: the output pattern, probed on disk
    std::optional<core::VideoOutput> video;  // encode the scene's video to `video_output`
    std::filesystem::path video_output;
    bool preview = false;    // make the previews under STATE/previews/job-N/
    std::string frame_rate;  // media::frame_rate_text of the scene's rate
};

enum class MediaState { none, making, ready, failed };
std::string_view to_string(MediaState state);

// The previews of a job as GET /jobs/{id}/preview tells them.
struct PreviewStatus {
    MediaState state = MediaState::none;
    std::vector<std::string> files;  // file names under the job's preview folder, when ready
    std::string error;               // when failed
    std::string note;                // gaps in the frames, when there were any
};

class MediaJobs {
public:
    // `root` is STATE/previews (made when first needed).
    explicit MediaJobs(std::filesystem::path root);
    // Lets the running ffmpeg finish, drops what is queued (it is asked again on demand).
    ~MediaJobs();
    MediaJobs(const MediaJobs&) = delete;
    MediaJobs& operator=(const MediaJobs&) = delete;

    // Queues the work; a job already queued or in the making is not queued twice. Thread-safe.
    // Returns false when it was already queued.
    bool enqueue(MediaWork work);
    PreviewStatus preview(core::JobId job) const;
    // Problems with the job's video (ffmpeg's message) and gap notes, for the job's warnings.
    std::vector<std::string> warnings(core::JobId job) const;
    // The job's preview folder: root/job-N.
    std::filesystem::path folder(core::JobId job) const;
    // Forgets the job and removes its folder (the job was deleted).
    void erase(core::JobId job);
    // Whether work for the job is queued or running.
    bool busy(core::JobId job) const;
    // Jobs done since start, for /metrics.
    std::uint64_t made() const;
    // Called on the media thread each time a job's work ended (made or failed), so the
    // dashboard can say so; post to the io thread from it. Thread-safe.
    void on_finished(std::function<void(core::JobId)> callback);

private:
    struct Record {
        PreviewStatus preview;
        std::vector<std::string> warnings;
    };
    void loop();
    void run(const MediaWork& work);
    Record load(core::JobId job) const;  // from media.json; needs m_mutex
    void save(core::JobId job, const Record& record) const;

    std::filesystem::path m_root;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<MediaWork> m_queue;
    mutable std::map<core::JobId, Record> m_records;
    std::uint64_t m_made = 0;
    std::optional<core::JobId> m_running;
    bool m_stopping = false;
    std::function<void(core::JobId)> m_on_finished;
    std::thread m_thread;  // last: starts once the members above exist
};

}  // namespace spotfarm::manager

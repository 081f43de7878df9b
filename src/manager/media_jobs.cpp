#include "manager/media_jobs.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "media/encode.h"
#include "media/movie_path.h"
#include "util/atomic_file.h"
#include "util/text_file.h"

namespace spotfarm::manager {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* k_record_file = "media.json";

// What a worker may have written a frame as (blender::extension_for_format).
constexpr const char* k_frame_extensions[] = {".png", ".jpg", ".exr", ".tif"};

std::optional<MediaState> parse_state(const std::string& text) {
    for (MediaState s :
         {MediaState::none, MediaState::making, MediaState::ready, MediaState::failed}) {
        if (to_string(s) == text) return s;
    }
    return std::nullopt;
}

// Shared mode: the frames' files where the workers wrote them.
std::vector<media::FrameFile> frames_on_disk(const std::string& pattern,
                                             const std::vector<int>& frames) {
    std::vector<media::FrameFile> files;
    for (int frame : frames) {
        for (const char* ext : k_frame_extensions) {
            fs::path path = media::frame_file_path(pattern, frame, ext);
            std::error_code ec;
            if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) > 0 && !ec) {
                files.push_back({frame, path});
                break;
            }
        }
    }
    return files;
}

}  // namespace

std::string_view to_string(MediaState state) {
    switch (state) {
        case MediaState::making:
            return "making";
        case MediaState::ready:
            return "ready";
        case MediaState::failed:
            return "failed";
        case MediaState::none:
            break;
    }
    return "none";
}

MediaJobs::MediaJobs(fs::path root) : m_root(std::move(root)), m_thread([this] { loop(); }) {}

MediaJobs::~MediaJobs() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_queue.clear();
    }
    m_wake.notify_all();
    m_thread.join();
}

fs::path MediaJobs::folder(core::JobId job) const {
    return m_root / ("job-" + job.to_string());
}

bool MediaJobs::enqueue(MediaWork work) {
    {
        std::lock_guard lock(m_mutex);
        auto it = m_records.find(work.job);
        if (it == m_records.end()) it = m_records.emplace(work.job, load(work.job)).first;
        Record& record = it->second;
        if (record.preview.state == MediaState::making) return false;
        if (m_running == work.job) return false;
        for (const auto& queued : m_queue) {
            if (queued.job == work.job) return false;
        }
        if (work.preview) {
            record.preview = {MediaState::making, {}, {}, {}};
            save(work.job, record);
        }
        m_queue.push_back(std::move(work));
    }
    m_wake.notify_one();
    return true;
}

PreviewStatus MediaJobs::preview(core::JobId job) const {
    std::lock_guard lock(m_mutex);
    auto it = m_records.find(job);
    if (it == m_records.end()) it = m_records.emplace(job, load(job)).first;
    return it->second.preview;
}

std::vector<std::string> MediaJobs::warnings(core::JobId job) const {
    std::lock_guard lock(m_mutex);
    auto it = m_records.find(job);
    if (it == m_records.end()) it = m_records.emplace(job, load(job)).first;
    return it->second.warnings;
}

void MediaJobs::erase(core::JobId job) {
    std::lock_guard lock(m_mutex);
    m_records.erase(job);
    std::error_code ec;
    fs::remove_all(folder(job), ec);
}

bool MediaJobs::busy(core::JobId job) const {
    std::lock_guard lock(m_mutex);
    if (m_running == job) return true;
    for (const auto& queued : m_queue) {
        if (queued.job == job) return true;
    }
    return false;
}

std::uint64_t MediaJobs::made() const {
    std::lock_guard lock(m_mutex);
    return m_made;
}

void MediaJobs::loop() {
    for (;;) {
        MediaWork work;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_stopping) return;
            work = std::move(m_queue.front());
            m_queue.pop_front();
            m_running = work.job;
        }
        run(work);
        std::function<void(core::JobId)> finished;
        {
            std::lock_guard lock(m_mutex);
            finished = m_on_finished;
        }
        if (finished) finished(work.job);
    }
}

void MediaJobs::on_finished(std::function<void(core::JobId)> callback) {
    std::lock_guard lock(m_mutex);
    m_on_finished = std::move(callback);
}

void MediaJobs::run(const MediaWork& work) {
    std::vector<media::FrameFile> files =
        work.files.empty() ? frames_on_disk(work.pattern, work.frames) : work.files;
    std::vector<std::string> warnings;
    if (work.video) {
        auto made = media::encode_video(*work.video, work.frames, files, work.video_output);
        if (!made) {
            warnings.push_back("the scene's video was not made: " + made.error().message);
            spdlog::warn("job {}: the scene's video was not made: {}", work.job.to_string(),
                         made.error().message);
        } else {
            spdlog::info("job {}: encoded the scene's video {}", work.job.to_string(),
                         made->file.string());
            if (!made->note.empty()) {
                warnings.push_back("the scene's video: " + made->note);
                spdlog::info("job {}: video: {}", work.job.to_string(), made->note);
            }
        }
    }
    PreviewStatus preview;
    if (work.preview) {
        auto made = media::make_previews(work.frame_rate, work.frames, files, folder(work.job),
                                         media::GapPolicy::hold);
        if (!made) {
            preview = {MediaState::failed, {}, made.error().message, {}};
            spdlog::warn("job {}: no preview: {}", work.job.to_string(), made.error().message);
        } else {
            preview = {MediaState::ready,
                       {media::k_preview_mp4, media::k_preview_webm, media::k_contact_sheet},
                       {},
                       made->note};
            spdlog::info("job {}: preview made in {}{}", work.job.to_string(),
                         folder(work.job).string(), made->note.empty() ? "" : "; " + made->note);
        }
    }
    std::lock_guard lock(m_mutex);
    Record& record = m_records[work.job];
    if (work.video) record.warnings = warnings;
    if (work.preview) record.preview = preview;
    save(work.job, record);
    ++m_made;
    m_running.reset();
}

MediaJobs::Record MediaJobs::load(core::JobId job) const {
    Record record;
    auto text = util::read_text_file(folder(job) / k_record_file);
    if (!text) return record;
    json j = json::parse(*text, nullptr, false);
    if (!j.is_object()) return record;
    const json p = j.value("preview", json::object());
    record.preview.state = parse_state(p.value("state", "none")).value_or(MediaState::none);
    // A preview in the making when the manager stopped is made no more: ask again.
    if (record.preview.state == MediaState::making) record.preview.state = MediaState::none;
    record.preview.files = p.value("files", std::vector<std::string>{});
    record.preview.error = p.value("error", "");
    record.preview.note = p.value("note", "");
    record.warnings = j.value("warnings", std::vector<std::string>{});
    return record;
}

void MediaJobs::save(core::JobId job, const Record& record) const {
    json j = {{"preview",
               {{"state", to_string(record.preview.state)},
                {"files", record.preview.files},
                {"error", record.preview.error},
                {"note", record.preview.note}}},
              {"warnings", record.warnings}};
    std::error_code ec;
    fs::create_directories(folder(job), ec);
    if (auto saved = util::write_file_atomic(folder(job) / k_record_file, j.dump(2) + "\n", 0644,
                                             util::Durability::process_crash);
        !saved) {
        spdlog::warn("job {}: cannot save the state of its media: {}", job.to_string(),
                     saved.error().message);
    }
}

}  // namespace spotfarm::manager

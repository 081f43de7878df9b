#include "manager/routes/event_feed.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "manager/farm_json.h"
#include "protocol/job_summary.h"
#include "protocol/worker_summary.h"

namespace spotfarm::manager::routes {
namespace {

using nlohmann::json;

std::string sse_message(std::string_view kind, const json& data,
                        std::optional<std::int64_t> id = std::nullopt) {
    std::string text;
    if (id) text += "id: " + std::to_string(*id) + "\n";
    text += "event: " + std::string(kind) + "\n";
    // One line: dump() escapes newlines, so the data never breaks the framing.
    text += "data: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
    return text;
}

json task_json(const core::Task& task) {
    return {{"id", task.id.value},
            {"job", task.job.value},
            {"frames", task.frames.to_string()},
            {"status", core::to_string(task.status)},
            {"worker", task.worker.value == 0 ? json() : json(task.worker.value)},
            {"attempts", task.attempts}};
}

}  // namespace

EventFeed::~EventFeed() {
    m_alive.reset();
    for (auto& subscriber : m_subscribers) subscriber.stream->close();
}

void EventFeed::subscribe(const boost::asio::any_io_executor& executor,
                          std::shared_ptr<http::EventStream> stream,
                          std::optional<std::int64_t> last_event_id) {
    if (!m_flush_timer) {
        m_flush_timer = std::make_unique<boost::asio::steady_timer>(executor);
        m_keepalive_timer = std::make_unique<boost::asio::steady_timer>(executor);
        schedule_keepalive();
    }
    Subscriber subscriber{stream, 0};
    // How long to wait before reconnecting, then what the browser may rely on.
    stream->write("retry: 3000\n\n");
    stream->write(sse_message("hello", {{"interval_ms", m_limits.interval.count()}}));
    if (last_event_id) {
        subscriber.last_event = *last_event_id;
        auto missed = m_farm.events_since(core::EventId(*last_event_id), m_limits.replay + 1);
        if (!missed || missed->size() > m_limits.replay) {
            stream->write(sse_message("reset", {{"reason", "too many events were missed"}}));
        } else {
            for (const core::Event& event : *missed) {
                stream->write(sse_message("farm", to_json(event), event.id.value));
                subscriber.last_event = event.id.value;
            }
        }
    } else if (!m_events.empty()) {
        // Events not sent yet belong to the live feed; the page loads the rest itself.
        subscriber.last_event = m_events.front().id.value - 1;
    } else {
        subscriber.last_event = std::numeric_limits<std::int64_t>::max();
    }
    stream->on_finished([this, alive = std::weak_ptr<int>(m_alive), raw = stream.get()] {
        if (alive.expired()) return;
        std::erase_if(m_subscribers, [raw](const Subscriber& s) { return s.stream.get() == raw; });
    });
    if (!stream->ended()) m_subscribers.push_back(std::move(subscriber));
}

void EventFeed::on_changes(const core::Changes& changes) {
    if (m_subscribers.empty()) return;
    for (core::JobId id : changes.inserted_jobs) m_jobs.insert(id);
    for (core::JobId id : changes.updated_jobs) m_jobs.insert(id);
    for (const core::DeletedJob& gone : changes.deleted_jobs) m_deleted_jobs.insert(gone.id);
    for (core::TaskId id : changes.updated_tasks) m_tasks.insert(id);
    for (core::WorkerId id : changes.inserted_workers) m_workers.insert(id);
    for (core::WorkerId id : changes.updated_workers) m_workers.insert(id);
    for (const core::Event& event : changes.events) m_events.push_back(event);
    schedule_flush();
}

void EventFeed::on_thumbnail(core::JobId job, int frame) {
    if (m_subscribers.empty()) return;
    m_thumbnails.emplace_back(job, frame);
    schedule_flush();
}

void EventFeed::on_media(core::JobId job) {
    if (m_subscribers.empty()) return;
    m_media.insert(job);
    schedule_flush();
}

void EventFeed::schedule_flush() {
    if (m_flush_scheduled || !m_flush_timer) return;
    m_flush_scheduled = true;
    m_flush_timer->expires_at(
        std::max(std::chrono::steady_clock::now(), m_last_flush + m_limits.interval));
    m_flush_timer->async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        m_flush_scheduled = false;
        flush();
    });
}

void EventFeed::flush() {
    m_last_flush = std::chrono::steady_clock::now();
    for (const core::Event& event : m_events) {
        const std::string message = sse_message("farm", to_json(event), event.id.value);
        for (Subscriber& subscriber : m_subscribers) {
            if (event.id.value <= subscriber.last_event &&
                subscriber.last_event != std::numeric_limits<std::int64_t>::max()) {
                continue;
            }
            subscriber.stream->write(message);
            subscriber.last_event = event.id.value;
        }
    }
    m_events.clear();
    for (Subscriber& subscriber : m_subscribers) {
        if (subscriber.last_event == std::numeric_limits<std::int64_t>::max()) {
            subscriber.last_event = 0;
        }
    }
    send_to_all(change_message());
}

std::string EventFeed::change_message() {
    json jobs = json::array();
    if (!m_jobs.empty()) {
        for (const JobSummary& job : m_farm.list_jobs()) {
            if (m_jobs.count(job.id)) jobs.push_back(protocol::to_json(to_wire(job)));
        }
    }
    json deleted = json::array();
    for (core::JobId id : m_deleted_jobs) deleted.push_back(id.value);
    json tasks = json::array();
    std::set<std::int64_t> reload;
    for (core::TaskId id : m_tasks) {
        const core::Task* task = m_farm.scheduler().find_task(id);
        if (task == nullptr) continue;
        if (tasks.size() >= m_limits.max_tasks) {
            reload.insert(task->job.value);
        } else {
            tasks.push_back(task_json(*task));
        }
    }
    json workers = json::array();
    if (!m_workers.empty()) {
        for (const WorkerSummary& worker : m_farm.list_workers()) {
            if (m_workers.count(worker.id)) workers.push_back(protocol::to_json(to_wire(worker)));
        }
    }
    json thumbnails = json::array();
    for (const auto& [job, frame] : m_thumbnails) thumbnails.push_back({job.value, frame});
    json media = json::array();
    for (core::JobId job : m_media) media.push_back(job.value);
    m_media.clear();
    m_jobs.clear();
    m_deleted_jobs.clear();
    m_tasks.clear();
    m_workers.clear();
    m_thumbnails.clear();
    if (jobs.empty() && deleted.empty() && tasks.empty() && workers.empty() && thumbnails.empty() &&
        media.empty()) {
        return {};
    }
    return sse_message("change", {{"jobs", jobs},
                                  {"deleted_jobs", deleted},
                                  {"tasks", tasks},
                                  {"reload_jobs", reload},
                                  {"workers", workers},
                                  {"thumbnails", thumbnails},
                                  {"media", media}});
}

void EventFeed::send_to_all(const std::string& message) {
    if (message.empty()) return;
    // A copy: a stream that ends while written to leaves the list.
    auto streams = m_subscribers;
    for (Subscriber& subscriber : streams) subscriber.stream->write(message);
    // A stream whose answer was never sent (its commit failed) or that is ending gets no more.
    std::erase_if(m_subscribers, [](const Subscriber& s) { return s.stream->ended(); });
}

void EventFeed::schedule_keepalive() {
    m_keepalive_timer->expires_after(m_limits.keepalive);
    m_keepalive_timer->async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        send_to_all(": keepalive\n\n");
        schedule_keepalive();
    });
}

}  // namespace spotfarm::manager::routes

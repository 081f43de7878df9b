#pragma once
// The dashboard's live view: server-sent events on GET /api/v1/events. Two kinds go out:
//   - `farm`: each event of the farm's log (job.complete, task.fail, ...), with its id in an
//     `id:` line, so a browser that reconnects with Last-Event-ID gets what it missed;
//   - `change`: what transitions changed (jobs, tasks, workers, new thumbnails and previews),
//   gathered and
//     sent at most every `interval` whatever the farm's pace, so a thousand workers finishing
//     frames cost a browser a few messages a second, not thousands. These have no id: a browser
//     that reconnects reloads what it shows.
// io thread only.

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/changes.h"
#include "core/ids.h"
#include "manager/farm.h"
#include "manager/http/event_stream.h"

namespace spotfarm::manager::routes {

class EventFeed {
public:
    struct Limits {
        std::chrono::milliseconds interval{500};      // between two `change` messages
        std::chrono::milliseconds keepalive{15'000};  // a comment line when nothing happens
        std::size_t max_tasks = 2000;                 // per `change`; more: the job is reloaded
        std::size_t replay = 1000;                    // farm events replayed after Last-Event-ID
    };

    explicit EventFeed(Farm& farm) : m_farm(farm) {}
    EventFeed(Farm& farm, Limits limits) : m_farm(farm), m_limits(limits) {}
    ~EventFeed();
    EventFeed(const EventFeed&) = delete;
    EventFeed& operator=(const EventFeed&) = delete;

    // Starts sending to `stream`: a `hello`, then the farm's events after `last_event_id` (when
    // the browser reconnects; a `reset` instead when more were missed than are replayed), then
    // live. `executor`: the io thread's, for the feed's timers.
    void subscribe(const boost::asio::any_io_executor& executor,
                   std::shared_ptr<http::EventStream> stream,
                   std::optional<std::int64_t> last_event_id);

    // From Farm::on_changes: remembered until the next `change` message.
    void on_changes(const core::Changes& changes);
    // A frame's thumbnail is ready.
    void on_thumbnail(core::JobId job, int frame);
    // A job's preview video was made (or failed).
    void on_media(core::JobId job);

    std::size_t subscribers() const { return m_subscribers.size(); }

private:
    struct Subscriber {
        std::shared_ptr<http::EventStream> stream;
        std::int64_t last_event = 0;  // farm events up to this one were sent
    };

    void schedule_flush();
    void flush();
    void schedule_keepalive();
    void send_to_all(const std::string& message);
    std::string change_message();

    Farm& m_farm;
    Limits m_limits;
    // Streams outlive the feed at shutdown: their callbacks check that it still exists.
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
    std::vector<Subscriber> m_subscribers;
    std::unique_ptr<boost::asio::steady_timer> m_flush_timer;
    std::unique_ptr<boost::asio::steady_timer> m_keepalive_timer;
    bool m_flush_scheduled = false;
    std::chrono::steady_clock::time_point m_last_flush{};
    // Gathered since the last `change`.
    std::set<core::JobId> m_jobs;
    std::set<core::JobId> m_deleted_jobs;
    std::set<core::TaskId> m_tasks;
    std::set<core::WorkerId> m_workers;
    std::vector<std::pair<core::JobId, int>> m_thumbnails;
    std::set<core::JobId> m_media;
    std::vector<core::Event> m_events;
};

}  // namespace spotfarm::manager::routes

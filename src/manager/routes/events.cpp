// /api/v1/events: what happened on the farm, oldest first, for people and the dashboard. A client
// keeps the last id it saw and asks for what came after; with ?wait=S it waits for the next event.
// A browser that asks for text/event-stream gets server-sent events instead (event_feed.h).
#include <charconv>

#include "manager/farm_json.h"
#include "manager/http/event_stream.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::int64_t k_max_limit = 10'000;

// The answer for the events after `after`, or nothing when there are none yet.
util::Result<std::optional<Response>> events_after(ApiContext& ctx, core::EventId after,
                                                   std::size_t limit) {
    auto events = ctx.farm.events_since(after, limit);
    if (!events) return events.error();
    if (events->empty()) return std::optional<Response>{};
    const std::int64_t last = events->back().id.value;
    return std::optional{Response::json({{"events", to_json_array(*events)}, {"last", last}})};
}

bool wants_event_stream(const Request& request) {
    auto accept = request.header("Accept");
    return accept && accept->find("text/event-stream") != std::string_view::npos;
}

http::Reply stream(ApiContext& ctx, Request& request) {
    std::optional<std::int64_t> last;
    auto id = request.header("Last-Event-ID");
    if (!id) id = request.query_value("after");
    if (id && !id->empty()) {
        std::int64_t value = -1;
        auto [end, ec] = std::from_chars(id->data(), id->data() + id->size(), value);
        if (ec != std::errc() || end != id->data() + id->size() || value < 0) {
            return bad_request("invalid_query",
                               "Last-Event-ID must be the id of an event (0 or more), not '" +
                                   std::string(*id) + "'");
        }
        last = value;
    }
    auto events = std::make_shared<http::EventStream>();
    ctx.feed.subscribe(request.executor, events, last);
    return Response::event_stream(std::move(events));
}

http::Reply list_events(ApiContext& ctx, Request& request) {
    if (wants_event_stream(request)) return stream(ctx, request);
    auto after = query_count(request, "after", 0, std::numeric_limits<std::int64_t>::max());
    auto limit = query_count(request, "limit", 1000, k_max_limit);
    if (!after || !limit || *limit == 0) {
        return bad_request("invalid_query",
                           "after must be an event id (0 or more) and limit a number "
                           "from 1 to 10000");
    }
    auto wait = http::long_poll_wait(request, ctx.max_events_wait);
    if (!wait) return bad_request("invalid_query", wait.error().message);
    const core::EventId from(*after);
    const auto count = static_cast<std::size_t>(*limit);
    auto now = events_after(ctx, from, count);
    if (!now) return error_answer(now.error());
    if (*now) return std::move(**now);
    Response none = Response::json({{"events", json::array()}, {"last", *after}});
    if (wait->count() == 0) return none;

    http::Responder responder = request.defer(*wait, none);
    ctx.event_waiters.wait(responder, [&ctx, from, count](http::Responder& waiting) {
        auto found = events_after(ctx, from, count);
        if (!found) {
            waiting.complete(error_answer(found.error()));
        } else if (*found) {
            waiting.complete(std::move(**found));
        }
    });
    return responder;
}

}  // namespace

void add_event_routes(http::Router& router, ApiContext& ctx) {
    router.add("GET", api_path("/events"), Access::people(), with_context(ctx, list_events));
}

}  // namespace spotfarm::manager::routes

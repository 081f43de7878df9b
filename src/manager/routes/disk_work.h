#pragma once
// Work that must not hold the io thread (hashing and writing a 2 GiB body, a million stat calls):
// it runs on the context's disk pool, and its answer goes out from the io thread.

#include <chrono>
#include <exception>
#include <memory>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "manager/routes/api_context.h"
#include "manager/routes/route_helpers.h"

namespace spotfarm::manager::routes {

// A pool's work answers long before this; it only guards against a lost answer.
inline constexpr std::chrono::minutes k_longest_disk_work{30};

// Runs `work()` (-> T) on the disk pool, then `then(T&&)` (-> http::Response) on the io thread,
// and answers with that once the farm's commit allows (CommitGate). An exception in either is a
// 500. `then` may touch the Farm; `work` must not.
template <class Work, class Then>
http::Reply on_disk_pool(ApiContext& ctx, const http::Request& request, Work work, Then then) {
    http::Responder responder = request.defer(
        k_longest_disk_work,
        http::error_response(503, "unavailable",
                             "the manager's disk did not keep up; send the request again"));
    auto executor = request.executor;
    boost::asio::post(*ctx.disk, [&ctx, executor, responder, work = std::move(work),
                                  then = std::move(then)]() mutable {
        using T = decltype(work());
        std::shared_ptr<T> result;
        std::string failure;
        try {
            result = std::make_shared<T>(work());
        } catch (const std::exception& e) {
            failure = e.what();
        }
        // The answer's handle goes back with it: it is touched on the io thread only.
        boost::asio::post(
            executor, [&ctx, responder = std::move(responder), result = std::move(result),
                       failure = std::move(failure), then = std::move(then)]() mutable {
                if (result) {
                    try {
                        ctx.commits.complete(responder, then(std::move(*result)));
                        return;
                    } catch (const std::exception& e) {
                        failure = e.what();
                    }
                }
                spdlog::error("a request's disk work failed: {}", failure);
                responder.complete(http::error_response(
                    500, "internal_error", "the manager failed: " + failure + "; try again"));
            });
    });
    return responder;
}

// As above, for work whose answer needs nothing of the io thread.
template <class Work>
http::Reply on_disk_pool(ApiContext& ctx, const http::Request& request, Work work) {
    return on_disk_pool(ctx, request, std::move(work),
                        [](http::Response&& response) { return std::move(response); });
}

}  // namespace spotfarm::manager::routes

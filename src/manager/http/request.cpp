#include "manager/http/request.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "util/ascii.h"

namespace spotfarm::manager::http {

std::string_view to_string(Principal principal) {
    switch (principal) {
        case Principal::anonymous:
            return "anonymous caller";
        case Principal::person:
            return "people token";
        case Principal::worker_join:
            return "worker join token";
        case Principal::worker:
            return "worker secret";
    }
    return "unknown";
}

std::string_view Request::param(std::string_view name) const {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return {};
}

std::optional<std::string_view> Request::query_value(std::string_view name) const {
    for (const auto& [key, value] : query) {
        if (key == name) return value;
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (util::iequals(key, name)) return value;
    }
    return std::nullopt;
}

Responder Request::defer(std::chrono::milliseconds timeout, Response on_timeout) const {
    return Responder::start(executor, timeout, std::move(on_timeout));
}

util::Result<std::chrono::milliseconds> long_poll_wait(const Request& request,
                                                       std::chrono::milliseconds cap) {
    auto text = request.query_value("wait");
    if (!text || text->empty()) return std::chrono::milliseconds(0);
    double seconds = -1;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(seconds) ||
        seconds < 0) {
        return util::make_error(
            "query parameter 'wait' must be a number of seconds (such as "
            "wait=30), not '" +
            std::string(*text) + "'");
    }
    auto wanted = std::chrono::milliseconds(static_cast<std::int64_t>(
        std::min(seconds, static_cast<double>(cap.count()) / 1000.0) * 1000.0));
    return std::min(wanted, cap);
}

}  // namespace spotfarm::manager::http

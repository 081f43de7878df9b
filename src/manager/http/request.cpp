#include "manager/http/request.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace spotfarm::manager::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

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
        if (iequals(key, name)) return value;
    }
    return std::nullopt;
}

Responder Request::defer(std::chrono::milliseconds timeout, Response on_timeout) const {
    return Responder::start(executor, timeout, std::move(on_timeout));
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            int high = hex_value(text[i + 1]);
            int low = hex_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out.push_back(static_cast<char>(high * 16 + low));
                i += 2;
                continue;
            }
        }
        out.push_back(plus_is_space && c == '+' ? ' ' : c);
    }
    return out;
}

Fields parse_query(std::string_view query) {
    Fields fields;
    while (!query.empty()) {
        std::size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        std::size_t eq = pair.find('=');
        std::string_view key = pair.substr(0, eq);
        std::string_view value =
            eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        fields.emplace_back(percent_decode(key, true), percent_decode(value, true));
    }
    return fields;
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

#include "manager/http/cookies.h"

#include "util/ascii.h"

namespace spotfarm::manager::http {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// "http://host:port" -> "host:port"; nothing for another shape (or "null").
std::optional<std::string_view> origin_authority(std::string_view origin) {
    for (std::string_view scheme : {"http://", "https://"}) {
        if (origin.starts_with(scheme)) {
            std::string_view rest = origin.substr(scheme.size());
            if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
            return rest;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        std::size_t end = header.find(';');
        std::string_view pair = trim(header.substr(0, end));
        std::size_t equals = pair.find('=');
        if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
            return trim(pair.substr(equals + 1));
        }
        if (end == std::string_view::npos) break;
        header.remove_prefix(end + 1);
    }
    return std::nullopt;
}

std::string session_cookie(std::string_view value) {
    return std::string(k_session_cookie) + "=" + std::string(value) +
           "; Path=/; HttpOnly; SameSite=Strict";
}

std::string expired_session_cookie() {
    return std::string(k_session_cookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
}

std::optional<std::string> cross_site_refusal(const RequestOrigin& request) {
    if (request.sec_fetch_site && !util::iequals(*request.sec_fetch_site, "same-origin")) {
        return "the browser says this request comes from another site (Sec-Fetch-Site: " +
               std::string(*request.sec_fetch_site) + ")";
    }
    if (request.origin) {
        auto authority = origin_authority(*request.origin);
        if (!authority || !request.host || !util::iequals(*authority, *request.host)) {
            return "the request comes from " + std::string(*request.origin) +
                   ", not from this manager's own pages";
        }
        return std::nullopt;
    }
    if (request.sec_fetch_site) return std::nullopt;
    return std::string("the request does not say where it comes from (no Origin header)");
}

}  // namespace spotfarm::manager::http

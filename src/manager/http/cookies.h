#pragma once
// The dashboard's session cookie, and the check that a browser's state-changing request comes
// from the dashboard's own pages rather than from another site.

#include <optional>
#include <string>
#include <string_view>

namespace spotfarm::manager::http {

// The cookie's name.
inline constexpr std::string_view k_session_cookie = "spotfarm_session";

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or nothing.
std::optional<std::string_view> cookie_value(std::string_view cookie_header, std::string_view name);

// A Set-Cookie value for the session: HttpOnly (scripts cannot read it), SameSite=Strict (other
// sites' pages do not send it), Path=/; no Max-Age, so it ends with the browser.
std::string session_cookie(std::string_view value);
// A Set-Cookie value that removes the session cookie.
std::string expired_session_cookie();

// What a browser says about where a request comes from.
struct RequestOrigin {
    std::optional<std::string_view> origin;          // Origin: http://host:port
    std::optional<std::string_view> host;            // Host: host:port
    std::optional<std::string_view> sec_fetch_site;  // Sec-Fetch-Site: same-origin, cross-site...
};

// Whether a request may change state on the strength of a cookie: it says it comes from this
// very origin (Sec-Fetch-Site same-origin, or an Origin naming the Host it was sent to) and
// nothing it sends says otherwise. A request that says nothing is refused: every browser
// sends Origin with a POST from a script. Returns the reason when it may not.
std::optional<std::string> cross_site_refusal(const RequestOrigin& origin);

}  // namespace spotfarm::manager::http

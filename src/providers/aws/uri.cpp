#include "providers/aws/uri.h"

#include <charconv>

namespace spotfarm::providers::aws {

std::string Url::host_header() const {
    const bool default_port =
        (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
    return default_port ? host : host + ":" + std::to_string(port);
}

util::Result<Url> parse_url(std::string_view url) {
    auto bad = [&](std::string_view why) {
        return util::make_error("bad URL '" + std::string(url) + "': " + std::string(why) +
                                " (expected e.g. https://ec2.us-east-1.amazonaws.com/)");
    };
    Url out;
    const size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return bad("no scheme");
    out.scheme = std::string(url.substr(0, scheme_end));
    if (out.scheme != "http" && out.scheme != "https") return bad("only http and https work");
    std::string_view rest = url.substr(scheme_end + 3);
    const size_t path_start = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, path_start);
    rest = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
    if (authority.empty()) return bad("no host");
    if (authority.find('@') != std::string_view::npos) return bad("user info is not supported");
    out.port = out.scheme == "https" ? 443 : 80;
    std::string_view host = authority;
    const size_t colon = authority.rfind(':');
    const bool ipv6 = !authority.empty() && authority.front() == '[';
    if (colon != std::string_view::npos && (!ipv6 || authority[colon - 1] == ']')) {
        host = authority.substr(0, colon);
        const std::string_view port = authority.substr(colon + 1);
        int value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value <= 0 || value > 65535)
            return bad("bad port");
        out.port = value;
    }
    if (host.empty()) return bad("no host");
    out.host = std::string(host);
    const size_t question = rest.find('?');
    out.path = std::string(rest.substr(0, question));
    if (question != std::string_view::npos) out.query = std::string(rest.substr(question + 1));
    if (out.path.empty()) out.path.push_back('/');
    return out;
}

}  // namespace spotfarm::providers::aws

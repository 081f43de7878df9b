#include "providers/aws/uri.h"

#include <charconv>

namespace spotfarm::providers::aws {
namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(k_hex[c >> 4]);
            out.push_back(k_hex[c & 0x0f]);
        }
    }
    return out;
}

std::string uri_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
            hex_value(text[i + 2]) >= 0) {
            out.push_back(char(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

std::string form_encode(const QueryParams& params) {
    std::string out;
    for (const auto& [key, value] : params) {
        if (!out.empty()) out += '&';
        out += uri_encode(key);
        out += '=';
        out += uri_encode(value);
    }
    return out;
}

QueryParams form_decode(std::string_view body, bool plus_is_space) {
    QueryParams out;
    auto decode = [&](std::string_view part) {
        std::string spaced(part);
        for (char& c : spaced)
            if (plus_is_space && c == '+') c = ' ';
        return uri_decode(spaced);
    };
    while (!body.empty()) {
        const size_t amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty()) continue;
        const size_t eq = pair.find('=');
        if (eq == std::string_view::npos)
            out.emplace_back(decode(pair), "");
        else
            out.emplace_back(decode(pair.substr(0, eq)), decode(pair.substr(eq + 1)));
    }
    return out;
}

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

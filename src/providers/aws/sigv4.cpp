#include "providers/aws/sigv4.h"

#include <algorithm>

#include "providers/aws/uri.h"
#include "util/ascii.h"
#include "util/digest.h"
#include "util/percent_encoding.h"
#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

constexpr std::string_view k_algorithm = "AWS4-HMAC-SHA256";

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string collapse_whitespace(std::string_view value) {
    std::string out;
    bool pending_space = false;
    for (char c : value) {
        if (is_space(c)) {
            pending_space = !out.empty();
        } else {
            if (pending_space) out.push_back(' ');
            pending_space = false;
            out.push_back(c);
        }
    }
    return out;
}

// Headers a proxy or the HTTP library may change on the way; signing them breaks requests.
bool is_unsignable(std::string_view lower_name) {
    return lower_name == "authorization" || lower_name == "user-agent" ||
           lower_name == "x-amzn-trace-id" || lower_name == "expect" ||
           lower_name == "connection" || lower_name == "transfer-encoding";
}

bool has_header(const HeaderList& headers, std::string_view lower_name) {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return util::to_lower(h.first) == lower_name; });
}

void erase_header(HeaderList& headers, std::string_view lower_name) {
    std::erase_if(headers, [&](const auto& h) { return util::to_lower(h.first) == lower_name; });
}

std::vector<std::string> names_to_sign(const HeaderList& headers, std::string_view except = {}) {
    std::vector<std::string> names;
    for (const auto& [name, value] : headers) {
        std::string l = util::to_lower(name);
        if (!is_unsignable(l) && l != except) names.push_back(std::move(l));
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::string join(const std::vector<std::string>& items, char separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

util::Status require_host(const SignableRequest& request) {
    if (!has_header(request.headers, "host"))
        return util::make_error("cannot sign an AWS request without a Host header");
    return {};
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point t) {
    return util::format_compact_utc(t);
}

std::string date_stamp(std::chrono::system_clock::time_point t) {
    return util::format_compact_utc(t).substr(0, 8);
}

std::string credential_scope(std::string_view date_stamp, std::string_view region,
                             std::string_view service) {
    return std::string(date_stamp) + "/" + std::string(region) + "/" + std::string(service) +
           "/aws4_request";
}

std::string canonical_uri(std::string_view raw_path, bool normalize) {
    if (raw_path.empty()) return "/";
    if (!normalize) return util::percent_encode(raw_path, true);
    // RFC 3986 dot-segment removal, with empty segments (repeated slashes) dropped as well.
    std::vector<std::string_view> segments;
    bool trailing_slash = raw_path.back() == '/';
    size_t pos = 0;
    while (pos <= raw_path.size()) {
        const size_t slash = raw_path.find('/', pos);
        const std::string_view segment = raw_path.substr(
            pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        if (slash == std::string_view::npos) {
            trailing_slash = trailing_slash || segment == "." || segment == "..";
            break;
        }
        pos = slash + 1;
    }
    std::string out = "/";
    for (size_t i = 0; i < segments.size(); ++i) {
        if (i > 0) out += '/';
        out += util::percent_encode(segments[i]);
    }
    if (trailing_slash && !segments.empty()) out += '/';
    return out;
}

std::string canonical_query(std::string_view raw_query) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& [key, value] : util::parse_query(raw_query, false))
        pairs.emplace_back(util::percent_encode(key), util::percent_encode(value));
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [key, value] : pairs) {
        if (!out.empty()) out += '&';
        out += key + "=" + value;
    }
    return out;
}

std::string canonical_headers(const HeaderList& headers, const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        std::string values;
        bool first = true;
        for (const auto& [header_name, value] : headers) {
            if (util::to_lower(header_name) != name) continue;
            if (!first) values += ',';
            values += collapse_whitespace(value);
            first = false;
        }
        out += name + ":" + values + "\n";
    }
    return out;
}

std::string canonical_request(std::string_view method, std::string_view raw_path,
                              std::string_view raw_query, const HeaderList& headers,
                              const std::vector<std::string>& names, std::string_view payload_hash,
                              bool normalize) {
    std::string out = std::string(method) + "\n";
    out += canonical_uri(raw_path, normalize) + "\n";
    out += canonical_query(raw_query) + "\n";
    out += canonical_headers(headers, names) + "\n";
    out += join(names, ';') + "\n";
    out += payload_hash;
    return out;
}

std::string make_string_to_sign(std::string_view amz_date, std::string_view scope,
                                std::string_view canonical_request) {
    return std::string(k_algorithm) + "\n" + std::string(amz_date) + "\n" + std::string(scope) +
           "\n" + util::sha256_hex(canonical_request);
}

std::string make_signature(std::string_view secret_access_key, std::string_view date_stamp,
                           std::string_view region, std::string_view service,
                           std::string_view string_to_sign) {
    const std::string k_date =
        util::hmac_sha256("AWS4" + std::string(secret_access_key), date_stamp);
    const std::string k_region = util::hmac_sha256(k_date, region);
    const std::string k_service = util::hmac_sha256(k_region, service);
    const std::string k_signing = util::hmac_sha256(k_service, "aws4_request");
    return util::hex_encode(util::hmac_sha256(k_signing, string_to_sign));
}

util::Result<SignatureParts> sign_with_headers(SignableRequest& request,
                                               const SigningParams& params) {
    if (auto ok = require_host(request); !ok) return ok.error();
    for (auto name :
         {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"})
        erase_header(request.headers, name);

    const std::string date = amz_date(params.time);
    const std::string day = date_stamp(params.time);
    const std::string payload_hash = util::sha256_hex(request.body);
    const std::string& token = params.credentials.session_token;
    if (!token.empty()) request.headers.emplace_back("X-Amz-Security-Token", token);
    request.headers.emplace_back("X-Amz-Date", date);
    if (params.add_content_sha256_header)
        request.headers.emplace_back("x-amz-content-sha256", payload_hash);

    SignatureParts parts;
    const auto names = names_to_sign(
        request.headers, params.omit_session_token ? "x-amz-security-token" : std::string_view{});
    parts.signed_headers = join(names, ';');
    parts.canonical_request =
        canonical_request(request.method, request.path, request.query, request.headers, names,
                          payload_hash, params.normalize_path);
    const std::string scope = credential_scope(day, params.region, params.service);
    parts.string_to_sign = make_string_to_sign(date, scope, parts.canonical_request);
    parts.signature = make_signature(params.credentials.secret_access_key, day, params.region,
                                     params.service, parts.string_to_sign);
    request.headers.emplace_back(
        "Authorization",
        std::string(k_algorithm) + " Credential=" + params.credentials.access_key_id + "/" + scope +
            ", SignedHeaders=" + parts.signed_headers + ", Signature=" + parts.signature);
    return parts;
}

util::Result<SignatureParts> sign_with_query(SignableRequest& request,
                                             const SigningParams& params) {
    if (auto ok = require_host(request); !ok) return ok.error();
    const std::string date = amz_date(params.time);
    const std::string day = date_stamp(params.time);
    const std::string scope = credential_scope(day, params.region, params.service);

    SignatureParts parts;
    const auto names = names_to_sign(request.headers);
    parts.signed_headers = join(names, ';');
    QueryParams added = {
        {"X-Amz-Algorithm", std::string(k_algorithm)},
        {"X-Amz-Credential", params.credentials.access_key_id + "/" + scope},
        {"X-Amz-Date", date},
        {"X-Amz-SignedHeaders", parts.signed_headers},
        {"X-Amz-Expires", std::to_string(params.expires.count())},
    };
    const std::string& token = params.credentials.session_token;
    auto with = [&](std::string_view more) {
        if (more.empty()) return request.query;
        return request.query.empty() ? std::string(more) : request.query + "&" + std::string(more);
    };
    std::string signed_query = with(util::encode_query(added));
    if (!token.empty()) {
        added.emplace_back("X-Amz-Security-Token", token);
        if (!params.omit_session_token) signed_query = with(util::encode_query(added));
    }
    parts.canonical_request =
        canonical_request(request.method, request.path, signed_query, request.headers, names,
                          util::sha256_hex(request.body), params.normalize_path);
    parts.string_to_sign = make_string_to_sign(date, scope, parts.canonical_request);
    parts.signature = make_signature(params.credentials.secret_access_key, day, params.region,
                                     params.service, parts.string_to_sign);
    added.emplace_back("X-Amz-Signature", parts.signature);
    request.query = with(util::encode_query(added));
    return parts;
}

}  // namespace spotfarm::providers::aws

#include "providers/aws/aws_call.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "providers/aws/sigv4.h"

namespace spotfarm::providers::aws {
namespace {

bool one_of(std::string_view code, std::initializer_list<std::string_view> codes) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string attempts_note(int attempts) {
    return attempts > 1 ? " (gave up after " + std::to_string(attempts) + " attempts)" : "";
}

// Joins the endpoint's own path ("/" or "/prefix/") and a request's path ("/2015-02-01/...").
std::string join_path(const std::string& base, const std::string& path) {
    if (path.empty()) return base;
    std::string joined = base;
    if (!joined.empty() && joined.back() == '/') joined.pop_back();
    return joined + (path.front() == '/' ? path : "/" + path);
}

}  // namespace

util::Result<AwsCaller> AwsCaller::create(AwsClientServices services, AwsCallOptions options,
                                          AwsErrorParser parse_error) {
    auto url = parse_url(options.endpoint);
    if (!url.ok())
        return util::make_error(options.service_label + " endpoint: " + url.error().message,
                                util::ErrorKind::invalid);
    if (!url->query.empty())
        return util::make_error("the " + options.service_label + " endpoint '" + options.endpoint +
                                    "' may not have a query",
                                util::ErrorKind::invalid);
    if (options.retry.max_attempts < 1) options.retry.max_attempts = 1;
    if (!services.unit_random) services.unit_random = default_unit_random();
    return AwsCaller(std::move(services), std::move(options), std::move(parse_error),
                     std::move(url.value()));
}

AwsCaller::AwsCaller(AwsClientServices services, AwsCallOptions options, AwsErrorParser parse_error,
                     Url url)
    : m_services(std::move(services)),
      m_options(std::move(options)),
      m_parse_error(std::move(parse_error)),
      m_url(std::move(url)) {}

util::Result<util::HttpResponse> AwsCaller::send_once(const AwsRequest& in) const {
    auto credentials = m_services.credentials.credentials();
    if (!credentials.ok()) return credentials.error();
    SignableRequest request;
    request.method = in.method;
    request.path = join_path(m_url.path, in.path);
    request.query = in.query;
    request.headers = {{"Host", m_url.host_header()}};
    for (const auto& header : in.headers) request.headers.push_back(header);
    request.body = in.body;
    SigningParams signing;
    signing.credentials = std::move(credentials.value());
    signing.region = m_options.signing_region;
    signing.service = m_options.signing_service;
    signing.time = m_services.clock.wall_now();
    if (auto signed_ok = sign_with_headers(request, signing); !signed_ok.ok())
        return signed_ok.error();

    util::HttpRequest http;
    http.method = in.method;
    http.url = m_url.scheme + "://" + m_url.host_header() + request.path +
               (in.query.empty() ? "" : "?" + in.query);
    http.headers = std::move(request.headers);
    http.headers.emplace_back("User-Agent", "spotfarm/" SPOTFARM_VERSION);
    http.body = in.body;
    http.timeout = m_options.timeout;
    return m_services.http.send(http);
}

util::Result<AwsReply> AwsCaller::call(const AwsRequest& request) const {
    AwsReply reply;
    for (int attempt = 1;; ++attempt) {
        reply.attempts = attempt;
        auto response = send_once(request);
        const bool last = attempt >= m_options.retry.max_attempts;
        if (!response.ok()) {
            // Setup's calls are reads, creations made idempotent by name or token, and deletions.
            if (last)
                return util::make_error("cannot reach " + m_options.service_label + " at " +
                                            m_options.endpoint + ": " + response.error().message +
                                            attempts_note(attempt),
                                        util::ErrorKind::unavailable);
        } else if (response->status >= 200 && response->status < 300) {
            reply.status = response->status;
            reply.body = std::move(response->body);
            return reply;
        } else {
            std::optional<AwsError> error = m_parse_error ? m_parse_error(*response) : std::nullopt;
            if (!error) {
                error = AwsError{};
                error->http_status = response->status;
                error->code = "HTTP" + std::to_string(response->status);
                error->message = response->body.substr(0, 200);
            }
            if (last || !is_retryable(*error)) {
                reply.status = response->status;
                reply.error = std::move(error);
                return reply;
            }
        }
        m_services.sleeper.sleep_for(
            backoff_delay(m_options.retry, attempt - 1, m_services.unit_random()));
    }
}

bool is_quota_error_code(std::string_view code) {
    return one_of(code, {"LimitExceeded", "LimitExceededException", "FileSystemLimitExceeded",
                         "SecurityGroupLimitExceeded", "RulesPerSecurityGroupLimitExceeded",
                         "NetworkInterfaceLimitExceeded", "VcpuLimitExceeded",
                         "InstanceLimitExceeded", "MaxSpotInstanceCountExceeded",
                         "ServiceQuotaExceededException", "ResourceLimitExceeded"}) ||
           code.ends_with("LimitExceeded");
}

util::Error describe_aws_error(const AwsError& error, std::string_view iam_prefix,
                               std::string_view action, int attempts) {
    const std::string what = error.message.empty() ? error.code : error.code + ": " + error.message;
    const std::string permission = std::string(iam_prefix) + ":" + std::string(action);
    std::string text;
    util::ErrorKind kind = util::ErrorKind::failed;
    if (is_quota_error_code(error.code)) {
        text = "an AWS quota stops " + std::string(action) + ": " + what +
               ". Remove what you no longer use or ask for a higher limit in the Service Quotas "
               "console (quota " +
               error.code + ")";
        kind = util::ErrorKind::unavailable;
    } else {
        switch (classify(error)) {
            case Ec2ErrorKind::credentials:
                text = "AWS rejected the credentials: " + what +
                       ". Check the access key and secret (or the profile), that a session token "
                       "is current, and that this machine's clock is right";
                kind = util::ErrorKind::unauthorized;
                break;
            case Ec2ErrorKind::permission:
                text = "the AWS credentials may not call " + permission + ": " + what + ". Grant " +
                       permission +
                       " to the user or role (`spotfarm cloud setup --print-policy` lists what "
                       "the manager's role needs; docs/cloud.md lists what setup needs)";
                kind = util::ErrorKind::unauthorized;
                break;
            case Ec2ErrorKind::capacity:
                text = "AWS has no capacity for " + std::string(action) + ": " + what +
                       ". Try another instance type or availability zone";
                kind = util::ErrorKind::unavailable;
                break;
            case Ec2ErrorKind::throttled:
                text = "AWS is throttling " + permission + " (" + what +
                       "); wait a minute and try again";
                kind = util::ErrorKind::unavailable;
                break;
            case Ec2ErrorKind::server:
                text =
                    "AWS failed on its side in " + permission + " (" + what + "); try again later";
                kind = util::ErrorKind::unavailable;
                break;
            case Ec2ErrorKind::request:
                text = "AWS refused " + permission + ": " + what;
                break;
        }
    }
    if (!error.request_id.empty()) text += " [request " + error.request_id + "]";
    return util::make_error(text + attempts_note(attempts), kind);
}

std::optional<AwsError> parse_json_error(const util::HttpResponse& response) {
    AwsError error;
    error.http_status = response.status;
    const auto json = nlohmann::json::parse(response.body, nullptr, false);
    if (json.is_object()) {
        for (const char* key : {"ErrorCode", "code", "__type"})
            if (error.code.empty() && json.contains(key) && json[key].is_string())
                error.code = json[key].get<std::string>();
        for (const char* key : {"Message", "message"})
            if (json.contains(key) && json[key].is_string())
                error.message = json[key].get<std::string>();
    }
    if (error.code.empty())
        if (auto header = util::find_header(response.headers, "X-Amzn-ErrorType"))
            error.code = *header;
    if (error.code.empty()) return std::nullopt;
    if (auto colon = error.code.find(':'); colon != std::string::npos) error.code.resize(colon);
    if (auto hash = error.code.rfind('#'); hash != std::string::npos)
        error.code = error.code.substr(hash + 1);
    if (auto id = util::find_header(response.headers, "x-amzn-RequestId")) error.request_id = *id;
    return error;
}

}  // namespace spotfarm::providers::aws

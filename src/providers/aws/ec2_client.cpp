#include "providers/aws/ec2_client.h"

#include "providers/aws/ec2_requests.h"
#include "providers/aws/ec2_responses.h"
#include "providers/aws/region.h"
#include "providers/aws/sigv4.h"
#include "util/secret.h"

namespace spotfarm::providers::aws {
namespace {

constexpr size_t k_terminate_batch = 1000;  // EC2's limit of ids per TerminateInstances

std::string action_of(const QueryParams& params) {
    for (const auto& [key, value] : params)
        if (key == "Action") return value;
    return "EC2 call";
}

std::string attempts_note(int attempts) {
    return attempts > 1 ? " (gave up after " + std::to_string(attempts) + " attempts)" : "";
}

// An answer that is not EC2's error XML (a proxy's page, an empty 503) still says something.
Ec2Error error_from(const util::HttpResponse& response) {
    if (auto parsed = parse_ec2_error(response.body, response.status)) return *parsed;
    Ec2Error error;
    error.http_status = response.status;
    error.code = "HTTP" + std::to_string(response.status);
    error.message = response.body.substr(0, 200);
    return error;
}

}  // namespace

std::string default_ec2_endpoint(std::string_view region) {
    return "https://ec2." + std::string(region) + ".amazonaws.com/";
}

util::Result<std::unique_ptr<Ec2Client>> Ec2Client::create(Ec2ClientServices services,
                                                           Ec2ClientOptions options) {
    if (!is_valid_region_name(options.region))
        return util::make_error("'" + options.region +
                                "' is not an AWS region name such as eu-west-1");
    if (options.endpoint.empty()) options.endpoint = default_ec2_endpoint(options.region);
    auto url = parse_url(options.endpoint);
    if (!url.ok()) return util::make_error("EC2 endpoint: " + url.error().message);
    if (!url->query.empty())
        return util::make_error("the EC2 endpoint '" + options.endpoint + "' may not have a query");
    if (options.retry.max_attempts < 1) options.retry.max_attempts = 1;
    if (!services.unit_random) services.unit_random = default_unit_random();
    return std::unique_ptr<Ec2Client>(
        new Ec2Client(std::move(services), std::move(options), std::move(url.value())));
}

Ec2Client::Ec2Client(Ec2ClientServices services, Ec2ClientOptions options, Url url)
    : m_services(std::move(services)),
      m_options(std::move(options)),
      m_endpoint(m_options.endpoint),
      m_url(std::move(url)) {}

util::Result<util::HttpResponse> Ec2Client::send_once(const std::string& body) {
    auto credentials = m_services.credentials.credentials();
    if (!credentials.ok()) return credentials.error();
    SignableRequest request;
    request.method = "POST";
    request.path = m_url.path;
    request.headers = {{"Host", m_url.host_header()},
                       {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = body;
    SigningParams signing;
    signing.credentials = std::move(credentials.value());
    signing.region = m_options.region;
    signing.service = "ec2";
    signing.time = m_services.clock.wall_now();
    if (auto signed_ok = sign_with_headers(request, signing); !signed_ok.ok())
        return signed_ok.error();

    util::HttpRequest http;
    http.method = "POST";
    http.url = m_endpoint;
    http.headers = std::move(request.headers);
    http.headers.emplace_back("User-Agent", "spotfarm/" SPOTFARM_VERSION);
    http.body = body;
    http.timeout = m_options.timeout;
    return m_services.http.send(http);
}

util::Result<Ec2Client::Reply> Ec2Client::exchange(const QueryParams& params) {
    const std::string body = util::encode_query(params);
    Reply reply;
    for (int attempt = 1;; ++attempt) {
        reply.attempts = attempt;
        auto response = send_once(body);
        const bool last = attempt >= m_options.retry.max_attempts;
        if (!response.ok()) {
            // Every call is safe to repeat: reads, terminations, and launches with a ClientToken.
            if (last)
                return util::make_error("cannot reach EC2 at " + m_endpoint + ": " +
                                        response.error().message + attempts_note(attempt));
        } else if (response->status >= 200 && response->status < 300) {
            reply.body = std::move(response->body);
            return reply;
        } else {
            Ec2Error error = error_from(response.value());
            if (last || !is_retryable(error)) {
                reply.error = std::move(error);
                return reply;
            }
        }
        m_services.sleeper.sleep_for(
            backoff_delay(m_options.retry, attempt - 1, m_services.unit_random()));
    }
}

util::Result<std::string> Ec2Client::call(const util::Result<QueryParams>& params) {
    if (!params.ok()) return params.error();
    auto reply = exchange(params.value());
    if (!reply.ok()) return reply.error();
    if (reply->error)
        return util::make_error(describe(*reply->error, action_of(params.value())) +
                                attempts_note(reply->attempts));
    return std::move(reply->body);
}

util::Result<RunInstancesOutcome> Ec2Client::run_instances(const RunInstancesRequest& request) {
    // Retries repeat the launch; a ClientToken makes EC2 run it at most once.
    RunInstancesRequest with_token = request;
    if (with_token.client_token.empty()) {
        auto token = util::random_hex(16);
        if (!token.ok()) return token.error();
        with_token.client_token = "spotfarm-" + token.value();
    }
    auto params = run_instances_params(with_token);
    if (!params.ok()) return params.error();
    auto reply = exchange(params.value());
    if (!reply.ok()) return reply.error();
    RunInstancesOutcome outcome;
    if (reply->error) {
        if (classify(*reply->error) != Ec2ErrorKind::capacity)
            return util::make_error(describe(*reply->error, "RunInstances") +
                                    attempts_note(reply->attempts));
        outcome.capacity_refusal = std::move(reply->error);
        return outcome;
    }
    auto launched = parse_run_instances(reply->body);
    if (!launched.ok()) return launched.error();
    outcome.launched = std::move(launched.value());
    return outcome;
}

util::Result<DescribeInstancesPage> Ec2Client::describe_instances_page(
    const DescribeInstancesRequest& request, const std::string& next_token) {
    auto xml = call(describe_instances_params(request, next_token));
    if (!xml.ok()) return xml.error();
    return parse_describe_instances(xml.value());
}

util::Result<std::vector<Ec2Instance>> Ec2Client::describe_instances(
    const DescribeInstancesRequest& request) {
    std::vector<Ec2Instance> all;
    std::string token;
    for (int page = 0; page < m_options.max_pages; ++page) {
        auto result = describe_instances_page(request, token);
        if (!result.ok()) return result.error();
        for (auto& instance : result->instances) all.push_back(std::move(instance));
        token = std::move(result->next_token);
        if (token.empty()) return all;
    }
    return util::make_error("DescribeInstances returned more than " +
                            std::to_string(m_options.max_pages) + " pages; narrow the filters");
}

util::Result<std::vector<InstanceStateChange>> Ec2Client::terminate_instances(
    const std::vector<std::string>& instance_ids) {
    std::vector<InstanceStateChange> all;
    for (size_t start = 0; start < instance_ids.size() || start == 0; start += k_terminate_batch) {
        const auto end = std::min(instance_ids.size(), start + k_terminate_batch);
        const std::vector<std::string> batch(instance_ids.begin() + long(start),
                                             instance_ids.begin() + long(end));
        auto xml = call(terminate_instances_params(batch));
        if (!xml.ok()) return xml.error();
        auto changes = parse_terminate_instances(xml.value());
        if (!changes.ok()) return changes.error();
        all.insert(all.end(), changes->begin(), changes->end());
    }
    return all;
}

util::Result<std::vector<SpotPrice>> Ec2Client::describe_spot_price_history(
    const SpotPriceRequest& request) {
    std::vector<SpotPrice> all;
    std::string token;
    for (int page = 0; page < m_options.max_pages; ++page) {
        auto xml = call(spot_price_history_params(request, token));
        if (!xml.ok()) return xml.error();
        auto result = parse_spot_price_history(xml.value());
        if (!result.ok()) return result.error();
        all.insert(all.end(), result->prices.begin(), result->prices.end());
        token = std::move(result->next_token);
        if (token.empty()) return all;
    }
    return util::make_error("DescribeSpotPriceHistory returned more than " +
                            std::to_string(m_options.max_pages) +
                            " pages; give a later start time");
}

util::Status Ec2Client::create_tags(const std::vector<std::string>& resource_ids,
                                    const std::vector<Tag>& tags) {
    auto xml = call(create_tags_params(resource_ids, tags));
    if (!xml.ok()) return xml.error();
    return parse_create_tags(xml.value());
}

}  // namespace spotfarm::providers::aws

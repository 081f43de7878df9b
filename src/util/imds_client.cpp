#include "util/imds_client.h"

namespace spotfarm::util {

ImdsClient::ImdsClient(HttpClient& http, ImdsOptions options)
    : m_http(http), m_options(std::move(options)) {
    while (!m_options.base_url.empty() && m_options.base_url.back() == '/')
        m_options.base_url.pop_back();
}

Status ImdsClient::fetch_token() {
    HttpRequest request;
    request.method = "PUT";
    request.url = m_options.base_url + "/latest/api/token";
    request.headers = {
        {"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(m_options.token_ttl.count())}};
    request.timeout = m_options.timeout;
    auto response = m_http.send(request);
    if (!response.ok())
        return make_error("cannot reach the EC2 instance metadata service at " +
                          m_options.base_url + " (" + response.error().message +
                          "); this only works on an EC2 instance with the metadata service on");
    if (response->status != 200 || response->body.empty())
        return make_error("the EC2 instance metadata service at " + m_options.base_url +
                          " gave no session token (HTTP " + std::to_string(response->status) +
                          "); check that the instance's metadata options allow IMDSv2 tokens");
    m_token = response->body;
    return {};
}

Result<HttpResponse> ImdsClient::send_get(std::string_view path) {
    HttpRequest request;
    request.url = m_options.base_url + std::string(path);
    request.headers = {{"X-aws-ec2-metadata-token", m_token}};
    request.timeout = m_options.timeout;
    auto response = m_http.send(request);
    if (!response.ok())
        return make_error("cannot read " + request.url +
                          " from the EC2 instance metadata service: " + response.error().message);
    return response;
}

Result<std::optional<std::string>> ImdsClient::get(std::string_view path) {
    if (m_token.empty())
        if (auto ok = fetch_token(); !ok) return ok.error();
    auto response = send_get(path);
    if (response.ok() && response->status == 401) {
        if (auto ok = fetch_token(); !ok) return ok.error();
        response = send_get(path);
    }
    if (!response.ok()) return response.error();
    if (response->status == 404) return std::optional<std::string>{};
    if (response->status != 200)
        return make_error("the EC2 instance metadata service answered HTTP " +
                          std::to_string(response->status) + " for " + std::string(path));
    return std::optional<std::string>{std::move(response->body)};
}

}  // namespace spotfarm::util

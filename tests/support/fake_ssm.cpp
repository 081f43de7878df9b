#include "support/fake_ssm.h"

#include <nlohmann/json.hpp>

#include "support/sigv4_verifier.h"

namespace spotfarm::testing {
namespace {

util::HttpResponse json_answer(int status, const nlohmann::json& body) {
    return {
        status,
        {{"Content-Type", "application/x-amz-json-1.1"}, {"x-amzn-RequestId", "fake-ssm-request"}},
        body.dump()};
}

util::HttpResponse json_error(int status, const std::string& code, const std::string& message) {
    return json_answer(status, {{"__type", code}, {"message", message}});
}

}  // namespace

FakeSsm::FakeSsm(std::string region, providers::aws::Credentials credentials)
    : m_region(std::move(region)), m_credentials(std::move(credentials)) {
    m_server = std::make_unique<LoopbackHttpServer>(
        [this](const ReceivedRequest& request) { return handle(request); });
}

std::string FakeSsm::endpoint() const {
    return m_server->url() + "/";
}

void FakeSsm::put_parameter(std::string name, std::string value) {
    std::lock_guard lock(m_mutex);
    m_parameters[std::move(name)] = std::move(value);
}

void FakeSsm::fail_next(int http_status, std::string code, std::string message, int times) {
    std::lock_guard lock(m_mutex);
    m_injected.push_back({http_status, std::move(code), std::move(message), times});
}

std::vector<std::string> FakeSsm::asked() const {
    std::lock_guard lock(m_mutex);
    return m_asked;
}

util::HttpResponse FakeSsm::handle(const ReceivedRequest& request) {
    if (request.method != "POST" || request.target != "/")
        return json_error(400, "UnknownOperationException", "SSM takes POST / only");
    if (auto error = verify_sigv4(request, {m_credentials, m_region, "ssm", std::nullopt}))
        return json_error(error->http_status, error->code, error->message);
    if (util::find_header(request.headers, "Content-Type") != "application/x-amz-json-1.1")
        return json_error(400, "SerializationException", "Content-Type must be JSON 1.1");
    const auto target = util::find_header(request.headers, "X-Amz-Target");
    if (target != "AmazonSSM.GetParameter")
        return json_error(400, "UnknownOperationException",
                          "this stand-in knows AmazonSSM.GetParameter only");
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("Name") || !body["Name"].is_string())
        return json_error(400, "ValidationException", "Name is required");
    for (const auto& [key, value] : body.items())
        if (key != "Name" && key != "WithDecryption")
            return json_error(400, "SerializationException", "unknown member " + key);
    const std::string name = body["Name"].get<std::string>();
    std::lock_guard lock(m_mutex);
    m_asked.push_back(name);
    if (!m_injected.empty()) {
        auto injected = m_injected.front();
        if (--m_injected.front().times <= 0) m_injected.erase(m_injected.begin());
        return json_error(injected.status, injected.code, injected.message);
    }
    auto it = m_parameters.find(name);
    if (it == m_parameters.end()) return json_error(400, "ParameterNotFound", "");
    return json_answer(200, {{"Parameter",
                              {{"Name", name},
                               {"Type", "String"},
                               {"Value", it->second},
                               {"Version", 7},
                               {"LastModifiedDate", 1764921600.0},
                               {"ARN", "arn:aws:ssm:" + m_region + "::parameter" + name},
                               {"DataType", "aws:ec2:image"}}}});
}

}  // namespace spotfarm::testing

#include "providers/aws/ssm_client.h"

#include <nlohmann/json.hpp>

#include "providers/aws/aws_endpoints.h"
#include "util/json_fields.h"

namespace spotfarm::providers::aws {

util::Result<std::unique_ptr<SsmClient>> SsmClient::create(AwsClientServices services,
                                                           std::string region, std::string endpoint,
                                                           RetryPolicy retry) {
    AwsCallOptions options;
    options.service_label = "SSM";
    options.signing_service = "ssm";
    options.signing_region = region;
    options.endpoint = endpoint.empty() ? default_endpoint(AwsService::ssm, region) : endpoint;
    options.retry = retry;
    auto caller = AwsCaller::create(std::move(services), std::move(options), parse_json_error);
    if (!caller.ok()) return caller.error();
    return std::unique_ptr<SsmClient>(new SsmClient(std::move(caller.value())));
}

util::Result<SsmParameter> SsmClient::get_parameter(const std::string& name) {
    AwsRequest request;
    request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", "AmazonSSM.GetParameter"}};
    request.body = nlohmann::json{{"Name", name}}.dump();
    auto reply = m_caller.call(request);
    if (!reply.ok()) return reply.error();
    if (reply->error) {
        if (reply->error->code == "ParameterNotFound")
            return util::make_error("SSM has no parameter " + name + " in this region",
                                    util::ErrorKind::not_found);
        return describe_aws_error(*reply->error, "ssm", "GetParameter", reply->attempts);
    }
    auto json = util::parse_json_text(reply->body, "SSM GetParameter answer");
    if (!json.ok()) return json.error();
    if (!json->is_object() || !json->contains("Parameter"))
        return util::make_error("SSM answered GetParameter without a Parameter");
    SsmParameter parameter;
    util::JsonFields fields((*json)["Parameter"], "GetParameter.Parameter");
    std::int64_t version = 0;
    fields.required("Name", parameter.name)
        .required("Value", parameter.value)
        .defaulted("Type", parameter.type)
        .defaulted("Version", version);
    if (auto status = fields.status(); !status.ok()) return status.error();
    parameter.version = version;
    return parameter;
}

}  // namespace spotfarm::providers::aws

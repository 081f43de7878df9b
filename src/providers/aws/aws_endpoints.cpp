#include "providers/aws/aws_endpoints.h"

namespace spotfarm::providers::aws {
namespace {

bool is_true(const std::optional<std::string>& value) {
    return value && (*value == "true" || *value == "TRUE" || *value == "True");
}

}  // namespace

std::string_view signing_name(AwsService service) {
    switch (service) {
        case AwsService::ec2:
            return "ec2";
        case AwsService::iam:
            return "iam";
        case AwsService::ssm:
            return "ssm";
        case AwsService::efs:
            return "elasticfilesystem";
    }
    return "ec2";
}

std::string_view endpoint_env_suffix(AwsService service) {
    switch (service) {
        case AwsService::ec2:
            return "EC2";
        case AwsService::iam:
            return "IAM";
        case AwsService::ssm:
            return "SSM";
        case AwsService::efs:
            return "EFS";
    }
    return "EC2";
}

std::string signing_region(AwsService service, std::string_view region) {
    // IAM has one endpoint for the whole partition; AWS signs its requests for us-east-1.
    return service == AwsService::iam ? "us-east-1" : std::string(region);
}

std::string default_endpoint(AwsService service, std::string_view region) {
    if (service == AwsService::iam) return "https://iam.amazonaws.com/";
    return "https://" + std::string(signing_name(service)) + "." + std::string(region) +
           ".amazonaws.com/";
}

std::string service_endpoint(const Environment& env, AwsService service, std::string_view region,
                             std::string_view flag) {
    if (!flag.empty()) return std::string(flag);
    if (env && !is_true(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
        const std::string own = "AWS_ENDPOINT_URL_" + std::string(endpoint_env_suffix(service));
        if (auto url = env(own); url && !url->empty()) return *url;
        if (auto url = env("AWS_ENDPOINT_URL"); url && !url->empty()) return *url;
    }
    return default_endpoint(service, region);
}

}  // namespace spotfarm::providers::aws

#pragma once
// Where each AWS service is reached, by AWS's conventions: AWS_ENDPOINT_URL_<SERVICE> for one
// service, AWS_ENDPOINT_URL for all (both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is
// true), else the service's public endpoint in the region. A flag (--ec2-endpoint) beats both.

#include <string>
#include <string_view>

#include "providers/aws/credential_sources.h"

namespace spotfarm::providers::aws {

enum class AwsService { ec2, iam, ssm, efs };

// The SigV4 signing name: "ec2", "iam", "ssm", "elasticfilesystem".
std::string_view signing_name(AwsService service);
// The suffix of AWS_ENDPOINT_URL_<SERVICE>: "EC2", "IAM", "SSM", "EFS".
std::string_view endpoint_env_suffix(AwsService service);
// The region requests are signed for: IAM is global and signs for us-east-1.
std::string signing_region(AwsService service, std::string_view region);
// The public endpoint: https://ec2.REGION.amazonaws.com/, https://iam.amazonaws.com/,
// https://ssm.REGION.amazonaws.com/, https://elasticfilesystem.REGION.amazonaws.com/.
std::string default_endpoint(AwsService service, std::string_view region);

// The endpoint to use: `flag` when not empty, then the environment, then default_endpoint.
std::string service_endpoint(const Environment& env, AwsService service, std::string_view region,
                             std::string_view flag = {});

}  // namespace spotfarm::providers::aws

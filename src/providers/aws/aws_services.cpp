#include "providers/aws/aws_services.h"

#include "providers/aws/aws_endpoints.h"

namespace spotfarm::providers::aws {

util::Result<AwsServices> open_aws_services(AwsClientServices services, const std::string& region,
                                            const Environment& env, const AwsEndpointFlags& flags) {
    AwsServices aws{region, services.http, services.clock, services.sleeper, {}, {}, {}, {}, {}};
    const auto endpoint = [&](AwsService service, const std::string& flag) {
        return service_endpoint(env, service, region, flag);
    };
    auto ec2 = Ec2Client::create(
        services, {.region = region, .endpoint = endpoint(AwsService::ec2, flags.ec2)});
    if (!ec2.ok()) return util::make_error(ec2.error().message, util::ErrorKind::invalid);
    aws.ec2 = std::move(*ec2);
    auto network = Ec2NetworkClient::create(services, region, endpoint(AwsService::ec2, flags.ec2));
    if (!network.ok()) return network.error();
    aws.ec2_network = std::move(*network);
    auto iam = IamClient::create(services, endpoint(AwsService::iam, flags.iam));
    if (!iam.ok()) return iam.error();
    aws.iam = std::move(*iam);
    auto ssm = SsmClient::create(services, region, endpoint(AwsService::ssm, flags.ssm));
    if (!ssm.ok()) return ssm.error();
    aws.ssm = std::move(*ssm);
    auto efs = EfsClient::create(services, region, endpoint(AwsService::efs, flags.efs));
    if (!efs.ok()) return efs.error();
    aws.efs = std::move(*efs);
    return aws;
}

}  // namespace spotfarm::providers::aws

#pragma once
// The AWS clients `cloud setup`, `teardown` and a cloud render use together, and what they share.

#include <memory>
#include <string>

#include "providers/aws/aws_call.h"
#include "providers/aws/credential_sources.h"
#include "providers/aws/ec2_client.h"
#include "providers/aws/ec2_network_client.h"
#include "providers/aws/efs_client.h"
#include "providers/aws/iam_client.h"
#include "providers/aws/shared_config.h"
#include "providers/aws/ssm_client.h"
#include "util/clock.h"
#include "util/http_client.h"
#include "util/sleeper.h"

namespace spotfarm::providers::aws {

// The clients of one region (EC2 twice: instances, and the network setup needs), and the HTTP
// client, clock and sleeper they were made with (setup waits on EFS and asks for this machine's
// public address through them).
struct AwsServices {
    std::string region;
    util::HttpClient& http;
    const util::Clock& clock;
    util::Sleeper& sleeper;
    std::unique_ptr<Ec2Client> ec2;
    std::unique_ptr<Ec2NetworkClient> ec2_network;
    std::unique_ptr<IamClient> iam;
    std::unique_ptr<SsmClient> ssm;
    std::unique_ptr<EfsClient> efs;
};

// Endpoints the caller names itself; empty ones follow aws_endpoints.h (the environment, then
// AWS's public endpoints).
struct AwsEndpointFlags {
    std::string ec2, iam, ssm, efs;
};

// Makes the clients for `region`, each at the endpoint AWS's conventions give it.
util::Result<AwsServices> open_aws_services(AwsClientServices services, const std::string& region,
                                            const Environment& env,
                                            const AwsEndpointFlags& flags = {});

}  // namespace spotfarm::providers::aws

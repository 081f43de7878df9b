#pragma once
// An AWS account on loopback for `cloud setup` and `teardown`: the EC2 stand-in with its network
// part, IAM, SSM and EFS stand-ins that all accept the same test keys, and a checkip page. EFS
// mount targets hold their security groups, as in AWS, so groups cannot go before them.

#include <string>
#include <vector>

#include "providers/aws/credentials.h"
#include "support/fake_ec2.h"
#include "support/fake_ec2_network.h"
#include "support/fake_efs.h"
#include "support/fake_iam.h"
#include "support/fake_ssm.h"
#include "support/loopback_http_server.h"

namespace spotfarm::testing {

class FakeAwsAccount {
public:
    // An account whose region has a default VPC with a subnet in three zones.
    explicit FakeAwsAccount(std::string region = "eu-west-1", bool default_vpc = true);

    static providers::aws::Credentials test_credentials();
    const std::string& region() const { return m_region; }
    std::string checkip_url() const;  // answers "203.0.113.7\n"
    static constexpr const char* k_public_ip = "203.0.113.7";

    // AWS_ENDPOINT_URL_<SERVICE> for each stand-in, as "NAME=value".
    std::vector<std::string> endpoint_environment() const;
    // What carries the spotfarm:setup tag (or is named as setup names things), one line each:
    // "security group sg-...", "EFS fs-...", "mount target fsmt-...", "IAM role ...", ...
    std::vector<std::string> setup_resources() const;
    // Calls that changed something, over all the stand-ins.
    int changes() const;

    FakeEc2 ec2;
    FakeEc2Network network;
    FakeIam iam;
    FakeSsm ssm;
    FakeEfs efs;

private:
    std::string m_region;
    LoopbackHttpServer m_checkip;
};

}  // namespace spotfarm::testing

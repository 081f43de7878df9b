#include "support/fake_aws_account.h"

namespace spotfarm::testing {

providers::aws::Credentials FakeAwsAccount::test_credentials() {
    return {"AKIDFAKEACCOUNT", "fake/account/secret/key", "", std::nullopt, "test"};
}

FakeAwsAccount::FakeAwsAccount(std::string region, bool default_vpc)
    : ec2(FakeEc2Options{test_credentials(), region, nullptr}),
      network(ec2),
      iam(test_credentials()),
      ssm(region, test_credentials()),
      efs(region, test_credentials()),
      m_region(std::move(region)),
      m_checkip([](const ReceivedRequest&) {
          return util::HttpResponse{
              200, {{"Content-Type", "text/plain"}}, std::string(k_public_ip) + "\n"};
      }) {
    if (default_vpc) network.add_default_vpc(m_region);
    network.set_group_users([this](const std::string& group) { return efs.group_in_use(group); });
    efs.set_zone_of([this](const std::string& subnet) { return network.zone_of(subnet); });
}

std::string FakeAwsAccount::checkip_url() const {
    return m_checkip.url() + "/";
}

std::vector<std::string> FakeAwsAccount::endpoint_environment() const {
    return {"AWS_ENDPOINT_URL_EC2=" + ec2.endpoint(), "AWS_ENDPOINT_URL_IAM=" + iam.endpoint(),
            "AWS_ENDPOINT_URL_SSM=" + ssm.endpoint(), "AWS_ENDPOINT_URL_EFS=" + efs.endpoint()};
}

std::vector<std::string> FakeAwsAccount::setup_resources() const {
    std::vector<std::string> found;
    for (const auto& group : network.security_groups())
        for (const auto& tag : group.tags)
            if (tag.key.starts_with("spotfarm:")) found.push_back("security group " + group.id);
    for (const auto& fs : efs.file_systems()) found.push_back("EFS " + fs.id);
    for (const auto& mt : efs.mount_targets()) found.push_back("mount target " + mt.target.id);
    for (const auto& [name, role] : iam.roles()) found.push_back("IAM role " + name);
    for (const auto& [name, profile] : iam.profiles()) found.push_back("instance profile " + name);
    return found;
}

int FakeAwsAccount::changes() const {
    return network.changes() + iam.changes() + efs.changes();
}

}  // namespace spotfarm::testing

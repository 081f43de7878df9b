#pragma once
// The EC2 Query API calls that `cloud setup` and `teardown` make on the network: the VPC and its
// subnets, and the security groups of the manager and the workers. A client of its own beside
// Ec2Client (which launches and lists instances), over the same wire format and signing.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/aws_call.h"
#include "providers/aws/ec2_types.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

struct Ec2Vpc {
    std::string id, cidr;
    bool is_default = false;
};

struct Ec2Subnet {
    std::string id, vpc_id, zone, cidr;
    bool default_for_zone = false;
};

// One rule of a security group: a TCP port range from a CIDR or from another group.
struct IngressRule {
    int from_port = 0, to_port = 0;
    std::string cidr;      // "203.0.113.7/32"; or
    std::string group_id;  // sg-...
    std::string description;

    bool operator==(const IngressRule&) const = default;
};

struct Ec2SecurityGroup {
    std::string id, name, vpc_id, description;
    std::vector<IngressRule> ingress;  // TCP only
    std::vector<Tag> tags;
};

// Thread-safe.
class Ec2NetworkClient {
public:
    // `endpoint` empty: https://ec2.REGION.amazonaws.com/.
    static util::Result<std::unique_ptr<Ec2NetworkClient>> create(AwsClientServices services,
                                                                  std::string region,
                                                                  std::string endpoint,
                                                                  RetryPolicy retry = {});

    // `vpc_id` empty: the default VPC, nullopt when the region has none.
    util::Result<std::optional<Ec2Vpc>> find_vpc(const std::string& vpc_id);
    // `subnet_ids` empty: every subnet of the VPC.
    util::Result<std::vector<Ec2Subnet>> describe_subnets(const std::string& vpc_id,
                                                          const std::vector<std::string>& ids);
    // nullopt when the VPC has no group of that name.
    util::Result<std::optional<Ec2SecurityGroup>> find_security_group(const std::string& vpc_id,
                                                                      const std::string& name);
    // Groups carrying the tag key (any value), in any VPC.
    util::Result<std::vector<Ec2SecurityGroup>> security_groups_tagged(const std::string& key);
    // The new group's id.
    util::Result<std::string> create_security_group(const std::string& vpc_id,
                                                    const std::string& name,
                                                    const std::string& description,
                                                    const std::vector<Tag>& tags);
    // A rule the group has already is no error.
    util::Status authorize_ingress(const std::string& group_id,
                                   const std::vector<IngressRule>& rules);
    // A rule the group does not have is no error.
    util::Status revoke_ingress(const std::string& group_id, const std::vector<IngressRule>& rules);
    // A group that is gone already is no error.
    util::Status delete_security_group(const std::string& group_id);

    const std::string& endpoint() const { return m_caller.endpoint(); }

private:
    explicit Ec2NetworkClient(AwsCaller caller) : m_caller(std::move(caller)) {}
    util::Result<std::string> call(const QueryParams& params);
    // AuthorizeSecurityGroupIngress or RevokeSecurityGroupIngress, one call per rule.
    util::Status change_ingress(const char* action, const std::string& group_id,
                                const std::vector<IngressRule>& rules);

    AwsCaller m_caller;
};

}  // namespace spotfarm::providers::aws

#pragma once
// The network part of the EC2 stand-in: VPCs, subnets and security groups, answered in EC2's
// XML through FakeEc2's extra actions (DescribeVpcs, DescribeSubnets, DescribeSecurityGroups,
// CreateSecurityGroup, AuthorizeSecurityGroupIngress, DeleteSecurityGroup).

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/ec2_network_client.h"
#include "support/fake_ec2.h"

namespace spotfarm::testing {

// The default VPC's subnets (add_default_vpc), ids as long as EC2's.
inline constexpr const char* k_default_subnet_a = "subnet-0aaaaaaaaaaaaaaaa";
inline constexpr const char* k_default_subnet_b = "subnet-0bbbbbbbbbbbbbbbb";
inline constexpr const char* k_default_subnet_c = "subnet-0cccccccccccccccc";

class FakeEc2Network {
public:
    // Serves `ec2`'s network actions from now on; `ec2` must outlive this.
    explicit FakeEc2Network(FakeEc2& ec2);
    ~FakeEc2Network();
    FakeEc2Network(const FakeEc2Network&) = delete;
    FakeEc2Network& operator=(const FakeEc2Network&) = delete;

    void add_vpc(std::string id, std::string cidr, bool is_default);
    void add_subnet(std::string id, std::string vpc_id, std::string zone, std::string cidr,
                    bool default_for_zone);
    // A default VPC with a default subnet in REGIONa, REGIONb and REGIONc.
    void add_default_vpc(const std::string& region);
    // How many groups the account may hold (SecurityGroupLimitExceeded beyond); unset: no limit.
    void set_group_limit(int groups);
    // Whether something outside EC2 (an EFS mount target) still uses a group: deleting it then
    // answers DependencyViolation, as EC2 does.
    void set_group_users(std::function<bool(const std::string& group_id)> in_use);

    std::vector<providers::aws::Ec2SecurityGroup> security_groups() const;
    // The zone of a subnet; "" for an unknown one.
    std::string zone_of(const std::string& subnet_id) const;
    // Calls that changed something (creations, rules, deletions).
    int changes() const;

private:
    using Params = std::map<std::string, std::string>;
    using Answer = std::pair<int, std::string>;

    std::optional<Answer> handle(const std::string& action, const Params& params);
    Answer describe_vpcs(const Params& params) const;
    Answer describe_subnets(const Params& params) const;
    Answer describe_groups(const Params& params) const;
    Answer create_group(const Params& params);
    Answer authorize(const Params& params);
    Answer delete_group(const Params& params);

    struct Vpc {
        std::string id, cidr;
        bool is_default = false;
    };
    FakeEc2& m_ec2;
    mutable std::mutex m_mutex;
    std::vector<Vpc> m_vpcs;
    std::vector<providers::aws::Ec2Subnet> m_subnets;
    std::vector<providers::aws::Ec2SecurityGroup> m_groups;
    std::optional<int> m_group_limit;
    std::function<bool(const std::string&)> m_group_users;
    int m_changes = 0;
    int m_next_id = 1;
};

}  // namespace spotfarm::testing

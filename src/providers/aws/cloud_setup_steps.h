#pragma once
// The steps of `cloud setup` and `teardown`, one file each (cloud_setup_network.cpp,
// cloud_setup_efs.cpp, cloud_setup_iam.cpp); cloud_setup.cpp runs them in order.

#include <string>
#include <vector>

#include "providers/aws/cloud_setup.h"

namespace spotfarm::providers::aws::setup_steps {

// spotfarm:setup=REGION and a Name.
std::vector<Tag> setup_tags(const std::string& region, const std::string& name);

// The VPC and one subnet per zone (the ones named, or the VPC's default subnets).
util::Status choose_network(Ec2NetworkClient& ec2, const CloudSetupOptions& options,
                            CloudSetupRecord& record, const SayFn& say);
// Both groups and their rules; the worker group also guards EFS's mount targets.
util::Status ensure_security_groups(Ec2NetworkClient& ec2, const CloudSetupOptions& options,
                                    CloudSetupRecord& record, const SayFn& say);
// The file system and a mount target in every subnet, waited on until all are available.
util::Status ensure_efs(AwsServices& aws, const CloudSetupOptions& options,
                        CloudSetupRecord& record, const SayFn& say);
// The manager's role with its policy, and the instance profile that carries it.
util::Status ensure_manager_role(IamClient& iam, CloudSetupRecord& record, const SayFn& say);

// Teardown's halves of the same steps. Each finds what is left and removes it; what is gone
// already is no error.
util::Status delete_efs(AwsServices& aws, const std::string& efs_id, const TeardownOptions& options,
                        const SayFn& say, std::vector<std::string>& deleted);
util::Status delete_security_groups(AwsServices& aws, const std::vector<std::string>& group_ids,
                                    const TeardownOptions& options, const SayFn& say,
                                    std::vector<std::string>& deleted);
util::Status delete_manager_role(IamClient& iam, const std::string& role,
                                 const std::string& profile, const SayFn& say,
                                 std::vector<std::string>& deleted);

}  // namespace spotfarm::providers::aws::setup_steps

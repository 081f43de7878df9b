#pragma once
// The instances spotfarm launched, found through their spotfarm:fleet tag alone, so that
// `spotfarm cloud status` and `spotfarm cloud down` work with no manager running and after any
// crash.

#include <string>
#include <vector>

#include "providers/aws/ec2_client.h"

namespace spotfarm::providers::aws {

// The instances of one fleet, or of every spotfarm fleet when `fleet_id` is empty. EC2 lists
// terminated instances for about an hour after they end.
util::Result<std::vector<Ec2Instance>> find_spotfarm_instances(Ec2Client& ec2,
                                                               const std::string& fleet_id);

// Terminates every instance of the fleet (of every fleet when `fleet_id` is empty) that is not
// already shutting down or terminated, and returns those. Nothing to terminate is not an error,
// so a second call is harmless.
util::Result<std::vector<Ec2Instance>> terminate_spotfarm_instances(Ec2Client& ec2,
                                                                    const std::string& fleet_id);

}  // namespace spotfarm::providers::aws

#pragma once
// The current image for workers and the manager, from AWS's public SSM parameters, so nobody
// looks up an AMI id: Debian 12 for CPU instances, the Deep Learning Base OSS Nvidia Driver AMI
// (Ubuntu 22.04) for GPU instances.

#include <string>
#include <string_view>

#include "providers/aws/ssm_client.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

enum class CpuArch { x86_64, arm64 };

// The public parameter that names the image: /aws/service/debian/release/bookworm/latest/amd64,
// /aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id, ...
std::string ami_parameter_name(CpuArch arch, bool gpu);

// The AMI id ("ami-...") the parameter holds in the client's region.
util::Result<std::string> resolve_ami(SsmClient& ssm, CpuArch arch, bool gpu);

// The user the image logs in as: "admin" on Debian, "ubuntu" on the GPU image.
std::string_view image_login_user(bool gpu);

}  // namespace spotfarm::providers::aws

#include "providers/aws/ssm_ami.h"

namespace spotfarm::providers::aws {

std::string ami_parameter_name(CpuArch arch, bool gpu) {
    if (gpu)
        return std::string("/aws/service/deeplearning/ami/") +
               (arch == CpuArch::arm64 ? "arm64" : "x86_64") +
               "/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id";
    return std::string("/aws/service/debian/release/bookworm/latest/") +
           (arch == CpuArch::arm64 ? "arm64" : "amd64");
}

util::Result<std::string> resolve_ami(SsmClient& ssm, CpuArch arch, bool gpu) {
    const std::string name = ami_parameter_name(arch, gpu);
    auto parameter = ssm.get_parameter(name);
    if (!parameter.ok()) {
        auto error = parameter.error();
        error.message =
            "cannot find the current " +
            std::string(gpu ? "GPU (Deep Learning Base OSS Nvidia Driver)" : "Debian 12") +
            " image: " + error.message + ". Pass --ami to name one yourself";
        return error;
    }
    if (!parameter->value.starts_with("ami-"))
        return util::make_error("the SSM parameter " + name + " holds '" + parameter->value +
                                "', not an AMI id; pass --ami to name one yourself");
    return parameter->value;
}

std::string_view image_login_user(bool gpu) {
    return gpu ? "ubuntu" : "admin";
}

}  // namespace spotfarm::providers::aws

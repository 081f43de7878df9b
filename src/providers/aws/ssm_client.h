#pragma once
// A client for SSM's JSON 1.1 API (X-Amz-Target: AmazonSSM.<Action>), reduced to GetParameter:
// AWS publishes the current images of Debian, Ubuntu and its Deep Learning AMIs as public
// parameters under /aws/service/.

#include <memory>
#include <string>

#include "providers/aws/aws_call.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

struct SsmParameter {
    std::string name, type, value;
    long long version = 0;
};

// Thread-safe.
class SsmClient {
public:
    // `endpoint` empty: https://ssm.REGION.amazonaws.com/.
    static util::Result<std::unique_ptr<SsmClient>> create(AwsClientServices services,
                                                           std::string region, std::string endpoint,
                                                           RetryPolicy retry = {});

    // A parameter that does not exist is an error of kind not_found.
    util::Result<SsmParameter> get_parameter(const std::string& name);

    const std::string& endpoint() const { return m_caller.endpoint(); }

private:
    explicit SsmClient(AwsCaller caller) : m_caller(std::move(caller)) {}
    AwsCaller m_caller;
};

}  // namespace spotfarm::providers::aws

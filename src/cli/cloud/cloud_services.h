#pragma once
// The AWS clients of `cloud setup`, `teardown` and a cloud render, made from the AWS flags:
// endpoints from --ec2-endpoint, AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL, else AWS's.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cloud/cloud_context.h"
#include "providers/aws/aws_services.h"

namespace spotfarm::cli {

// The session (HTTP client, credentials, sleeper) and the clients that use it.
struct CloudServices {
    std::unique_ptr<AwsSession> session;
    std::unique_ptr<providers::aws::AwsServices> aws;
};

// A missing region or credentials, or a malformed endpoint, is a usage error (code 2).
util::Result<CloudServices> open_cloud_services(const AwsFlags& flags);

// The setup section of `cloud status`: what `cloud setup` recorded for the session's region and
// what its EFS holds now (a table, or the "setup" member of the JSON answer: null when nothing
// is recorded).
void print_setup_section(AwsSession& session);
nlohmann::json setup_section_json(AwsSession& session);

// The registration of `cloud setup` and `cloud teardown` (cloud_setup.cpp, cloud_teardown.cpp).
void add_cloud_setup_command(CLI::App& cloud, int& exit_code);
void add_cloud_teardown_command(CLI::App& cloud, int& exit_code);

}  // namespace spotfarm::cli

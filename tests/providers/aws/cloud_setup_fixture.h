#pragma once
// A loopback AWS account and the clients `cloud setup` uses, pointed at it through AWS's
// endpoint variables; the setup record goes to the test's own folder.

#include <cstdlib>
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "providers/aws/aws_services.h"
#include "providers/aws/cloud_setup.h"
#include "support/fake_aws_account.h"
#include "support/recording_sleeper.h"
#include "support/scratch_dir.h"
#include "util/http_client.h"

namespace spotfarm::testing {

class CloudSetupFixture : public ::testing::Test {
protected:
    explicit CloudSetupFixture(bool default_vpc = true) : account("eu-west-1", default_vpc) {
        setenv("SPOTFARM_CLOUD_STATE", dir.path().c_str(), 1);
        std::map<std::string, std::string> env;
        for (const auto& entry : account.endpoint_environment())
            env[entry.substr(0, entry.find('='))] = entry.substr(entry.find('=') + 1);
        auto opened = providers::aws::open_aws_services(
            {http, credentials, util::steady_clock(), sleeper, [] { return 0.5; }},
            account.region(), [env](const std::string& name) -> std::optional<std::string> {
                auto it = env.find(name);
                if (it == env.end()) return std::nullopt;
                return it->second;
            });
        if (!opened.ok()) ADD_FAILURE() << opened.error().message;
        aws = std::make_unique<providers::aws::AwsServices>(std::move(opened.value()));
        options.checkip_url = account.checkip_url();
        options.efs_poll = std::chrono::seconds(5);
        teardown.poll = std::chrono::seconds(5);
    }
    ~CloudSetupFixture() override { unsetenv("SPOTFARM_CLOUD_STATE"); }

    util::Result<providers::aws::CloudSetupRecord> setup() {
        return providers::aws::ensure_cloud_setup(
            *aws, options, [this](std::string_view line) { said += std::string(line) + "\n"; });
    }
    util::Result<providers::aws::TeardownReport> tear_down() {
        return providers::aws::teardown_cloud_setup(
            *aws, account.region(), teardown,
            [this](std::string_view line) { said += std::string(line) + "\n"; });
    }

    test::ScratchDir dir;
    FakeAwsAccount account;
    util::CurlHttpClient http;
    providers::aws::StaticCredentialsProvider credentials{FakeAwsAccount::test_credentials()};
    RecordingSleeper sleeper;
    std::unique_ptr<providers::aws::AwsServices> aws;
    providers::aws::CloudSetupOptions options;
    providers::aws::TeardownOptions teardown;
    std::string said;
};

}  // namespace spotfarm::testing

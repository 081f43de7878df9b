#include "cli/cloud/cloud_context.h"

#include <iostream>

#include "cli/common/commands.h"
#include "estimate/price_table.h"
#include "providers/aws/aws_endpoints.h"
#include "providers/aws/credential_sources.h"
#include "providers/aws/region.h"

namespace spotfarm::cli {

void add_aws_flags(CLI::App& command, AwsFlags& flags) {
    command.add_option("--region", flags.region,
                       "AWS region, e.g. eu-west-1 (default: AWS_REGION, AWS_DEFAULT_REGION or "
                       "the profile's region)");
    command.add_option("--profile", flags.profile,
                       "profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE or "
                       "'default')");
    command.add_option(
        "--ec2-endpoint", flags.ec2_endpoint,
        "EC2 API endpoint URL, for EC2-compatible clouds and tests (default: "
        "AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, https://ec2.REGION.amazonaws.com/)");
}

util::Result<std::unique_ptr<AwsSession>> open_aws_session(const AwsFlags& flags) {
    const auto env = providers::aws::process_environment();
    auto region = providers::aws::resolve_region(env, flags.region, flags.profile);
    if (!region.ok()) return util::make_error(region.error().message, util::ErrorKind::invalid);

    auto session = std::make_unique<AwsSession>();
    session->region = *region;
    providers::aws::CredentialOptions options;
    options.profile = flags.profile;
    const auto disabled = env("AWS_EC2_METADATA_DISABLED");
    options.use_instance_role = !(disabled && (*disabled == "true" || *disabled == "TRUE"));
    auto credentials =
        providers::aws::resolve_credentials(env, session->http, util::steady_clock(), options);
    if (!credentials.ok())
        return util::make_error(credentials.error().message, util::ErrorKind::invalid);
    session->credentials = std::move(*credentials);

    auto ec2 = providers::aws::Ec2Client::create(
        {session->http, *session->credentials, util::steady_clock(), session->sleeper},
        {.region = *region,
         .endpoint = providers::aws::service_endpoint(env, providers::aws::AwsService::ec2, *region,
                                                      flags.ec2_endpoint)});
    if (!ec2.ok()) return util::make_error(ec2.error().message, util::ErrorKind::invalid);
    session->ec2 = std::move(*ec2);
    return session;
}

std::map<std::string, double> builtin_on_demand_prices() {
    std::map<std::string, double> prices;
    auto table = estimate::builtin_price_table();
    if (table.ok())
        for (const auto& entry : table->instances)
            prices[entry.type] = entry.on_demand_usd_per_hour;
    return prices;
}

int report_error(std::string_view command, const util::Error& error) {
    std::cerr << "spotfarm cloud " << command << ": " << error.message << "\n";
    return exit_code(error.kind);
}

}  // namespace spotfarm::cli

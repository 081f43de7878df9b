#include "cli/estimate/estimate_prices.h"

#include <iostream>

#include <fmt/format.h>

#include "providers/aws/credential_sources.h"
#include "providers/aws/region.h"
#include "providers/aws/spot_price_now.h"

namespace spotfarm::cli {

namespace {

namespace aws = providers::aws;
using namespace std::chrono_literals;

// Keys in the environment or ~/.aws, or a broken attempt at them (worth a note).
bool credentials_at_hand(const aws::Environment& env, const AwsFlags& flags) {
    auto from_env = aws::credentials_from_environment(env);
    if (!from_env || *from_env) return true;
    auto from_files =
        aws::credentials_from_shared_files(env, aws::profile_name(env, flags.profile));
    return !from_files || *from_files;
}

// An estimate should not wait minutes on a throttled API: fewer, shorter tries than `cloud`.
util::Result<std::vector<aws::CurrentSpotPrice>> ask_ec2(AwsSession& session, const AwsFlags& flags,
                                                         const std::vector<std::string>& types) {
    auto ec2 = aws::Ec2Client::create(
        {session.http, *session.credentials, util::steady_clock(), session.sleeper},
        {.region = session.region,
         .endpoint = flags.ec2_endpoint,
         .retry = {.max_attempts = 3, .base_delay = 250ms, .max_delay = 2000ms},
         .timeout = 10000ms});
    if (!ec2) return ec2.error();
    return aws::fetch_current_spot_prices(**ec2, types, std::chrono::system_clock::now());
}

}  // namespace

void apply_ec2_spot_price(EstimatePricing& pricing, const estimate::PriceTable& table,
                          const AwsFlags& flags, bool live_prices) {
    if (!pricing.spot) return;
    const aws::Environment env = aws::process_environment();
    if (!live_prices && !credentials_at_hand(env, flags)) return;
    AwsFlags asked = flags;
    if (!asked.region && !aws::resolve_region(env, std::nullopt, flags.profile)) {
        asked.region = pricing.table_region;
    }
    auto note = [&pricing](const std::string& why) {
        pricing.price_note = fmt::format(
            "EC2 was not asked or did not answer, so Spot is priced from the table: {}", why);
        std::cerr << "spotfarm estimate: note: " << pricing.price_note << "\n";
    };
    auto session = open_aws_session(asked);
    if (!session) return note(session.error().message);
    auto prices = ask_ec2(**session, asked, pricing.candidates);
    if (!prices) {
        return note(fmt::format("DescribeSpotPriceHistory in {} failed: {}", (*session)->region,
                                prices.error().message));
    }
    if (!use_cheapest_live_spot_price(pricing, table, *prices, (*session)->region))
        note(fmt::format("EC2 lists no Linux/UNIX Spot price in {} for {}", (*session)->region,
                         pricing.machines));
}

}  // namespace spotfarm::cli

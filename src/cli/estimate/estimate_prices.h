#pragma once
// Where `spotfarm estimate` takes its Spot price from: EC2's DescribeSpotPriceHistory when AWS
// credentials are at hand (or --live-prices asks for it), else the price table's typical
// discount, with a one-line note when EC2 was asked and did not answer.

#include "cli/cloud/cloud_context.h"
#include "cli/estimate/estimate_setup.h"

namespace spotfarm::cli {

// For Spot pricing only. Without --live-prices EC2 is asked only when credentials are in the
// environment or the shared files (~/.aws): no instance-role lookup, which would mean a network
// call on every machine. The region is --region, AWS_REGION, AWS_DEFAULT_REGION or the profile's,
// else the table's. On any failure the table's price stays, `pricing.price_note` says why, and
// the note is printed on stderr. EC2 is asked for every candidate type in one call, and the
// cheapest prices the render, on its own speed from `table`.
void apply_ec2_spot_price(EstimatePricing& pricing, const estimate::PriceTable& table,
                          const AwsFlags& aws, bool live_prices);

}  // namespace spotfarm::cli

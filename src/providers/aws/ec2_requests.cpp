#include "providers/aws/ec2_requests.h"

#include "providers/aws/ec2_query_params.h"
#include "util/base64.h"
#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

void add_page(QueryParams& params, int max_results, const std::string& next_token) {
    if (max_results > 0) params.emplace_back("MaxResults", std::to_string(max_results));
    if (!next_token.empty()) params.emplace_back("NextToken", next_token);
}

}  // namespace

util::Result<QueryParams> run_instances_params(const RunInstancesRequest& r) {
    if (r.image_id.empty()) return util::make_error("RunInstances needs an AMI id (ImageId)");
    if (r.instance_type.empty()) return util::make_error("RunInstances needs an instance type");
    if (r.min_count < 1 || r.max_count < r.min_count)
        return util::make_error("RunInstances needs 1 <= MinCount <= MaxCount, not " +
                                std::to_string(r.min_count) + " and " +
                                std::to_string(r.max_count));
    if (r.user_data.size() > k_max_user_data_bytes)
        return util::make_error("the user data is " + std::to_string(r.user_data.size()) +
                                " bytes; EC2 takes at most 16384");
    if (r.client_token.size() > 64)
        return util::make_error("an EC2 ClientToken has at most 64 characters");
    if (auto ok = check_tags(r.tags); !ok) return ok.error();
    if (auto ok = check_ids(r.security_group_ids, "security group"); !ok) return ok.error();

    QueryParams p = ec2_action("RunInstances");
    p.emplace_back("ImageId", r.image_id);
    p.emplace_back("InstanceType", r.instance_type);
    p.emplace_back("MinCount", std::to_string(r.min_count));
    p.emplace_back("MaxCount", std::to_string(r.max_count));
    if (!r.client_token.empty()) p.emplace_back("ClientToken", r.client_token);
    if (!r.key_name.empty()) p.emplace_back("KeyName", r.key_name);
    add_list(p, "SecurityGroupId", r.security_group_ids);
    if (!r.subnet_id.empty()) p.emplace_back("SubnetId", r.subnet_id);
    if (!r.user_data.empty()) p.emplace_back("UserData", util::base64_encode(r.user_data));
    if (!r.iam_instance_profile_name.empty())
        p.emplace_back("IamInstanceProfile.Name", r.iam_instance_profile_name);
    // A worker that powers itself off is gone, not a stopped instance that still costs storage.
    p.emplace_back("InstanceInitiatedShutdownBehavior", "terminate");
    p.emplace_back("MetadataOptions.HttpTokens", "required");
    p.emplace_back("MetadataOptions.HttpEndpoint", "enabled");
    if (r.spot) {
        p.emplace_back("InstanceMarketOptions.MarketType", "spot");
        p.emplace_back("InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time");
        p.emplace_back("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior",
                       "terminate");
        if (r.spot_max_price)
            p.emplace_back("InstanceMarketOptions.SpotOptions.MaxPrice", *r.spot_max_price);
    }
    if (!r.tags.empty()) {
        p.emplace_back("TagSpecification.1.ResourceType", "instance");
        add_tags(p, "TagSpecification.1.Tag", r.tags);
        p.emplace_back("TagSpecification.2.ResourceType", "volume");
        add_tags(p, "TagSpecification.2.Tag", r.tags);
    }
    return p;
}

util::Result<QueryParams> describe_instances_params(const DescribeInstancesRequest& r,
                                                    const std::string& next_token) {
    if (auto ok = check_ids(r.instance_ids, "instance"); !ok) return ok.error();
    if (!r.instance_ids.empty() && r.max_results > 0)
        return util::make_error("DescribeInstances takes MaxResults or instance ids, not both");
    if (r.max_results != 0 && (r.max_results < 5 || r.max_results > 1000))
        return util::make_error("DescribeInstances MaxResults must be 5 to 1000");
    QueryParams p = ec2_action("DescribeInstances");
    add_list(p, "InstanceId", r.instance_ids);
    for (size_t i = 0; i < r.filters.size(); ++i) {
        const std::string item = "Filter." + std::to_string(i + 1);
        p.emplace_back(item + ".Name", r.filters[i].name);
        add_list(p, item + ".Value", r.filters[i].values);
    }
    add_page(p, r.max_results, next_token);
    return p;
}

util::Result<QueryParams> terminate_instances_params(const std::vector<std::string>& ids) {
    if (ids.empty()) return util::make_error("TerminateInstances needs at least one instance id");
    if (auto ok = check_ids(ids, "instance"); !ok) return ok.error();
    QueryParams p = ec2_action("TerminateInstances");
    add_list(p, "InstanceId", ids);
    return p;
}

util::Result<QueryParams> spot_price_history_params(const SpotPriceRequest& r,
                                                    const std::string& next_token) {
    QueryParams p = ec2_action("DescribeSpotPriceHistory");
    add_list(p, "InstanceType", r.instance_types);
    add_list(p, "ProductDescription", r.product_descriptions);
    if (r.start_time) p.emplace_back("StartTime", util::format_iso8601_utc(*r.start_time));
    if (!r.availability_zone.empty()) p.emplace_back("AvailabilityZone", r.availability_zone);
    add_page(p, r.max_results, next_token);
    return p;
}

util::Result<QueryParams> create_tags_params(const std::vector<std::string>& ids,
                                             const std::vector<Tag>& tags) {
    if (ids.empty() || tags.empty())
        return util::make_error("CreateTags needs at least one resource id and one tag");
    if (auto ok = check_ids(ids, "resource"); !ok) return ok.error();
    if (auto ok = check_tags(tags); !ok) return ok.error();
    QueryParams p = ec2_action("CreateTags");
    add_list(p, "ResourceId", ids);
    add_tags(p, "Tag", tags);
    return p;
}

}  // namespace spotfarm::providers::aws

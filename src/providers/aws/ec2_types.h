#pragma once
// Values of the EC2 Query API calls spotfarm makes (API version 2016-11-15).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spotfarm::providers::aws {

inline constexpr std::string_view k_ec2_api_version = "2016-11-15";
inline constexpr std::string_view k_ec2_xml_namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

struct Tag {
    std::string key;
    std::string value;
    bool operator==(const Tag&) const = default;
};

// The low byte of EC2's state code: 0 pending, 16 running, 32 shutting-down, 48 terminated,
// 64 stopping, 80 stopped.
enum class InstanceState {
    pending,
    running,
    shutting_down,
    terminated,
    stopping,
    stopped,
    unknown
};
InstanceState instance_state_from_code(int code);
int instance_state_code(InstanceState state);
std::string_view to_string(InstanceState state);  // EC2's names: "shutting-down", ...

struct Ec2Instance {
    std::string instance_id;
    std::string instance_type;
    std::string image_id;
    InstanceState state = InstanceState::unknown;
    std::string state_reason;       // why it stopped or terminated, when EC2 says
    std::string transition_reason;  // EC2's "User initiated (2026-03-02 10:40:12 GMT)"
    std::string availability_zone;
    std::string private_ip;
    std::string public_ip;
    std::string lifecycle;  // "spot", or empty for on-demand
    std::optional<std::chrono::system_clock::time_point> launch_time;
    std::vector<Tag> tags;

    bool is_spot() const { return lifecycle == "spot"; }
    std::optional<std::string> tag(std::string_view key) const;
};

struct RunInstancesRequest {
    std::string image_id;
    std::string instance_type;
    int min_count = 1;  // EC2 launches nothing unless it can launch min_count
    int max_count = 1;
    std::string key_name;  // optional SSH key pair
    std::vector<std::string> security_group_ids;
    std::string subnet_id;                  // optional; the default VPC's subnet otherwise
    std::string user_data;                  // plain text, at most 16 KiB; sent base64-encoded
    std::string iam_instance_profile_name;  // optional
    std::string client_token;               // idempotency: a repeated token launches nothing new
    bool spot = true;                       // one-time Spot, terminated on interruption
    std::optional<std::string> spot_max_price;  // USD per hour; AWS advises leaving it unset
    std::vector<Tag> tags;                      // on the instances and their volumes
};

struct RunInstancesResponse {
    std::string reservation_id;
    std::vector<Ec2Instance> instances;
};

struct Filter {
    std::string name;  // "tag:spotfarm:fleet", "instance-state-name", ...
    std::vector<std::string> values;
};

struct DescribeInstancesRequest {
    std::vector<std::string> instance_ids;
    std::vector<Filter> filters;
    int max_results = 0;  // per page, 5..1000; 0 lets EC2 choose. Not allowed with instance_ids.
};

struct DescribeInstancesPage {
    std::vector<Ec2Instance> instances;
    std::string next_token;  // empty on the last page
};

struct InstanceStateChange {
    std::string instance_id;
    InstanceState current = InstanceState::unknown;
    InstanceState previous = InstanceState::unknown;
};

struct SpotPriceRequest {
    std::vector<std::string> instance_types;
    std::vector<std::string> product_descriptions{"Linux/UNIX"};
    std::optional<std::chrono::system_clock::time_point> start_time;
    std::string availability_zone;  // optional
    int max_results = 0;
};

struct SpotPrice {
    std::string instance_type;
    std::string product_description;
    std::string availability_zone;
    double usd_per_hour = 0;
    std::chrono::system_clock::time_point timestamp;
};

struct SpotPricePage {
    std::vector<SpotPrice> prices;
    std::string next_token;
};

}  // namespace spotfarm::providers::aws

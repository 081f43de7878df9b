#pragma once
// What the `spotfarm cloud` subcommands share: the AWS flags (--region, --profile,
// --ec2-endpoint), an EC2 client made from them, and how errors become messages and exit codes.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "estimate/machine_choice.h"
#include "providers/aws/aws_provider.h"
#include "providers/aws/credentials.h"
#include "providers/aws/ec2_client.h"
#include "util/clock.h"
#include "util/http_client.h"
#include "util/sleeper.h"

namespace spotfarm::cli {

struct AwsFlags {
    std::optional<std::string> region;
    std::optional<std::string> profile;
    std::string ec2_endpoint;
};

void add_aws_flags(CLI::App& command, AwsFlags& flags);

// An EC2 client and everything it holds on to.
struct AwsSession {
    std::string region;
    util::CurlHttpClient http;
    util::ThreadSleeper sleeper;
    std::unique_ptr<providers::aws::CredentialsProvider> credentials;
    std::unique_ptr<providers::aws::Ec2Client> ec2;
};

// Resolves the region and the credentials as the AWS CLI does (AWS_EC2_METADATA_DISABLED=true
// skips the instance role). A missing region or missing credentials is a usage error (code 2).
util::Result<std::unique_ptr<AwsSession>> open_aws_session(const AwsFlags& flags);

// On-demand USD per hour by instance type, from the built-in price table (EC2's API has none).
std::map<std::string, double> builtin_on_demand_prices();

// Prints "spotfarm cloud COMMAND: message" on stderr and returns the exit code.
int report_error(std::string_view command, const util::Error& error);

// What a worker instance is told in its user-data: where the manager is, the join token, EFS.
struct WorkerFlags {
    std::string manager_url;
    std::string manager_pin;  // an https manager's key pin; set by the manager, not a flag
    std::string join_token_file;
    std::string efs;  // fs-ID
    std::string efs_mount = "/mnt/efs";
    std::string binary_on_efs;  // take the worker binary from this path on EFS
    std::vector<std::string> packages;
    std::vector<std::string> worker_args;
};

// `own_manager`: for a command that runs the manager itself (its own join token, an optional
// --manager-url).
void add_worker_flags(CLI::App& command, WorkerFlags& flags, bool token_required,
                      bool own_manager = false);

// The cloud-init user-data for the flags. Without a token file, a placeholder stands in for the
// token (for review only). `region` names the EFS mount target.
util::Result<std::string> make_worker_user_data(const WorkerFlags& flags,
                                                const std::string& region);

// The machines a fleet asks EC2 for when no flag names or describes them: every current type
// with 16 to 32 vCPUs and 2 GiB of memory per vCPU (compute-optimized and general purpose, any
// maker), so that EC2 Fleet has many Spot pools to choose from.
inline constexpr std::string_view k_default_vcpus = "16-32";
inline constexpr double k_default_memory_per_vcpu = 2;

// What an EC2 launch needs besides the user-data: the image, the machines, the network, the
// market (launch_flags.cpp).
struct LaunchFlags {
    std::string ami;
    std::vector<std::string> instance_types;
    std::string vcpus;           // "16-32", "16" or "16-": attribute-based selection
    double memory_per_vcpu = 0;  // GiB per vCPU; 0: the default
    bool gpu = false;            // GPU instances (attribute-based)
    std::string key_name;
    std::vector<std::string> subnets;  // one per availability zone
    std::vector<std::string> security_groups;
    std::string iam_profile;
    bool on_demand = false;
    bool no_fallback = false;
    int on_demand_base = 0;
    std::string spot_strategy = "price-capacity-optimized";
    std::string launch_api = "fleet";  // or "run-instances"
};

void add_launch_flags(CLI::App& command, LaunchFlags& flags, bool ami_required);
// The flags that choose the machines alone (--instance-type, --vcpus, --memory-per-vcpu,
// --gpu), for a command that prices a fleet without launching it.
void add_machine_flags(CLI::App& command, LaunchFlags& flags);

// The AWS provider's options for the flags (on-demand prices from the built-in table); a usage
// error (code 2) when --ami names no AMI or the machine flags do not fit together.
util::Result<providers::aws::AwsFleetOptions> aws_fleet_options(const LaunchFlags& flags,
                                                                const std::string& fleet_id,
                                                                const std::string& user_data);

// The attribute-based selection the flags ask for (--vcpus, --memory-per-vcpu, --gpu; the
// default when no --instance-type names types and EC2 Fleet launches), or nullopt for named
// instance types; a usage error when they are malformed or mixed with names.
util::Result<std::optional<providers::aws::InstanceRequirements>> instance_requirements(
    const LaunchFlags& flags);

// The same choice as the estimate sees it, to match against its price table: the named types
// (the built-in list for RunInstances) or the attributes.
util::Result<estimate::MachineChoice> machine_choice(const LaunchFlags& flags);

// "sf-20260302-104012": a fresh fleet id, from the time of launch.
std::string new_fleet_id();

// The registration of each subcommand, one file each.
void add_cloud_user_data_command(CLI::App& cloud, int& exit_code);
void add_cloud_up_command(CLI::App& cloud, int& exit_code);
void add_cloud_status_command(CLI::App& cloud, int& exit_code);
void add_cloud_down_command(CLI::App& cloud, int& exit_code);

}  // namespace spotfarm::cli

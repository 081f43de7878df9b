#include "cli/cloud/cloud_manager.h"

#include <fmt/format.h>

#include "providers/aws/manager_user_data.h"
#include "util/http_client.h"
#include "util/secret.h"
#include "util/tls_identity.h"
#include "util/utc_time.h"

namespace spotfarm::cli {
namespace {

namespace aws = providers::aws;
using aws::InstanceState;

bool alive(InstanceState state) {
    return state == InstanceState::pending || state == InstanceState::running;
}

util::Result<std::string> new_token(std::string_view prefix) {
    auto hex = util::random_hex(24);
    if (!hex) return hex.error();
    return std::string(prefix) + *hex;
}

// The recorded manager when its instance still lives; nullopt when it is gone (then forgotten).
util::Result<std::optional<CloudManagerRecord>> recorded_alive(const CloudManagerDeps& deps,
                                                               const std::string& region,
                                                               const std::filesystem::path& dir) {
    auto record = load_cloud_manager(dir, region);
    if (!record) return record.error();
    if (!*record) return std::optional<CloudManagerRecord>{};
    auto found = deps.ec2.describe_instances({.instance_ids = {(*record)->instance_id}});
    if (!found) {
        // EC2 answers InvalidInstanceID.NotFound once a terminated instance is long gone.
        if (found.error().message.find("NotFound") == std::string::npos) return found.error();
    } else {
        for (const auto& instance : *found) {
            if (alive(instance.state)) return *record;
        }
    }
    deps.say("the manager " + (*record)->instance_id + " recorded here is gone; starting one");
    if (auto forgot = forget_cloud_manager(dir, region); !forgot) return forgot.error();
    return std::optional<CloudManagerRecord>{};
}

// A manager instance this machine has no record of cannot be used (no token, no pin to trust).
util::Status refuse_untracked(const CloudManagerDeps& deps, const std::string& region,
                              const std::string& known) {
    auto found = deps.ec2.describe_instances(
        {.filters = {{std::string("tag:") + k_role_tag, {k_manager_role}},
                     {"instance-state-name", {"pending", "running"}}}});
    if (!found) return found.error();
    for (const auto& instance : *found) {
        if (instance.instance_id == known) continue;
        return util::make_error(
            "a spotfarm manager (" + instance.instance_id + ") runs in " + region +
                " that this machine has no record of, so it cannot trust it or reach it: run "
                "the render from the machine that started it, or end it (`aws ec2 "
                "terminate-instances --instance-ids " +
                instance.instance_id + "`) and run this again",
            util::ErrorKind::conflict);
    }
    return {};
}

util::Result<aws::Ec2Instance> wait_for_address(const CloudManagerDeps& deps,
                                                const CloudManagerPlan& plan,
                                                const std::string& id) {
    const auto deadline = deps.clock.now() + plan.address_timeout;
    while (true) {
        auto found = deps.ec2.describe_instances({.instance_ids = {id}});
        if (found) {
            for (const auto& instance : *found) {
                if (!alive(instance.state)) {
                    return util::make_error("the manager's instance " + id + " ended at start (" +
                                                std::string(aws::to_string(instance.state)) + ": " +
                                                instance.state_reason + instance.transition_reason +
                                                "); see its system log in the EC2 console",
                                            util::ErrorKind::failed);
                }
                if (!instance.public_ip.empty()) return instance;
            }
        }
        if (deps.clock.now() >= deadline) {
            return util::make_error(
                "the manager's instance " + id + " got no public address within " +
                    std::to_string(plan.address_timeout.count()) +
                    " s: its subnet must give public addresses (MapPublicIpOnLaunch) so this "
                    "machine can reach it",
                util::ErrorKind::unavailable);
        }
        deps.sleeper.sleep_for(plan.poll_every);
    }
}

util::Status wait_for_answer(const CloudManagerDeps& deps, const CloudManagerPlan& plan,
                             const CloudManagerRecord& record) {
    const auto deadline = deps.clock.now() + plan.answer_timeout;
    std::string last = "no answer yet";
    while (true) {
        auto status = deps.probe(record);
        if (status && *status == 200) return {};
        if (status) {
            last = "it answered HTTP " + std::to_string(*status);
            // 401: the manager holds tokens other than the recorded ones.
            if (*status == 401) break;
        } else {
            last = status.error().message;
            // A wrong key at that address is never waited out.
            if (last.find("not the one this client was told to trust") != std::string::npos) {
                break;
            }
        }
        if (deps.clock.now() >= deadline) break;
        deps.sleeper.sleep_for(plan.poll_every);
    }
    return util::make_error("the manager at " + record.url + " (" + record.instance_id +
                                ") did not answer as expected: " + last,
                            util::ErrorKind::unavailable);
}

util::Result<CloudManagerRecord> launch(const CloudManagerDeps& deps, const CloudManagerPlan& plan,
                                        const std::filesystem::path& dir) {
    const auto& setup = plan.setup;
    if (setup.subnet_ids.empty() || setup.efs_id.empty()) {
        return util::make_error("the cloud setup of " + setup.region +
                                    " has no subnet or no EFS: run `spotfarm cloud setup`",
                                util::ErrorKind::invalid);
    }
    auto identity = util::make_tls_identity("spotfarm-manager");
    if (!identity) return identity.error();
    auto people = new_token("people_");
    auto join = new_token("join_");
    if (!people) return people.error();
    if (!join) return join.error();

    aws::ManagerUserDataOptions data;
    data.cert_pem = identity->cert_pem;
    data.key_pem = identity->key_pem;
    data.people_token = *people;
    data.join_token = *join;
    data.efs = aws::EfsMount{setup.efs_id, setup.region, "/mnt/efs"};
    data.port = plan.port;
    data.binary_url = plan.binary_url;
    data.binary_sha256 = plan.binary_sha256;
    data.frame_check_url = plan.frame_check_url;
    data.frame_check_sha256 = plan.frame_check_sha256;
    data.manager_args = plan.manager_args;
    auto user_data = aws::make_manager_user_data(data);
    if (!user_data) return user_data.error();

    aws::RunInstancesRequest request;
    request.image_id = plan.image_id;
    request.instance_type = plan.instance_type;
    request.security_group_ids = {setup.manager_security_group, setup.worker_security_group};
    request.subnet_id = setup.subnet_ids.front();
    request.user_data = *user_data;
    request.iam_instance_profile_name = setup.instance_profile_name;
    request.spot = false;  // the queue must not vanish with a Spot reclaim
    request.tags = {{k_role_tag, k_manager_role},
                    {"spotfarm:setup", setup.region},
                    {"Name", "spotfarm-manager"}};
    auto outcome = deps.ec2.run_instances(request);
    if (!outcome) return outcome.error();
    if (outcome->capacity_refusal || outcome->launched.instances.empty()) {
        std::string why = outcome->capacity_refusal ? outcome->capacity_refusal->message : "";
        return util::make_error("EC2 launched no manager instance (" + plan.instance_type + "): " +
                                    why + "; try again later, or another type with --manager-type",
                                util::ErrorKind::unavailable);
    }
    const std::string id = outcome->launched.instances.front().instance_id;
    deps.say("launched the manager " + id + " (" + plan.instance_type + ", on-demand)");

    auto instance = wait_for_address(deps, plan, id);
    if (!instance) {
        (void)deps.ec2.terminate_instances({id});
        return instance.error();
    }
    CloudManagerRecord record;
    record.region = setup.region;
    record.instance_id = id;
    record.url = fmt::format("https://{}:{}", instance->public_ip, plan.port);
    record.pin = identity->pin;
    record.people_token = *people;
    record.instance_type = plan.instance_type;
    record.launched_at = util::format_iso8601_utc(deps.clock.wall_now());
    if (auto saved = save_cloud_manager(dir, record); !saved) {
        (void)deps.ec2.terminate_instances({id});
        return saved.error();
    }
    return record;
}

}  // namespace

util::Result<int> probe_over_tls(const CloudManagerRecord& record) {
    util::CurlHttpClient http(util::TlsTrust{record.pin});
    util::HttpRequest request;
    request.url = record.url + "/api/v1/jobs";
    request.headers = {{"Authorization", "Bearer " + record.people_token}};
    request.timeout = std::chrono::seconds(10);
    auto response = http.send(request);
    if (!response) return response.error();
    return response->status;
}

util::Result<CloudManagerRecord> ensure_cloud_manager(CloudManagerDeps deps,
                                                      const CloudManagerPlan& plan,
                                                      const std::filesystem::path& state_dir) {
    const std::string& region = plan.setup.region;
    auto recorded = recorded_alive(deps, region, state_dir);
    if (!recorded) return recorded.error();
    const std::string known = *recorded ? (*recorded)->instance_id : "";
    if (auto untracked = refuse_untracked(deps, region, known); !untracked) {
        return untracked.error();
    }
    CloudManagerRecord record;
    if (*recorded) {
        record = **recorded;
        deps.say("using the manager " + record.instance_id + " at " + record.url);
    } else {
        auto launched = launch(deps, plan, state_dir);
        if (!launched) return launched.error();
        record = *launched;
        deps.say("waiting for the manager at " + record.url + " to answer");
    }
    if (auto answered = wait_for_answer(deps, plan, record); !answered) {
        if (!*recorded) {
            // A manager that never came up must not bill: end it and forget it.
            (void)stop_cloud_manager(deps.ec2, record, state_dir);
            return util::make_error(answered.error().message +
                                        "; its instance was terminated. The EC2 console's system "
                                        "log of the instance says why it did not start",
                                    answered.error().kind);
        }
        return answered.error();
    }
    return record;
}

util::Status stop_cloud_manager(providers::aws::Ec2Client& ec2, const CloudManagerRecord& record,
                                const std::filesystem::path& state_dir) {
    auto ended = ec2.terminate_instances({record.instance_id});
    if (!ended) return ended.error();
    return forget_cloud_manager(state_dir, record.region);
}

}  // namespace spotfarm::cli

#include "providers/aws/cloud_setup.h"

#include <cctype>

#include "providers/aws/cloud_setup_steps.h"
#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

// "a.b.c.d/n" with each part in range: what EC2 takes as a CidrIp.
bool is_ipv4_cidr(const std::string& text) {
    int parts[5] = {-1, -1, -1, -1, -1};
    char tail = 0;
    if (std::sscanf(text.c_str(), "%d.%d.%d.%d/%d%c", &parts[0], &parts[1], &parts[2], &parts[3],
                    &parts[4], &tail) != 5)
        return false;
    for (int i = 0; i < 4; ++i)
        if (parts[i] < 0 || parts[i] > 255) return false;
    return parts[4] >= 0 && parts[4] <= 32;
}

}  // namespace

std::string manager_group_name() {
    return "spotfarm-manager";
}
std::string worker_group_name() {
    return "spotfarm-workers";
}
std::string manager_role_name(const std::string& region) {
    return "spotfarm-manager-" + region;
}
std::string efs_creation_token(const std::string& region) {
    return "spotfarm-" + region;
}

util::Result<std::string> public_address_cidr(util::HttpClient& http,
                                              const std::string& checkip_url) {
    util::HttpRequest request;
    request.url = checkip_url;
    request.timeout = std::chrono::seconds(10);
    auto response = http.send(request);
    const std::string advice =
        "; pass --allow-from with the address (CIDR) people reach the manager from";
    if (!response.ok())
        return util::make_error("cannot ask " + checkip_url + " for this machine's public " +
                                    "address: " + response.error().message + advice,
                                util::ErrorKind::unavailable);
    std::string address;
    for (char c : response->body)
        if (!std::isspace(static_cast<unsigned char>(c))) address += c;
    if (response->status != 200 || !is_ipv4_cidr(address + "/32"))
        return util::make_error(checkip_url + " did not answer with an IPv4 address (HTTP " +
                                    std::to_string(response->status) + ")" + advice,
                                util::ErrorKind::unavailable);
    return address + "/32";
}

util::Result<CloudSetupRecord> ensure_cloud_setup(AwsServices& aws,
                                                  const CloudSetupOptions& options,
                                                  const SayFn& say_in) {
    const SayFn say = say_in ? say_in : [](std::string_view) {};
    auto previous = load_cloud_setup(aws.region);
    if (!previous.ok()) return previous.error();
    CloudSetupRecord record = previous->value_or(CloudSetupRecord{});
    record.region = aws.region;

    if (!options.allow_from.empty()) {
        if (!is_ipv4_cidr(options.allow_from))
            return util::make_error("--allow-from '" + options.allow_from +
                                        "' is not an IPv4 CIDR such as 203.0.113.7/32",
                                    util::ErrorKind::invalid);
        record.allow_from = options.allow_from;
    } else {
        auto mine = public_address_cidr(aws.http, options.checkip_url);
        if (!mine.ok()) return mine.error();
        record.allow_from = *mine;
    }
    say("the manager will accept connections from " + record.allow_from);

    if (auto ok = setup_steps::choose_network(*aws.ec2_network, options, record, say); !ok.ok())
        return ok.error();
    if (auto ok = setup_steps::ensure_security_groups(*aws.ec2_network, options, record, say);
        !ok.ok())
        return ok.error();
    if (auto ok = setup_steps::ensure_efs(aws, options, record, say); !ok.ok()) return ok.error();
    if (auto ok = setup_steps::ensure_manager_role(*aws.iam, record, say); !ok.ok())
        return ok.error();

    if (record.created_at.empty())
        record.created_at = util::format_iso8601_utc(aws.clock.wall_now());
    if (auto saved = save_cloud_setup(record); !saved.ok()) return saved.error();
    say("recorded in " + cloud_setup_record_path(aws.region).string());
    return record;
}

}  // namespace spotfarm::providers::aws

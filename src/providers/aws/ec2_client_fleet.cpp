// The EC2 Fleet calls of Ec2Client: launch templates and instant fleets.
#include "providers/aws/ec2_client.h"
#include "providers/aws/ec2_fleet_requests.h"
#include "providers/aws/ec2_fleet_responses.h"
#include "util/secret.h"

namespace spotfarm::providers::aws {
namespace {

constexpr std::string_view k_template_exists = "InvalidLaunchTemplateName.AlreadyExistsException";

bool is_template_gone(const std::string& code) {
    return code == "InvalidLaunchTemplateName.NotFoundException" ||
           code == "InvalidLaunchTemplateId.NotFound";
}

util::Result<std::string> made_up_token(const std::string& given) {
    if (!given.empty()) return given;
    auto token = util::random_hex(16);
    if (!token.ok()) return token.error();
    return "spotfarm-" + token.value();
}

}  // namespace

util::Result<LaunchTemplateInfo> Ec2Client::create_launch_template(
    const CreateLaunchTemplateRequest& request) {
    auto params = create_launch_template_params(request);
    if (!params.ok()) return params.error();
    auto reply = exchange(params.value());
    if (!reply.ok()) return reply.error();
    if (reply->error) {
        if (reply->error->code == k_template_exists)
            return LaunchTemplateInfo{.id = "", .name = request.name, .already_existed = true};
        return util::make_error(describe(*reply->error, "CreateLaunchTemplate"));
    }
    return parse_create_launch_template(reply->body);
}

util::Status Ec2Client::delete_launch_template(const std::string& name) {
    auto params = delete_launch_template_params(name);
    if (!params.ok()) return params.error();
    auto reply = exchange(params.value());
    if (!reply.ok()) return reply.error();
    if (reply->error) {
        if (is_template_gone(reply->error->code)) return {};
        return util::make_error(describe(*reply->error, "DeleteLaunchTemplate"));
    }
    return parse_delete_launch_template(reply->body);
}

util::Result<CreateFleetResponse> Ec2Client::create_fleet(const CreateFleetRequest& request) {
    // Retries repeat the launch; a ClientToken makes EC2 run it at most once.
    CreateFleetRequest with_token = request;
    auto token = made_up_token(request.client_token);
    if (!token.ok()) return token.error();
    with_token.client_token = std::move(token.value());
    auto xml = call(create_fleet_params(with_token));
    if (!xml.ok()) return xml.error();
    return parse_create_fleet(xml.value());
}

}  // namespace spotfarm::providers::aws

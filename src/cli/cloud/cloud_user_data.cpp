// `spotfarm cloud user-data`: prints the cloud-init user-data that `cloud up` would send, for
// review. It holds the manager's join token and never an AWS key.
#include <cctype>
#include <iostream>
#include <memory>

#include "cli/cloud/cloud_context.h"
#include "cli/common/commands.h"
#include "providers/aws/region.h"
#include "providers/aws/shared_config.h"
#include "providers/aws/user_data.h"
#include "util/text_file.h"

namespace spotfarm::cli {
namespace {

constexpr const char* k_placeholder_token = "REPLACE-WITH-THE-JOIN-TOKEN";

util::Result<std::string> read_join_token(const std::string& path) {
    auto text = util::read_text_file(path, 4096);
    if (!text.ok())
        return util::make_error("cannot read the join token: " + text.error().message,
                                util::ErrorKind::invalid);
    std::string token = *text;
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
        token.pop_back();
    if (token.empty())
        return util::make_error("the join token file " + path + " is empty",
                                util::ErrorKind::invalid);
    return token;
}

}  // namespace

void add_worker_flags(CLI::App& command, WorkerFlags& flags, bool token_required,
                      bool own_manager) {
    auto* url = command.add_option(
        "--manager-url", flags.manager_url,
        own_manager ? "this manager's URL as the instances reach it, e.g. http://10.0.0.5:8420 "
                      "(default: from --listen when it names an address)"
                    : "the manager's URL as the instances reach it, e.g. http://10.0.0.5:8700");
    if (!own_manager) {
        url->required();
        auto* token = command.add_option("--join-token-file", flags.join_token_file,
                                         "file holding the manager's join token (workers use "
                                         "it to register)");
        if (token_required) token->required();
    }
    command.add_option("--efs", flags.efs, "EFS file system to mount on every worker (fs-ID)");
    command.add_option("--efs-mount", flags.efs_mount, "where to mount EFS")->capture_default_str();
    command.add_option("--worker-binary-on-efs", flags.binary_on_efs,
                       "copy the worker binary from this path on EFS instead of downloading it "
                       "from the manager");
    command.add_option("--package", flags.packages, "extra Debian package to install (repeatable)");
    command
        .add_option("--worker-arg", flags.worker_args,
                    "extra argument for `spotfarm worker` on the instances (repeatable), e.g. "
                    "--worker-arg=--blender=/mnt/efs/blender/blender")
        ->allow_extra_args(false);
}

util::Result<std::string> make_worker_user_data(const WorkerFlags& flags,
                                                const std::string& region) {
    providers::aws::UserDataOptions options;
    options.manager_url = flags.manager_url;
    options.manager_pin = flags.manager_pin;
    if (flags.join_token_file.empty()) {
        options.join_token = k_placeholder_token;
    } else {
        auto token = read_join_token(flags.join_token_file);
        if (!token.ok()) return token.error();
        options.join_token = *token;
    }
    if (!flags.efs.empty())
        options.efs = providers::aws::EfsMount{flags.efs, region, flags.efs_mount};
    if (!flags.binary_on_efs.empty()) {
        options.binary_source = providers::aws::WorkerBinarySource::efs;
        options.efs_binary_path = flags.binary_on_efs;
    }
    options.extra_packages = flags.packages;
    options.worker_args = flags.worker_args;
    auto user_data = providers::aws::make_user_data(options);
    if (!user_data.ok())
        return util::make_error(user_data.error().message, util::ErrorKind::invalid);
    return user_data;
}

void add_cloud_user_data_command(CLI::App& cloud, int& exit_code) {
    CLI::App* cmd = cloud.add_subcommand(
        "user-data", "Print the cloud-init user-data that `cloud up` would send, for review");
    auto flags = std::make_shared<WorkerFlags>();
    auto aws = std::make_shared<AwsFlags>();
    add_worker_flags(*cmd, *flags, false);
    add_aws_flags(*cmd, *aws);
    cmd->footer(
        "\nWithout --join-token-file a placeholder stands in for the token. The output holds the "
        "join\ntoken (in a root-only file on the instance) and never an AWS key.");
    cmd->callback([flags, aws, &exit_code] {
        std::string region;
        if (!flags->efs.empty()) {
            auto resolved = providers::aws::resolve_region(providers::aws::process_environment(),
                                                           aws->region, aws->profile);
            if (!resolved.ok()) {
                exit_code = report_error("user-data", util::make_error(resolved.error().message,
                                                                       util::ErrorKind::invalid));
                return;
            }
            region = *resolved;
        }
        auto user_data = make_worker_user_data(*flags, region);
        if (!user_data.ok()) {
            exit_code = report_error("user-data", user_data.error());
            return;
        }
        std::cout << *user_data;
        exit_code = k_exit_ok;
    });
}

}  // namespace spotfarm::cli

// `spotfarm cloud setup|teardown|up|status|down|user-data`: an AWS fleet of workers by hand. Each
// subcommand is in its own file (cloud_*.cpp); this groups them under `cloud`.
#include "cli/cloud/cloud_context.h"
#include "cli/cloud/cloud_services.h"
#include "cli/common/commands.h"

namespace spotfarm::cli {

void add_cloud_command(CLI::App& app, int& exit_code) {
    CLI::App* cloud = app.add_subcommand(
        "cloud", "Start, list and terminate spotfarm workers on AWS EC2 (Spot by default)");
    cloud->require_subcommand(1);
    cloud->footer(
        "\nCredentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws/credentials "
        "(--profile)\nor the instance role; never from spotfarm's own files. "
        "See docs/cloud.md for the IAM\npermissions, EFS, the security group and the AMI.");
    add_cloud_user_data_command(*cloud, exit_code);
    add_cloud_up_command(*cloud, exit_code);
    add_cloud_status_command(*cloud, exit_code);
    add_cloud_down_command(*cloud, exit_code);
    add_cloud_setup_command(*cloud, exit_code);
    add_cloud_teardown_command(*cloud, exit_code);
}

}  // namespace spotfarm::cli

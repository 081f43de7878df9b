// `spotfarm cloud teardown`: removes what `cloud setup` made, in the order AWS allows; refuses
// while a render's instances run, and says what EFS holds before it deletes it.
#include <unistd.h>

#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/cloud/cloud_services.h"
#include "cli/common/commands.h"
#include "providers/aws/cloud_setup.h"

namespace spotfarm::cli {
namespace {

namespace aws = providers::aws;

struct TeardownFlags {
    bool keep_efs = false;
    bool yes = false;
    int poll_seconds = 5;
    AwsFlags aws;
};

std::string size_text(std::int64_t bytes) {
    if (bytes >= (std::int64_t(1) << 30))
        return fmt::format("{:.1f} GiB", double(bytes) / (1 << 30));
    if (bytes >= (1 << 20)) return fmt::format("{:.1f} MiB", double(bytes) / (1 << 20));
    return fmt::format("{} bytes", bytes);
}

int run_teardown(const TeardownFlags& f) {
    auto services = open_cloud_services(f.aws);
    if (!services.ok()) return report_error("teardown", services.error());
    aws::TeardownOptions options;
    options.keep_efs = f.keep_efs;
    options.poll = std::chrono::seconds(f.poll_seconds);
    bool refused_without_question = false;
    options.confirm_efs_delete = [&](const aws::EfsFileSystem& fs) {
        std::cout << fmt::format(
            "EFS {} holds {} (the frames of cloud renders, the manager's state, the Blender "
            "cache).\n",
            fs.id, size_text(fs.size_bytes));
        if (f.yes) return true;
        if (::isatty(STDIN_FILENO) != 1) {
            refused_without_question = true;
            return false;
        }
        std::cout << "Delete it and everything on it? [y/N] " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        return answer == "y" || answer == "Y" || answer == "yes";
    };
    if (!f.yes && !f.keep_efs && ::isatty(STDIN_FILENO) != 1) {
        // Nobody to ask: decide nothing about the frames on EFS before anything is deleted.
        return report_error(
            "teardown",
            util::make_error("teardown deletes EFS and the frames on it; pass --yes to delete "
                             "it, or --keep-efs to keep it",
                             util::ErrorKind::invalid));
    }
    auto report =
        aws::teardown_cloud_setup(*services->aws, services->session->region, options,
                                  [](std::string_view line) { std::cout << line << "\n"; });
    if (!report.ok()) return report_error("teardown", report.error());
    if (report->nothing_recorded) {
        std::cout << "Nothing to tear down: no setup is recorded for " << services->session->region
                  << ".\n";
        return k_exit_ok;
    }
    if (refused_without_question) std::cout << "EFS kept: nobody answered the question.\n";
    std::cout << fmt::format(
        "Removed {} resource(s){}.\n", report->deleted.size(),
        report->efs_kept ? "; EFS kept (run teardown again to delete it)" : "");
    return k_exit_ok;
}

}  // namespace

void add_cloud_teardown_command(CLI::App& cloud, int& exit_code) {
    CLI::App* cmd = cloud.add_subcommand(
        "teardown",
        "Remove what `cloud setup` made: EFS and its mount targets, the security "
        "groups, the manager's role");
    auto f = std::make_shared<TeardownFlags>();
    cmd->add_flag("--keep-efs", f->keep_efs,
                  "keep EFS (the frames on it), its mount targets and the workers' group");
    cmd->add_flag("--yes", f->yes, "delete EFS without asking");
    cmd->add_option("--poll-seconds", f->poll_seconds,
                    "how often to ask whether mount targets are gone")
        ->capture_default_str()
        ->check(CLI::Range(0, 600));
    add_aws_flags(*cmd, f->aws);
    cmd->footer(
        "\nRefuses while instances of a render run (stop them with `spotfarm cloud down --all`).\n"
        "Exit codes: 0 removed (or nothing recorded), 1 a render still runs or AWS refused, 2 a\n"
        "flag, credentials or a permission to fix, 3 AWS unavailable.");
    cmd->callback([f, &exit_code] { exit_code = run_teardown(*f); });
}

}  // namespace spotfarm::cli

// The cloud-init user-data: validated by Debian's cloud-init (`cloud-init schema`), its shell
// script by sh -n, and read for what must and must not be in it.
#include "providers/aws/user_data.h"

#include "providers/aws/ec2_requests.h"

#include <sys/wait.h>

#include <cstdio>

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/scratch_dir.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::test::ScratchDir;
using spotfarm::testing::fails_mentioning;

struct CommandResult {
    int status = -1;
    std::string output;
};

CommandResult run(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
        ++n;
    return n;
}

UserDataOptions with_efs() {
    UserDataOptions o;
    o.manager_url = "http://10.0.0.5:8700/";
    o.join_token = "jt_9f8e7d6c5b4a3210.secret";
    o.efs = EfsMount{"fs-0123456789abcdef0", "eu-west-1", "/mnt/efs"};
    o.worker_args = {"--tag", "aws", "--name=%H"};
    return o;
}

// `cloud-init schema` must be installed (scripts/debian-packages.txt); its absence fails the test.
void expect_valid_cloud_config(const std::string& user_data) {
    ASSERT_EQ(run("command -v cloud-init").status, 0)
        << "cloud-init is missing: run scripts/setup.sh (Debian package cloud-init)";
    ScratchDir dir;
    const auto file = dir.write("user-data.yaml", user_data);
    const auto result = run("cloud-init schema --config-file " + file.string());
    EXPECT_EQ(result.status, 0) << result.output << "\n--- user-data:\n" << user_data;
    EXPECT_NE(result.output.find("Valid cloud-config"), std::string::npos) << result.output;
}

TEST(UserData, PassesCloudInitSchemaWithEfsAndDownload) {
    auto user_data = make_user_data(with_efs());
    ASSERT_TRUE(user_data.ok()) << user_data.error().message;
    expect_valid_cloud_config(*user_data);
    EXPECT_LT(user_data->size(), k_max_user_data_bytes);
}

TEST(UserData, PassesCloudInitSchemaWithoutEfsAndWithBinaryOnEfs) {
    UserDataOptions plain;
    plain.manager_url = "https://farm.example.com:8700";
    plain.join_token = "0123456789abcdef";
    auto without_efs = make_user_data(plain);
    ASSERT_TRUE(without_efs.ok()) << without_efs.error().message;
    expect_valid_cloud_config(*without_efs);
    EXPECT_EQ(without_efs->find("nfs4"), std::string::npos);

    UserDataOptions from_efs = with_efs();
    from_efs.binary_source = WorkerBinarySource::efs;
    from_efs.efs_binary_path = "/mnt/efs/bin/spotfarm";
    from_efs.extra_packages = {"libopenexr-3-1-30", "htop"};
    auto binary_on_efs = make_user_data(from_efs);
    ASSERT_TRUE(binary_on_efs.ok()) << binary_on_efs.error().message;
    expect_valid_cloud_config(*binary_on_efs);
    EXPECT_NE(binary_on_efs->find("install -m 0755 /mnt/efs/bin/spotfarm /usr/local/bin/spotfarm"),
              std::string::npos);
    EXPECT_EQ(binary_on_efs->find("curl -fsS"), std::string::npos);
    EXPECT_NE(binary_on_efs->find("  - htop\n"), std::string::npos);
}

TEST(UserData, SchemaCheckCatchesABrokenDocument) {
    // The validator itself must be able to fail, or the tests above prove nothing.
    std::string broken = make_user_data(with_efs()).value();
    broken.replace(broken.find("package_update: true"), 20, "package_update: 'often'");
    ScratchDir dir;
    const auto result =
        run("cloud-init schema --config-file " + dir.write("bad.yaml", broken).string());
    EXPECT_NE(result.status, 0) << result.output;
}

TEST(UserData, HoldsTheJoinTokenOnceAndNoAwsKeys) {
    setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 1);
    const std::string user_data = make_user_data(with_efs()).value();
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    for (const char* secret : {"AKIA", "ASIA", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                               "AWS_SESSION_TOKEN", "aws_secret_access_key", "wJalrXUtnFEMI"})
        EXPECT_EQ(user_data.find(secret), std::string::npos) << secret;
    // Only in the root-only EnvironmentFile.
    EXPECT_EQ(count(user_data, "jt_9f8e7d6c5b4a3210.secret"), 1u);
    EXPECT_NE(user_data.find("  - path: /etc/spotfarm/worker.env\n"
                             "    owner: root:root\n"
                             "    permissions: '0600'\n"
                             "    content: |\n"
                             "      SPOTFARM_JOIN_TOKEN=jt_9f8e7d6c5b4a3210.secret\n"),
              std::string::npos)
        << user_data;
}

TEST(UserData, MountsEfsWithAwsOptions) {
    const EfsMount efs{"fs-0123456789abcdef0", "eu-west-1", "/mnt/efs"};
    EXPECT_EQ(make_efs_fstab_line(efs),
              "fs-0123456789abcdef0.efs.eu-west-1.amazonaws.com:/ /mnt/efs nfs4 "
              "nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,"
              "_netdev 0 0");
    const std::string user_data = make_user_data(with_efs()).value();
    EXPECT_NE(user_data.find(make_efs_fstab_line(efs)), std::string::npos);
    EXPECT_NE(user_data.find("  - nfs-common\n"), std::string::npos);
    for (const auto& package : k_blender_runtime_packages)
        EXPECT_NE(user_data.find("  - " + package + "\n"), std::string::npos) << package;
    EXPECT_TRUE(user_data.starts_with("#cloud-config\n"));
    EXPECT_NE(user_data.find("runcmd:\n  - [/bin/sh, /usr/local/lib/spotfarm/bootstrap.sh]\n"),
              std::string::npos);
}

TEST(UserData, WorkerServicePowersOffWhenTheWorkerExits) {
    const std::string unit = make_worker_unit(with_efs());
    EXPECT_NE(unit.find("\nExecStart=/usr/local/bin/spotfarm worker --manager "
                        "http://10.0.0.5:8700 --spot-watch --tag aws --name=%H\n"),
              std::string::npos)
        << unit;
    EXPECT_NE(unit.find("\nEnvironmentFile=/etc/spotfarm/worker.env\n"), std::string::npos);
    EXPECT_NE(unit.find("\nExecStopPost=+/sbin/poweroff\n"), std::string::npos);
    EXPECT_NE(unit.find("\nRequiresMountsFor=/mnt/efs\n"), std::string::npos);
    EXPECT_NE(unit.find("\nWantedBy=multi-user.target\n"), std::string::npos);
}

TEST(UserData, BootstrapScriptIsValidShellAndKeepsTheTokenOffCommandLines) {
    for (const auto& options : {with_efs(), [] {
                                    auto o = with_efs();
                                    o.binary_source = WorkerBinarySource::efs;
                                    o.efs_binary_path = "/mnt/efs/spotfarm";
                                    return o;
                                }()}) {
        const std::string script = make_bootstrap_script(options);
        ScratchDir dir;
        const auto file = dir.write("bootstrap.sh", script);
        for (const char* shell : {"sh", "bash"}) {
            const auto result = run(std::string(shell) + " -n " + file.string());
            EXPECT_EQ(result.status, 0) << shell << ": " << result.output << "\n" << script;
        }
        EXPECT_EQ(script.find("jt_9f8e7d6c5b4a3210"), std::string::npos);
    }
    const std::string download = make_bootstrap_script(with_efs());
    EXPECT_NE(download.find("retry download 'http://10.0.0.5:8700/api/v1/download/spotfarm' "
                            "/usr/local/bin/spotfarm.part"),
              std::string::npos)
        << download;
    EXPECT_NE(download.find("retry download "
                            "'http://10.0.0.5:8700/api/v1/download/spotfarm_frame_check.so' "
                            "/usr/local/bin/spotfarm_frame_check.so.part"),
              std::string::npos)
        << download;
    EXPECT_NE(download.find("\"$SPOTFARM_JOIN_TOKEN\""), std::string::npos);
    EXPECT_NE(download.find("systemctl enable --now spotfarm-worker.service"), std::string::npos);
}

TEST(UserData, GivesTheWorkerItsInstanceIdBeforeItStarts) {
    const std::string script = make_bootstrap_script(with_efs());
    const size_t read = script.find("id=$(cat /var/lib/cloud/data/instance-id)");
    const size_t written =
        script.find("echo \"SPOTFARM_INSTANCE_ID=$id\" >> /etc/spotfarm/worker.env");
    const size_t started = script.find("systemctl enable --now");
    ASSERT_NE(read, std::string::npos) << script;
    ASSERT_NE(written, std::string::npos) << script;
    EXPECT_LT(read, written);
    EXPECT_LT(written, started);
}

TEST(UserData, RefusesValuesThatWouldBreakOutOfYamlOrShell) {
    auto with = [](auto change) {
        UserDataOptions o = with_efs();
        change(o);
        return make_user_data(o);
    };
    EXPECT_TRUE(
        fails_mentioning(with([](auto& o) { o.manager_url = "10.0.0.5:8700"; }), "manager URL"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.manager_url = "http://x/'; rm -rf /; '"; }),
                                 "manager URL"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.join_token = "short"; }), "join token"));
    EXPECT_TRUE(
        fails_mentioning(with([](auto& o) { o.join_token = "abcdefgh\nAWS=1"; }), "join token"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.token_variable = "AWS_SECRET_ACCESS_KEY"; }),
                                 "join token's variable"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.efs->file_system_id = "fs-../../x"; }),
                                 "EFS file system id"));
    EXPECT_TRUE(
        fails_mentioning(with([](auto& o) { o.efs->mount_point = "/mnt/my efs"; }), "mount point"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.extra_packages = {"vim; reboot"}; }),
                                 "Debian package"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) {
                                     o.worker_args = {"--name", "$(id)"};
                                 }),
                                 "worker argument"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) {
                                     o.binary_source = WorkerBinarySource::efs;
                                     o.efs_binary_path = "/opt/spotfarm";
                                 }),
                                 "must lie under /mnt/efs"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) {
                                     o.efs.reset();
                                     o.binary_source = WorkerBinarySource::efs;
                                 }),
                                 "needs an EFS file system"));
}

TEST(UserData, AnHttpsManagerIsTrustedByItsPinInTheDownloadAndTheWorker) {
    UserDataOptions o = with_efs();
    o.manager_url = "https://10.0.0.5:8700";
    o.manager_pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    auto user_data = make_user_data(o);
    ASSERT_TRUE(user_data) << user_data.error().message;
    expect_valid_cloud_config(*user_data);
    const std::string script = make_bootstrap_script(o);
    EXPECT_NE(script.find("curl -fsS --connect-timeout 10 -k --pinnedpubkey '" + o.manager_pin +
                          "' -K -"),
              std::string::npos)
        << script;
    ScratchDir dir;
    EXPECT_EQ(run("sh -n " + dir.write("bootstrap.sh", script).string()).status, 0);
    EXPECT_NE(make_worker_unit(o).find("--spot-watch --manager-pin " + o.manager_pin),
              std::string::npos);
    // Without a pin, nothing turns certificate checks off.
    EXPECT_EQ(make_bootstrap_script(with_efs()).find(" -k "), std::string::npos);
    o.manager_pin = "sha256//x'; reboot; '";
    EXPECT_TRUE(fails_mentioning(make_user_data(o), "manager pin"));
}

}  // namespace
}  // namespace spotfarm::providers::aws

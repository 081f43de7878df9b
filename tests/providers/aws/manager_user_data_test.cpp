// The manager instance's user-data: validated by Debian's cloud-init, its script by sh -n, and
// read for where the key, the tokens and the state go.
#include "providers/aws/manager_user_data.h"

#include <sys/wait.h>

#include <cstdio>

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/scratch_dir.h"
#include "util/tls_identity.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::test::ScratchDir;
using spotfarm::testing::fails_mentioning;

int run_status(const std::string& command, std::string* output = nullptr) {
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return -1;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        if (output) output->append(buffer, n);
    }
    const int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

ManagerUserDataOptions options() {
    static const util::TlsIdentity identity = *util::make_tls_identity("manager");
    ManagerUserDataOptions o;
    o.cert_pem = identity.cert_pem;
    o.key_pem = identity.key_pem;
    o.people_token = "people_0123456789abcdef";
    o.join_token = "join_0123456789abcdef";
    o.efs = EfsMount{"fs-0123456789abcdef0", "eu-west-1", "/mnt/efs"};
    o.binary_url = "https://downloads.example.org/spotfarm/0.1.0/spotfarm";
    o.binary_sha256 = std::string(64, 'a');
    o.frame_check_url = "https://downloads.example.org/spotfarm/0.1.0/spotfarm_frame_check.so";
    o.frame_check_sha256 = std::string(64, 'b');
    o.manager_args = {"--provider", "aws", "--max", "20", "--efs", "fs-0123456789abcdef0"};
    return o;
}

TEST(ManagerUserData, PassesCloudInitSchemaAndShell) {
    auto user_data = make_manager_user_data(options());
    ASSERT_TRUE(user_data) << user_data.error().message;
    ASSERT_EQ(run_status("command -v cloud-init"), 0)
        << "cloud-init is missing: run scripts/setup.sh (Debian package cloud-init)";
    ScratchDir dir;
    std::string output;
    EXPECT_EQ(run_status("cloud-init schema --config-file " +
                             dir.write("user-data.yaml", *user_data).string(),
                         &output),
              0)
        << output << "\n"
        << *user_data;
    const auto script = dir.write("bootstrap.sh", make_manager_bootstrap_script(options()));
    for (const char* shell : {"sh", "bash"}) {
        output.clear();
        EXPECT_EQ(run_status(std::string(shell) + " -n " + script.string(), &output), 0) << output;
    }
}

TEST(ManagerUserData, ServesHttpsWithTheKeyAsACredentialAndStateOnEfs) {
    const auto o = options();
    const std::string unit = make_manager_unit(o);
    EXPECT_NE(unit.find("spotfarm manager --state-dir /mnt/efs/spotfarm/manager --listen "
                        "0.0.0.0:8420 --tls-cert /etc/spotfarm/manager-cert.pem --tls-key "
                        "%d/tls-key --manager-url ${SPOTFARM_MANAGER_URL} --provider aws --max 20"),
              std::string::npos)
        << unit;
    EXPECT_NE(unit.find("LoadCredential=tls-key:/etc/spotfarm/manager-key.pem"), std::string::npos);
    EXPECT_NE(unit.find("RequiresMountsFor=/mnt/efs"), std::string::npos);
    EXPECT_NE(unit.find("SERVICE_RESULT\" = success ]; then /sbin/poweroff"), std::string::npos);
    EXPECT_NE(unit.find("Restart=on-failure"), std::string::npos);

    auto user_data = make_manager_user_data(o);
    ASSERT_TRUE(user_data);
    // The key once (its file), mode 0600; never in the unit or the script.
    const std::string key_line = o.key_pem.substr(o.key_pem.find('\n') + 1, 40);
    EXPECT_EQ(user_data->find(key_line), user_data->rfind(key_line));
    EXPECT_NE(user_data->find("path: /etc/spotfarm/manager-key.pem\n    owner: root:root\n"
                              "    permissions: '0600'"),
              std::string::npos);
    EXPECT_EQ(unit.find(key_line), std::string::npos);
    EXPECT_EQ(user_data->find("AWS_SECRET"), std::string::npos);
}

TEST(ManagerUserData, KeepsTheTokensOfAnEarlierManagerOnTheSameEfs) {
    const std::string script = make_manager_bootstrap_script(options());
    EXPECT_NE(script.find("[ -s /mnt/efs/spotfarm/manager/$name ] || install -m 0600 "
                          "/etc/spotfarm/$name /mnt/efs/spotfarm/manager/$name"),
              std::string::npos)
        << script;
    EXPECT_EQ(script.find("people_0123456789abcdef"), std::string::npos);
    EXPECT_LT(script.find("retry mount_efs"), script.find("for name in people.token"));
    EXPECT_LT(script.find("SPOTFARM_MANAGER_URL=https://$ip:8420"),
              script.find("systemctl enable --now spotfarm-manager.service"));
}

TEST(ManagerUserData, ChecksWhatItDownloads) {
    const auto o = options();
    const std::string script = make_manager_bootstrap_script(o);
    EXPECT_NE(script.find("sha256sum -c"), std::string::npos);
    EXPECT_NE(script.find("retry fetch '" + o.binary_url + "' /usr/local/bin/spotfarm " +
                          o.binary_sha256),
              std::string::npos)
        << script;
}

TEST(ManagerUserData, RefusesValuesThatWouldBreakOut) {
    auto with = [](auto change) {
        auto o = options();
        change(o);
        return make_manager_user_data(o);
    };
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.key_pem = "nope"; }), "PEM"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.people_token = "short"; }), "tokens"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.binary_url = "https://x/'; reboot; '"; }),
                                 "download URLs"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.binary_sha256 = "abc"; }), "SHA-256"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.state_folder = "../etc"; }), "state folder"));
    EXPECT_TRUE(
        fails_mentioning(with([](auto& o) { o.manager_args = {"$(id)"}; }), "manager argument"));
    EXPECT_TRUE(fails_mentioning(with([](auto& o) { o.efs.file_system_id = "fs-x"; }),
                                 "EFS file system id"));
}

}  // namespace
}  // namespace spotfarm::providers::aws

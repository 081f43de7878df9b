#pragma once
// A stand-in for EFS's REST-JSON API (/2015-02-01/file-systems, /2015-02-01/mount-targets) on
// 127.0.0.1: it verifies SigV4 (service elasticfilesystem), keeps file systems and mount targets
// in memory and moves them through their life cycles as EFS does: created "creating", available
// after a number of describes; mount targets deleted "deleting", gone after as many.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "providers/aws/credentials.h"
#include "providers/aws/efs_client.h"
#include "support/loopback_http_server.h"

namespace spotfarm::testing {

struct FakeEfsMountTarget {
    providers::aws::EfsMountTarget target;
    std::vector<std::string> security_groups;
    int polls_left = 0;  // describes until the state moves on
};

class FakeEfs {
public:
    explicit FakeEfs(std::string region = "us-east-1",
                     providers::aws::Credentials credentials = {"AKIDFAKEEFS", "fake/efs/secret"});

    std::string endpoint() const;  // "http://127.0.0.1:PORT/"

    // How many describes a new file system or mount target stays "creating" (and a deleted mount
    // target "deleting"); 2 by default.
    void set_transition_polls(int polls);
    // The zone of a subnet, asked when a mount target is made ("" : SubnetNotFound).
    void set_zone_of(std::function<std::string(const std::string& subnet)> zone_of);
    void set_size(const std::string& file_system_id, std::int64_t bytes);
    // The next `times` calls of `action` ("CreateFileSystem", "DescribeMountTargets", ...; any
    // when empty) answer with this error.
    void fail_next(std::string action, int http_status, std::string code, std::string message,
                   int times = 1);

    std::vector<providers::aws::EfsFileSystem> file_systems() const;
    std::vector<FakeEfsMountTarget> mount_targets() const;
    // Whether a mount target (in any state) is in the security group.
    bool group_in_use(const std::string& group_id) const;
    int changes() const;  // calls that changed something
    // "GET /2015-02-01/file-systems?..." for each request that passed the signature check.
    std::vector<std::string> requests() const;

private:
    struct Answer {
        int status;
        std::string body;
    };
    util::HttpResponse handle(const ReceivedRequest& request);
    Answer dispatch(const std::string& action, const ReceivedRequest& request,
                    const std::string& path, const std::map<std::string, std::string>& query,
                    const std::string& zone);
    void advance();

    std::string m_region;
    providers::aws::Credentials m_credentials;
    mutable std::mutex m_mutex;
    std::function<std::string(const std::string&)> m_zone_of;
    struct FileSystem {
        providers::aws::EfsFileSystem fs;
        int polls_left = 0;
    };
    std::vector<FileSystem> m_file_systems;
    std::vector<FakeEfsMountTarget> m_mount_targets;
    struct Injected {
        std::string action;
        int status;
        std::string code, message;
        int times;
    };
    std::vector<Injected> m_injected;
    std::vector<std::string> m_requests;
    int m_transition_polls = 2;
    int m_changes = 0;
    int m_next_id = 1;
    std::unique_ptr<LoopbackHttpServer> m_server;  // last: stops before the state goes
};

}  // namespace spotfarm::testing

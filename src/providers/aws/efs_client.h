#pragma once
// A client for EFS's REST-JSON API (/2015-02-01/...): file systems and their mount targets, as
// `cloud setup` makes them and `teardown` removes them.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/aws_call.h"
#include "providers/aws/ec2_types.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

struct EfsFileSystem {
    std::string id;  // fs-...
    std::string creation_token;
    std::string life_cycle_state;  // creating, available, updating, deleting, deleted, error
    std::int64_t size_bytes = 0;   // metered size, as of AWS's last measurement
    int mount_targets = 0;
    std::vector<Tag> tags;
};

struct EfsMountTarget {
    std::string id;  // fsmt-...
    std::string file_system_id, subnet_id, zone, ip_address;
    std::string life_cycle_state;
};

// Thread-safe.
class EfsClient {
public:
    // `endpoint` empty: https://elasticfilesystem.REGION.amazonaws.com/.
    static util::Result<std::unique_ptr<EfsClient>> create(AwsClientServices services,
                                                           std::string region, std::string endpoint,
                                                           RetryPolicy retry = {});

    // Idempotent by `creation_token`: a file system made with it before is answered again.
    util::Result<EfsFileSystem> create_file_system(const std::string& creation_token,
                                                   const std::vector<Tag>& tags);
    // nullopt when there is none with that id (FileSystemNotFound).
    util::Result<std::optional<EfsFileSystem>> describe_file_system(const std::string& id);
    util::Result<std::optional<EfsFileSystem>> find_by_creation_token(const std::string& token);
    util::Status delete_file_system(const std::string& id);

    util::Result<EfsMountTarget> create_mount_target(
        const std::string& file_system_id, const std::string& subnet_id,
        const std::vector<std::string>& security_groups);
    util::Result<std::vector<EfsMountTarget>> describe_mount_targets(
        const std::string& file_system_id);
    util::Status delete_mount_target(const std::string& mount_target_id);

    const std::string& endpoint() const { return m_caller.endpoint(); }

private:
    explicit EfsClient(AwsCaller caller) : m_caller(std::move(caller)) {}
    // The answer's JSON text, or the error as a message; `not_found_codes` become not_found.
    util::Result<std::string> call(const AwsRequest& request, std::string_view action);

    AwsCaller m_caller;
};

}  // namespace spotfarm::providers::aws

#pragma once
// The worker's registration kept in its state folder, so that a restarted worker is the same
// worker to the manager and can still deliver the reports its outbox holds (they carry its id,
// and only its secret may send them).

#include <filesystem>
#include <optional>
#include <string>

#include "protocol/protocol.h"
#include "util/result.h"

namespace spotfarm::worker {

struct SavedIdentity {
    std::string manager;  // the manager's API root it belongs to
    protocol::Registration registration;
};

// Nothing when no identity was saved; an error when the file is there but unreadable.
util::Result<std::optional<SavedIdentity>> load_identity(const std::filesystem::path& state_dir);
// Written atomically and readable by the owner only (it holds the secret).
util::Status save_identity(const std::filesystem::path& state_dir, const SavedIdentity& identity);
util::Status forget_identity(const std::filesystem::path& state_dir);

}  // namespace spotfarm::worker

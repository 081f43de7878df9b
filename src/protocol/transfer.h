#pragma once
// The wire structs of transfer mode (docs/transfer.md): files kept by the manager as blobs named
// by their SHA-256, a job's tree (relative path -> blob), the batch body that carries many small
// blobs in one request, and the frames a job's output store holds. The submitter, the manager and
// the worker all read and write them through these functions.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "protocol/protocol.h"
#include "util/result.h"

namespace spotfarm::protocol {

// Headers of the blob and frame uploads.
inline constexpr std::string_view k_sha256_header = "X-Spotfarm-Sha256";  // of the whole file
inline constexpr std::string_view k_size_header = "X-Spotfarm-Size";      // the whole file's bytes
// Largest body of one PUT /blobs/{hash} chunk and of one POST /blobs/batch.
inline constexpr std::int64_t k_max_blob_chunk = 64LL << 20;
// Most files in one tree and most hashes in one POST /blobs/missing.
inline constexpr std::size_t k_max_tree_files = 1'000'000;
// Folder of a tree that holds files found outside the scene's folder, by their absolute path:
// "/mnt/lib/wood.png" is "_external/mnt/lib/wood.png".
inline constexpr std::string_view k_external_folder = "_external";

// A SHA-256 as the protocol writes it: 64 lower-case hex digits.
bool is_blob_hash(std::string_view text);

// A path inside a tree: relative, '/'-separated, no empty, "." or ".." segment, no backslash or
// NUL, valid UTF-8, at most 4096 bytes. The error says what is wrong with it.
util::Result<void> check_tree_path(std::string_view path);

struct TreeFile {
    std::string path;  // check_tree_path
    std::string hash;  // is_blob_hash
    std::int64_t size = 0;

    bool operator==(const TreeFile&) const = default;
};

// What a job renders from: every file by its path in the job's folder. Stored on the manager as a
// blob itself (the canonical JSON of to_tree_blob), so a job names its tree by one hash.
struct Tree {
    std::vector<TreeFile> files;  // sorted by path, no path twice
    // Paths as the scene wrote them (absolute, outside the scene's folder) -> their path in the
    // tree. The worker's Blender rewrites these after it loads the scene.
    std::map<std::string, std::string> remap;

    bool operator==(const Tree&) const = default;
};

// The canonical bytes of a tree (files sorted by path, compact JSON): the same tree always hashes
// the same, so a second submit of an unchanged shot names the same tree blob.
std::string to_tree_blob(Tree tree);
// Reads and checks a tree blob: every path and hash, no path twice, remap targets in the tree.
util::Result<Tree> parse_tree_blob(std::string_view bytes);

// POST /blobs/missing: which of these the manager lacks.
struct MissingRequest {
    std::vector<std::string> hashes;
};
// Its answer: the hashes the manager has no complete blob for, and of those, the bytes it already
// holds of a chunked upload that stopped (the offset to resume from).
struct MissingAnswer {
    std::vector<std::string> missing;
    std::map<std::string, std::int64_t> partial;
};

// One blob in a POST /blobs/batch body.
struct BatchEntry {
    std::string hash;
    std::int64_t size = 0;
};
// A batch body: one line of JSON {"blobs":[{"hash":..., "size":...}, ...]}, a '\n', then the
// blobs' bytes one after the other in that order.
std::string encode_batch_header(const std::vector<BatchEntry>& entries);
// The entries of a batch body with a view of each one's bytes into `body`; an Error when the
// header is malformed or the sizes do not add up to the bytes that follow it.
util::Result<std::vector<std::pair<BatchEntry, std::string_view>>> split_batch(
    std::string_view body);
// The answer to a batch: how many were stored, and each refused blob with the reason.
struct BatchAnswer {
    int stored = 0;
    std::vector<std::pair<std::string, std::string>> rejected;  // hash, reason
};

// A frame in a job's output store on the manager.
struct FrameFile {
    int frame = 0;
    std::string name;  // path in the output store (check_tree_path), e.g. "shot_0001.png"
    std::int64_t size = 0;
    std::string hash;

    bool operator==(const FrameFile&) const = default;
};
// GET /jobs/{id}/frames
struct FrameFiles {
    std::vector<FrameFile> frames;  // by frame
};

nlohmann::json to_json(const MissingRequest& v);
nlohmann::json to_json(const MissingAnswer& v);
nlohmann::json to_json(const BatchAnswer& v);
nlohmann::json to_json(const FrameFile& v);
nlohmann::json to_json(const FrameFiles& v);
template <>
util::Result<MissingRequest> from_json<MissingRequest>(const nlohmann::json& j);
template <>
util::Result<MissingAnswer> from_json<MissingAnswer>(const nlohmann::json& j);
template <>
util::Result<BatchAnswer> from_json<BatchAnswer>(const nlohmann::json& j);
template <>
util::Result<FrameFiles> from_json<FrameFiles>(const nlohmann::json& j);

}  // namespace spotfarm::protocol

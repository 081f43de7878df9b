#pragma once
// The tree of a transfer job (docs/transfer.md) built on the submitter's machine: the scene, the
// files Blender says it needs and the --include extras, each with its place in the tree, its
// SHA-256 and size. The scene's folder is the root; a file outside it goes under
// `_external/<absolute path>` with a remap entry so the worker's Blender finds it there.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "blender/dependency_list.h"
#include "protocol/transfer.h"
#include "util/result.h"

namespace spotfarm::cli {

struct TreeInput {
    std::filesystem::path scene;                    // the .blend, absolute
    std::vector<blender::Dependency> dependencies;  // as blender::list_dependencies gives them
    std::vector<std::filesystem::path> includes;    // absolute files or folders (recursive)
    bool allow_missing = false;                     // leave missing dependencies out
    int hash_threads = 4;
};

// One file of the tree and where it is on this machine.
struct LocalFile {
    std::filesystem::path source;
    std::string tree_path;
    std::string hash;
    std::int64_t size = 0;
};

struct BuiltTree {
    protocol::Tree tree;
    std::string scene_path;                    // the scene's path in the tree
    std::vector<LocalFile> files;              // by tree path, as tree.files
    std::vector<blender::Dependency> missing;  // left out (allow_missing)
    std::int64_t total_bytes = 0;
};

// The path of `file` (absolute) in a tree rooted at `root`: relative when under it, else
// `_external/<absolute path>`. An Error (invalid) when the result is no valid tree path.
util::Result<std::string> tree_path_for(const std::filesystem::path& root,
                                        const std::filesystem::path& file);

// Lays out and hashes every file. Errors: missing dependencies without allow_missing (kind
// invalid, listing each with the datablock that needs it), an --include that does not exist
// (invalid), a file that cannot be read (its hash_file error).
util::Result<BuiltTree> build_tree(const TreeInput& input);

}  // namespace spotfarm::cli

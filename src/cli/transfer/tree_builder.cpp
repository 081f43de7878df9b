#include "cli/transfer/tree_builder.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "util/file_hash.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;

fs::path normal_absolute(const fs::path& path) {
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    return (ec ? path : absolute).lexically_normal();
}

std::string missing_list(const std::vector<blender::Dependency>& missing) {
    std::string text;
    for (const auto& d : missing) {
        text += "\n  " + d.path.string();
        if (!d.written.empty() && d.written != d.path.string()) {
            text += " (written as '" + d.written + "')";
        }
        if (!d.user.empty()) text += ", needed by " + d.user;
    }
    return text;
}

// Every regular file under `folder`, or the file itself.
util::Result<std::vector<fs::path>> include_files(const fs::path& include) {
    std::error_code ec;
    const auto status = fs::status(include, ec);
    if (ec || !fs::exists(status)) {
        return util::make_error(
            "--include " + include.string() + ": no such file or folder; give an existing path",
            util::ErrorKind::invalid);
    }
    if (fs::is_regular_file(status)) return std::vector<fs::path>{include};
    if (!fs::is_directory(status)) {
        return util::make_error("--include " + include.string() + ": neither a file nor a folder",
                                util::ErrorKind::invalid);
    }
    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator it(include, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) {
        return util::make_error(
            "--include " + include.string() + ": cannot list it: " + ec.message(),
            util::ErrorKind::invalid);
    }
    return files;
}

// Hashes `files` (source set, size and hash empty) on up to `threads` threads.
util::Status hash_all(std::vector<LocalFile>& files, int threads) {
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::optional<util::Error> first_error;
    auto work = [&] {
        for (std::size_t i = next++; i < files.size(); i = next++) {
            auto digest = util::hash_file(files[i].source);
            if (!digest) {
                std::lock_guard lock(mutex);
                if (!first_error) first_error = digest.error();
                next = files.size();
                return;
            }
            files[i].hash = digest->sha256;
            files[i].size = digest->size;
        }
    };
    const auto count = std::clamp<std::size_t>(files.size(), 1, std::max(1, threads));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < count; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
    if (first_error) return *first_error;
    return {};
}

bool is_pattern(std::string_view written) {
    return written.find('#') != std::string_view::npos ||
           written.find("<UDIM>") != std::string_view::npos ||
           written.find("<UVTILE>") != std::string_view::npos;
}

}  // namespace

util::Result<std::string> tree_path_for(const fs::path& root, const fs::path& file) {
    const fs::path normal = normal_absolute(file);
    const fs::path relative = normal.lexically_relative(normal_absolute(root));
    std::string path;
    if (!relative.empty() && *relative.begin() != ".." && *relative.begin() != ".") {
        path = relative.generic_string();
    } else {
        path = std::string(protocol::k_external_folder) + "/" +
               normal.relative_path().generic_string();
    }
    if (auto ok = protocol::check_tree_path(path); !ok) {
        return util::make_error(
            fmt::format("{} cannot be sent to the farm: {}", file.string(), ok.error().message),
            util::ErrorKind::invalid);
    }
    return path;
}

util::Result<BuiltTree> build_tree(const TreeInput& input) {
    const fs::path scene = normal_absolute(input.scene);
    const fs::path root = scene.parent_path();
    BuiltTree built;
    std::map<std::string, fs::path> sources;  // tree path -> file here; each file once
    auto add = [&](const fs::path& file) -> util::Result<std::string> {
        auto path = tree_path_for(root, file);
        if (!path) return path.error();
        sources.emplace(*path, normal_absolute(file));
        return path;
    };

    auto scene_path = add(scene);
    if (!scene_path) return scene_path.error();
    built.scene_path = *scene_path;

    for (const auto& d : input.dependencies) {
        if (d.missing) {
            built.missing.push_back(d);
            continue;
        }
        auto path = add(d.path);
        if (!path) return path.error();
        const bool relative = d.written.starts_with("//");
        const bool outside = path->starts_with(std::string(protocol::k_external_folder) + "/");
        // A pattern (sequence, UDIM) names many files: no one tree path to map it to.
        if (!d.written.empty() && !is_pattern(d.written) && (outside || !relative)) {
            built.tree.remap.emplace(d.written, *path);
        }
        // A path relative to a library resolves against the library's own folder; the absolute
        // form lets the worker's Blender find it wherever the library ended up in the tree.
        if (outside && d.written != d.path.string()) {
            built.tree.remap.emplace(normal_absolute(d.path).string(), *path);
        }
    }
    if (!built.missing.empty() && !input.allow_missing) {
        return util::make_error(
            fmt::format("{} file{} the scene needs {} missing:{}\nPut {} back, or submit "
                        "without {} with --allow-missing.",
                        built.missing.size(), built.missing.size() == 1 ? "" : "s",
                        built.missing.size() == 1 ? "is" : "are", missing_list(built.missing),
                        built.missing.size() == 1 ? "it" : "them",
                        built.missing.size() == 1 ? "it" : "them"),
            util::ErrorKind::invalid);
    }
    for (const auto& include : input.includes) {
        auto files = include_files(include);
        if (!files) return files.error();
        for (const auto& file : *files) {
            if (auto path = add(file); !path) return path.error();
        }
    }
    if (sources.size() > protocol::k_max_tree_files) {
        return util::make_error(fmt::format("the job has {} files, more than the {} a tree holds",
                                            sources.size(), protocol::k_max_tree_files),
                                util::ErrorKind::invalid);
    }

    built.files.reserve(sources.size());
    for (auto& [path, source] : sources) built.files.push_back({source, path, "", 0});
    if (auto ok = hash_all(built.files, input.hash_threads); !ok) return ok.error();
    built.tree.files.reserve(built.files.size());
    for (const auto& f : built.files) {
        built.tree.files.push_back({f.tree_path, f.hash, f.size});
        built.total_bytes += f.size;
    }
    return built;
}

}  // namespace spotfarm::cli

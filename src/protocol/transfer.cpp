#include "protocol/transfer.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/json_fields.h"
#include "util/utf8.h"

namespace spotfarm::protocol {

namespace {

using nlohmann::json;
using util::JsonFields;
using util::Result;

constexpr std::size_t k_max_path_bytes = 4096;

Result<std::vector<std::string>> read_hashes(const json& j, const std::string& where) {
    if (!j.is_array()) return util::make_error(where + " must be an array of SHA-256 hashes");
    if (j.size() > k_max_tree_files) {
        return util::make_error(fmt::format("{} holds {} hashes; at most {} go in one request",
                                            where, j.size(), k_max_tree_files));
    }
    std::vector<std::string> out;
    out.reserve(j.size());
    for (const auto& item : j) {
        if (!item.is_string() || !is_blob_hash(item.get_ref<const std::string&>())) {
            return util::make_error(fmt::format(
                "{}[{}] must be a SHA-256 in lower-case hex (64 characters)", where, out.size()));
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

Result<TreeFile> read_tree_file(const json& j, const std::string& where) {
    TreeFile v;
    JsonFields f(j, where);
    f.required("path", v.path).required("hash", v.hash).required("size", v.size);
    if (!f.ok()) return f.status().error();
    if (auto ok = check_tree_path(v.path); !ok) {
        return util::make_error(where + ".path: " + ok.error().message);
    }
    if (!is_blob_hash(v.hash)) {
        return util::make_error(where + ".hash must be a SHA-256 in lower-case hex");
    }
    if (v.size < 0) return util::make_error(where + ".size must not be negative");
    return v;
}

}  // namespace

bool is_blob_hash(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

util::Result<void> check_tree_path(std::string_view path) {
    if (path.empty()) return util::make_error("the path is empty");
    if (path.size() > k_max_path_bytes) {
        return util::make_error(fmt::format("the path is longer than {} bytes", k_max_path_bytes));
    }
    if (!util::is_valid_utf8(path)) return util::make_error("the path is not valid UTF-8");
    if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
        return util::make_error("the path holds a NUL or a backslash; use '/' between folders");
    }
    if (path.front() == '/') {
        return util::make_error("'" + std::string(path) + "' is absolute; a tree path is relative");
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view segment = path.substr(start, end - start);
        if (segment.empty() || segment == "." || segment == "..") {
            return util::make_error("'" + std::string(path) +
                                    "' has an empty, '.' or '..' folder; a tree path names a file "
                                    "inside the job's folder");
        }
        start = end + 1;
    }
    return {};
}

std::string to_tree_blob(Tree tree) {
    std::sort(tree.files.begin(), tree.files.end(),
              [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
    json files = json::array();
    for (const auto& file : tree.files) {
        files.push_back({{"path", file.path}, {"hash", file.hash}, {"size", file.size}});
    }
    json j = {{"files", std::move(files)}};
    if (!tree.remap.empty()) j["remap"] = tree.remap;  // std::map: sorted keys
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

util::Result<Tree> parse_tree_blob(std::string_view bytes) {
    auto j = util::parse_json_text(bytes, "tree");
    if (!j) return j.error();
    if (!j->is_object() || !j->contains("files") || !(*j)["files"].is_array()) {
        return util::make_error("a tree must be a JSON object with a 'files' array");
    }
    const json& files = (*j)["files"];
    if (files.size() > k_max_tree_files) {
        return util::make_error(fmt::format("the tree lists {} files; at most {} are allowed",
                                            files.size(), k_max_tree_files));
    }
    Tree tree;
    tree.files.reserve(files.size());
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto file = read_tree_file(files[i], fmt::format("tree.files[{}]", i));
        if (!file) return file.error();
        tree.files.push_back(std::move(file).value());
    }
    for (const auto& file : tree.files) {
        if (!seen.insert(file.path).second) {
            return util::make_error("the tree lists '" + file.path + "' twice");
        }
    }
    if (j->contains("remap")) {
        const json& remap = (*j)["remap"];
        if (!remap.is_object()) return util::make_error("tree.remap must be an object");
        for (const auto& [from, to] : remap.items()) {
            if (!to.is_string() || !seen.count(to.get_ref<const std::string&>())) {
                return util::make_error("tree.remap['" + from + "'] must name a file of the tree");
            }
            tree.remap.emplace(from, to.get<std::string>());
        }
    }
    return tree;
}

std::string encode_batch_header(const std::vector<BatchEntry>& entries) {
    json blobs = json::array();
    for (const auto& e : entries) blobs.push_back({{"hash", e.hash}, {"size", e.size}});
    return json{{"blobs", std::move(blobs)}}.dump() + "\n";
}

util::Result<std::vector<std::pair<BatchEntry, std::string_view>>> split_batch(
    std::string_view body) {
    const std::size_t newline = body.find('\n');
    if (newline == std::string_view::npos) {
        return util::make_error("a batch starts with one line of JSON naming its blobs");
    }
    auto j = util::parse_json_text(body.substr(0, newline), "batch header");
    if (!j) return j.error();
    if (!j->is_object() || !j->contains("blobs") || !(*j)["blobs"].is_array()) {
        return util::make_error(
            "the batch header must be {\"blobs\": [{\"hash\", \"size\"}, ...]}");
    }
    std::string_view rest = body.substr(newline + 1);
    std::vector<std::pair<BatchEntry, std::string_view>> out;
    for (const auto& item : (*j)["blobs"]) {
        BatchEntry e;
        JsonFields f(item, fmt::format("blobs[{}]", out.size()));
        f.required("hash", e.hash)
            .required("size", e.size)
            .check(is_blob_hash(e.hash), "hash", "must be a SHA-256 in lower-case hex")
            .check(e.size >= 0, "size", "must not be negative");
        if (!f.ok()) return f.status().error();
        if (static_cast<std::uint64_t>(e.size) > rest.size()) {
            return util::make_error(
                fmt::format("the batch ends inside blob {} ({} bytes announced, {} left)", e.hash,
                            e.size, rest.size()));
        }
        out.emplace_back(e, rest.substr(0, static_cast<std::size_t>(e.size)));
        rest.remove_prefix(static_cast<std::size_t>(e.size));
    }
    if (!rest.empty()) {
        return util::make_error(
            fmt::format("the batch has {} bytes after its last blob", rest.size()));
    }
    return out;
}

json to_json(const MissingRequest& v) {
    return {{"hashes", v.hashes}};
}

json to_json(const MissingAnswer& v) {
    json j = {{"missing", v.missing}, {"partial", json::object()}};
    for (const auto& [hash, bytes] : v.partial) j["partial"][hash] = bytes;
    return j;
}

json to_json(const BatchAnswer& v) {
    json rejected = json::array();
    for (const auto& [hash, reason] : v.rejected) {
        rejected.push_back({{"hash", hash}, {"error", reason}});
    }
    return {{"stored", v.stored}, {"rejected", std::move(rejected)}};
}

json to_json(const FrameFile& v) {
    return {{"frame", v.frame}, {"name", v.name}, {"size", v.size}, {"sha256", v.hash}};
}

json to_json(const FrameFiles& v) {
    json frames = json::array();
    for (const auto& f : v.frames) frames.push_back(to_json(f));
    return {{"frames", std::move(frames)}};
}

template <>
util::Result<MissingRequest> from_json<MissingRequest>(const json& j) {
    if (!j.is_object() || !j.contains("hashes")) {
        return util::make_error("MissingRequest must be {\"hashes\": [...]}");
    }
    auto hashes = read_hashes(j["hashes"], "MissingRequest.hashes");
    if (!hashes) return hashes.error();
    return MissingRequest{std::move(hashes).value()};
}

template <>
util::Result<MissingAnswer> from_json<MissingAnswer>(const json& j) {
    if (!j.is_object() || !j.contains("missing")) {
        return util::make_error("MissingAnswer must be {\"missing\": [...], \"partial\": {...}}");
    }
    auto missing = read_hashes(j["missing"], "MissingAnswer.missing");
    if (!missing) return missing.error();
    MissingAnswer v{std::move(missing).value(), {}};
    if (j.contains("partial")) {
        const json& partial = j["partial"];
        if (!partial.is_object())
            return util::make_error("MissingAnswer.partial must be an object");
        for (const auto& [hash, bytes] : partial.items()) {
            if (!is_blob_hash(hash) || !bytes.is_number_integer() ||
                bytes.get<std::int64_t>() < 0) {
                return util::make_error("MissingAnswer.partial maps a hash to a byte count");
            }
            v.partial.emplace(hash, bytes.get<std::int64_t>());
        }
    }
    return v;
}

template <>
util::Result<BatchAnswer> from_json<BatchAnswer>(const json& j) {
    BatchAnswer v;
    JsonFields f(j, "BatchAnswer");
    f.required("stored", v.stored);
    if (!f.ok()) return f.status().error();
    if (j.contains("rejected")) {
        if (!j["rejected"].is_array())
            return util::make_error("BatchAnswer.rejected must be an array");
        for (const auto& item : j["rejected"]) {
            std::string hash;
            std::string reason;
            JsonFields r(item, "BatchAnswer.rejected[]");
            r.required("hash", hash).required("error", reason);
            if (!r.ok()) return r.status().error();
            v.rejected.emplace_back(std::move(hash), std::move(reason));
        }
    }
    return v;
}

template <>
util::Result<FrameFiles> from_json<FrameFiles>(const json& j) {
    if (!j.is_object() || !j.contains("frames") || !j["frames"].is_array()) {
        return util::make_error("FrameFiles must be {\"frames\": [...]}");
    }
    FrameFiles v;
    for (const auto& item : j["frames"]) {
        FrameFile file;
        JsonFields f(item, fmt::format("frames[{}]", v.frames.size()));
        f.required("frame", file.frame)
            .required("name", file.name)
            .required("size", file.size)
            .required("sha256", file.hash)
            .check(is_blob_hash(file.hash), "sha256", "must be a SHA-256 in lower-case hex")
            .check(file.size >= 0, "size", "must not be negative")
            .check(check_tree_path(file.name).ok(), "name",
                   "must be a relative path inside the output store");
        if (!f.ok()) return f.status().error();
        v.frames.push_back(std::move(file));
    }
    return v;
}

}  // namespace spotfarm::protocol

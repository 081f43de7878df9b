// /api/v1/blobs and /api/v1/paths: the files of transfer jobs, kept by their SHA-256
// (docs/transfer.md). People upload and read them; a worker reads the blobs of the jobs it holds.
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <memory>

#include "manager/http/request_json.h"
#include "manager/routes/byte_range.h"
#include "manager/routes/disk_work.h"
#include "manager/routes/job_trees.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"
#include "protocol/transfer.h"
#include "util/file_hash.h"
#include "util/unique_fd.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::size_t k_chunk_body = static_cast<std::size_t>(protocol::k_max_blob_chunk);
// A million hashes of 66 bytes of JSON each, and room around them.
constexpr std::size_t k_missing_body = 80u << 20;
constexpr std::chrono::minutes k_chunk_time{10};
// The head of a file that POST /paths/check compares.
constexpr std::int64_t k_head_bytes = 1 << 20;

std::optional<Response> bad_hash(const Request& request) {
    if (protocol::is_blob_hash(request.param("hash"))) return std::nullopt;
    return bad_request("invalid_hash", "'" + std::string(request.param("hash")) +
                                           "' is not a blob hash: give the SHA-256 of the "
                                           "file as 64 lower-case hex digits");
}

std::optional<std::int64_t> header_count(const Request& request, std::string_view name) {
    auto text = request.header(name);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < 0) return std::nullopt;
    return value;
}

http::Reply missing(ApiContext& ctx, Request& request) {
    auto body = std::make_shared<std::string>(std::move(request.body));
    return on_disk_pool(ctx, request, [&ctx, body]() -> Response {
        auto parsed = http::parse_request_json(*body);
        if (!parsed) return malformed_json_answer(parsed.error());
        auto ask = protocol::from_json<protocol::MissingRequest>(*parsed);
        if (!ask) return bad_request("invalid_body", ask.error().message);
        return Response::json(protocol::to_json(ctx.blobs->missing(ask->hashes)));
    });
}

http::Reply put_chunk(ApiContext& ctx, Request& request) {
    if (auto refused = bad_hash(request)) return *refused;
    auto offset = query_count(request, "offset", 0, std::int64_t{1} << 50);
    if (!offset) {
        return bad_request("invalid_query",
                           "offset must be a whole number of bytes: where in "
                           "the file this chunk starts");
    }
    auto total = header_count(request, protocol::k_size_header);
    if (!total) {
        return bad_request("missing_size", "give the whole file's size in bytes in the " +
                                               std::string(protocol::k_size_header) + " header");
    }
    ctx.counters.transfer_bytes_up.fetch_add(request.body.size(), std::memory_order_relaxed);
    auto body = std::make_shared<std::string>(std::move(request.body));
    std::string hash(request.param("hash"));
    return on_disk_pool(ctx, request, [&ctx, body, hash, offset = *offset, total = *total] {
        auto appended = ctx.blobs->append(hash, offset, total, *body);
        if (!appended) return error_answer(appended.error());
        using Status = AppendOutcome::Status;
        switch (appended->status) {
            case Status::offset_mismatch:
                return Response::json(
                    {{"error", "the manager holds " + std::to_string(appended->received) +
                                   " bytes of " + hash + ", not " + std::to_string(offset) +
                                   ": send from byte " + std::to_string(appended->received)},
                     {"code", "offset_mismatch"},
                     {"received", appended->received}},
                    409);
            case Status::hash_mismatch:
                return http::error_response(422, "hash_mismatch",
                                            "the " + std::to_string(total) +
                                                " bytes sent do not hash to " + hash +
                                                "; the manager dropped them: hash the file "
                                                "again and send it from the start");
            case Status::accepted:
                break;
        }
        return Response::json({{"received", appended->received}, {"complete", appended->complete}});
    });
}

http::Reply put_batch(ApiContext& ctx, Request& request) {
    ctx.counters.transfer_bytes_up.fetch_add(request.body.size(), std::memory_order_relaxed);
    auto body = std::make_shared<std::string>(std::move(request.body));
    return on_disk_pool(ctx, request, [&ctx, body]() -> Response {
        auto entries = protocol::split_batch(*body);
        if (!entries) return bad_request("invalid_batch", entries.error().message);
        protocol::BatchAnswer answer;
        for (const auto& [entry, bytes] : *entries) {
            if (!protocol::is_blob_hash(entry.hash)) {
                answer.rejected.emplace_back(entry.hash, "not a blob hash");
                continue;
            }
            auto stored = ctx.blobs->put_whole(entry.hash, bytes);
            // A full disk stops the batch: what was stored stays, /blobs/missing tells the rest.
            if (!stored) return error_answer(stored.error());
            if (*stored) {
                ++answer.stored;
            } else {
                answer.rejected.emplace_back(entry.hash,
                                             "hash_mismatch: the bytes do not hash to the name");
            }
        }
        return Response::json(protocol::to_json(answer));
    });
}

http::Reply get_blob(ApiContext& ctx, Request& request) {
    if (auto refused = bad_hash(request)) return *refused;
    std::string hash(request.param("hash"));
    if (request.principal == http::Principal::worker &&
        !worker_may_read(ctx, calling_worker(request), hash)) {
        return http::error_response(403, "not_your_job",
                                    "worker " + request.worker_id +
                                        " holds no task of a job that uses blob " + hash +
                                        ": a worker reads the files of the jobs it renders");
    }
    std::optional<std::string> range;
    if (auto header = request.header("Range")) range = std::string(*header);
    return on_disk_pool(ctx, request, [&ctx, hash, range]() -> Response {
        auto size = ctx.blobs->size(hash);
        if (!size) {
            return http::error_response(404, "not_found",
                                        "the manager holds no blob " + hash + "; upload it first");
        }
        const RangeAsk ask = ask_range(range, *size);
        if (!ask.satisfiable) return ranged_answer(ask, *size, {});
        auto bytes = ctx.blobs->read(hash, ask.from, ask.length);
        if (!bytes) return error_answer(bytes.error());
        ctx.counters.transfer_bytes_down.fetch_add(bytes->size(), std::memory_order_relaxed);
        return ranged_answer(ask, *size, std::move(bytes).value());
    });
}

// Whether this machine sees the file a submitter describes: same size, same first MiB.
bool sees_file(const std::string& path, std::int64_t size, const std::string& head_sha256) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return false;
    if (static_cast<std::int64_t>(std::filesystem::file_size(path, ec)) != size || ec) {
        return false;
    }
    util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return false;
    std::string head(static_cast<std::size_t>(std::min(size, k_head_bytes)), '\0');
    std::size_t done = 0;
    while (done < head.size()) {
        const ssize_t n =
            ::pread(fd.get(), head.data() + done, head.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    util::Sha256 digest;
    digest.update(head);
    return digest.hex_digest() == head_sha256;
}

http::Reply check_path(ApiContext& ctx, Request& request) {
    auto body = json_body(request);
    if (!body) return malformed_json_answer(body.error());
    const json& j = *body;
    if (!j.is_object() || !j.contains("path") || !j["path"].is_string() || !j.contains("size") ||
        !j["size"].is_number_integer() || !j.contains("head_sha256") ||
        !j["head_sha256"].is_string()) {
        return bad_request("invalid_body",
                           "give {\"path\": absolute path, \"size\": bytes, \"head_sha256\": "
                           "SHA-256 of the first 1 MiB}");
    }
    std::string path = j["path"];
    const std::int64_t size = j["size"];
    std::string head = j["head_sha256"];
    if (path.empty() || path.front() != '/') {
        return bad_request("invalid_body", "the path '" + path + "' is not absolute");
    }
    // A mount that hangs (a lost NFS server) holds a pool thread, never the io thread.
    return on_disk_pool(ctx, request, [path, size, head] {
        return Response::json({{"visible", sees_file(path, size, head)}});
    });
}

}  // namespace

void add_blob_routes(http::Router& router, ApiContext& ctx) {
    const http::RouteOptions chunk{.max_body_bytes = k_chunk_body, .body_timeout = k_chunk_time};
    router.add("POST", api_path("/blobs/missing"), Access::people(), with_context(ctx, missing),
               {.max_body_bytes = k_missing_body, .body_timeout = k_chunk_time});
    router.add("PUT", api_path("/blobs/{hash}"), Access::people(), with_context(ctx, put_chunk),
               chunk);
    router.add("POST", api_path("/blobs/batch"), Access::people(), with_context(ctx, put_batch),
               chunk);
    router.add("GET", api_path("/blobs/{hash}"), Access{.person = true, .worker = true},
               with_context(ctx, get_blob));
    router.add("POST", api_path("/paths/check"), Access::people(), with_context(ctx, check_path));
}

}  // namespace spotfarm::manager::routes

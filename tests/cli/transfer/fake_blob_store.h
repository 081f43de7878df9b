#pragma once
// The blob routes of a manager (docs/transfer.md) in memory, behind a FakeHttpClient: it checks
// every request it gets as the real manager would (offsets, sizes, hashes, batch bodies) and
// keeps what arrived, so the tests read back what the client sent.

#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/transfer.h"
#include "support/fake_http_client.h"
#include "util/file_hash.h"

namespace spotfarm::testing {

class FakeBlobStore {
public:
    std::map<std::string, std::string> complete;  // hash -> bytes
    std::map<std::string, std::string> partial;   // hash -> bytes so far
    // Offsets POST /blobs/missing reports instead of the real ones (a stale answer).
    std::map<std::string, std::int64_t> reported_partial;
    int fail_next = 0;  // answer this many requests with 503 first
    int failure_status = 503;
    std::size_t largest_body = 0;
    std::vector<std::size_t> batch_sizes;  // blobs in each batch received

    util::Result<util::HttpResponse> handle(const util::HttpRequest& r) {
        std::lock_guard lock(m_mutex);
        largest_body = std::max(largest_body, r.body.size());
        if (fail_next > 0) {
            --fail_next;
            return http_response(failure_status, R"({"error":"busy","code":"busy"})");
        }
        const auto api = r.url.find("/api/v1");
        const std::string path = r.url.substr(api + 7);
        if (r.method == "POST" && path == "/blobs/missing") return missing(r);
        if (r.method == "POST" && path == "/blobs/batch") return batch(r);
        if (r.method == "PUT" && path.starts_with("/blobs/")) return put(r, path);
        return http_response(404, R"({"error":"no such route","code":"not_found"})");
    }

private:
    static std::string sha(std::string_view bytes) {
        util::Sha256 s;
        s.update(bytes);
        return s.hex_digest();
    }

    util::HttpResponse missing(const util::HttpRequest& r) {
        auto ask = protocol::from_json<protocol::MissingRequest>(nlohmann::json::parse(r.body));
        if (!ask) return http_response(400, R"({"error":"bad","code":"invalid"})");
        protocol::MissingAnswer answer;
        for (const auto& h : ask->hashes) {
            if (complete.contains(h)) continue;
            answer.missing.push_back(h);
            if (auto it = reported_partial.find(h); it != reported_partial.end()) {
                answer.partial[h] = it->second;
            } else if (auto p = partial.find(h); p != partial.end()) {
                answer.partial[h] = static_cast<std::int64_t>(p->second.size());
            }
        }
        return http_response(200, protocol::to_json(answer).dump());
    }

    util::HttpResponse batch(const util::HttpRequest& r) {
        auto split = protocol::split_batch(r.body);
        if (!split) return http_response(400, R"({"error":"bad batch","code":"invalid"})");
        protocol::BatchAnswer answer;
        for (const auto& [entry, bytes] : *split) {
            if (sha(bytes) != entry.hash) {
                answer.rejected.emplace_back(entry.hash, "hash_mismatch");
                continue;
            }
            complete[entry.hash] = std::string(bytes);
            ++answer.stored;
        }
        batch_sizes.push_back(split->size());
        return http_response(200, protocol::to_json(answer).dump());
    }

    util::HttpResponse put(const util::HttpRequest& r, const std::string& path) {
        const auto query = path.find("?offset=");
        const std::string hash = path.substr(7, query - 7);
        const std::int64_t offset = std::stoll(path.substr(query + 8));
        const std::int64_t total = std::stoll(header_value(r, "X-Spotfarm-Size"));
        if (complete.contains(hash)) {
            return http_response(200,
                                 nlohmann::json{{"received", total}, {"complete", true}}.dump());
        }
        std::string& held = partial[hash];
        if (offset != static_cast<std::int64_t>(held.size())) {
            return http_response(409, nlohmann::json{{"error", "offset"},
                                                     {"code", "offset_mismatch"},
                                                     {"received", held.size()}}
                                          .dump());
        }
        held += r.body;
        const auto received = static_cast<std::int64_t>(held.size());
        if (received == total) {
            if (sha(held) != hash) {
                partial.erase(hash);
                return http_response(422, R"({"error":"hash","code":"hash_mismatch"})");
            }
            complete[hash] = held;
            partial.erase(hash);
        }
        return http_response(
            200, nlohmann::json{{"received", received}, {"complete", received == total}}.dump());
    }

    std::mutex m_mutex;
};

}  // namespace spotfarm::testing

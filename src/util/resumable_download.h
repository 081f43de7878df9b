#pragma once
// Downloads a file that must arrive whole and exact: in ranges of at most `range_bytes` (so a
// large file never sits in memory and a cut connection loses at most one range), appended to
// `<dest>.part`, which a later call resumes; checked against its SHA-256 before it takes its
// final name. Used for blobs (a worker's cache) and frames (`spotfarm sync`).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "util/http_client.h"
#include "util/result.h"

namespace spotfarm::util {

struct DownloadRequest {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;  // e.g. the bearer token
    std::filesystem::path dest;
    std::string sha256;                     // expected, lower-case hex
    std::int64_t size = -1;                 // expected bytes; -1: unknown
    std::int64_t range_bytes = 16LL << 20;  // util/large_buffers.h: below 32 MiB
    std::chrono::milliseconds timeout{std::chrono::minutes(2)};  // per range
    std::function<bool()> abandon;                               // as HttpRequest::abandon
};

struct DownloadOutcome {
    std::int64_t bytes_fetched = 0;  // over the network in this call (resumed bytes excluded)
    std::int64_t size = 0;           // of the file in place
};

// The file in place at `dest`. A server status other than 200/206 is an Error whose message holds
// the server's own message and whose kind follows the status (404 not_found, 401/403
// unauthorized, 5xx unavailable); a hash mismatch removes the partial file and is an Error of
// kind failed; a transport failure keeps the partial file for the next call (kind unavailable).
Result<DownloadOutcome> download_verified(HttpClient& http, const DownloadRequest& request);

}  // namespace spotfarm::util

#pragma once
// The requests that put blobs on the manager (docs/transfer.md): one batch of small blobs, or the
// chunks of one large blob, each request retried with back-off while the manager is out of reach
// or busy (transport errors, 5xx, 507 disk full), and given up after a bounded number of tries
// with a message saying that running the command again resumes.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cli/transfer/upload_plan.h"
#include "util/http_client.h"
#include "util/result.h"
#include "util/sleeper.h"

namespace spotfarm::cli {

struct BlobSenderOptions {
    std::string manager_url;  // "http://host:port"
    std::string token;
    int attempts = 6;  // tries of one request before giving up
    util::Clock::duration backoff_base = std::chrono::milliseconds(500);
    util::Clock::duration backoff_cap = std::chrono::seconds(15);
    std::chrono::milliseconds timeout{std::chrono::minutes(5)};  // per request
    std::function<bool()> abandon;                               // as HttpRequest::abandon
};

// Sends with one shared HttpClient; safe to use from several threads at once.
class BlobSender {
public:
    BlobSender(util::HttpClient& http, util::Sleeper& sleeper, BlobSenderOptions options);

    // POST /blobs/missing for `hashes` (split into requests of at most 500,000).
    util::Result<protocol::MissingAnswer> missing(const std::vector<std::string>& hashes);
    // POST /blobs/batch with these blobs. `sent` grows by the bytes of each request that went
    // through.
    util::Status send_batch(const std::vector<const UploadBlob*>& blobs,
                            std::atomic<std::int64_t>& sent);
    // PUT /blobs/{hash}?offset=N from `offset` until the manager has all of it, following the
    // offset it says it holds when that differs (409 offset_mismatch).
    util::Status send_chunked(const UploadBlob& blob, std::int64_t offset, std::int64_t chunk_bytes,
                              std::atomic<std::int64_t>& sent);

private:
    util::HttpRequest request(std::string method, const std::string& path) const;
    // The answer to `request`, once it is not a transport error, 5xx or 429 (retried).
    util::Result<util::HttpResponse> send(const util::HttpRequest& request,
                                          const std::string& what);

    util::HttpClient& m_http;
    util::Sleeper& m_sleeper;
    BlobSenderOptions m_options;
};

// `length` bytes of `blob` from `offset`; an Error when the file changed size since it was hashed.
util::Result<std::string> read_blob(const UploadBlob& blob, std::int64_t offset,
                                    std::int64_t length);

}  // namespace spotfarm::cli

#include "cli/transfer/blob_sender.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/client/api_client.h"
#include "util/backoff.h"
#include "util/unique_fd.h"

namespace spotfarm::cli {

namespace {

using json = nlohmann::json;

constexpr std::size_t k_hashes_per_request = 500'000;

bool worth_retrying(int status) {
    return status >= 500 || status == 429;
}

json parse_body(const util::HttpResponse& response) {
    return json::parse(response.body, nullptr, /*allow_exceptions=*/false);
}

std::string changed_message(const UploadBlob& blob) {
    return blob.label + " changed after it was hashed; run the command again to send it as it is";
}

}  // namespace

util::Result<std::string> read_blob(const UploadBlob& blob, std::int64_t offset,
                                    std::int64_t length) {
    if (blob.source.empty()) {
        return blob.data.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
    }
    util::UniqueFd fd(::open(blob.source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        return util::make_error(
            fmt::format("cannot read {}: {}", blob.source.string(), std::strerror(errno)),
            util::ErrorKind::invalid);
    }
    std::string bytes(static_cast<std::size_t>(length), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pread(fd.get(), bytes.data() + done, bytes.size() - done,
                                  static_cast<off_t>(offset) + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            return util::make_error(
                fmt::format("cannot read {}: {}", blob.source.string(), std::strerror(errno)),
                util::ErrorKind::invalid);
        }
        if (n == 0) return util::make_error(changed_message(blob), util::ErrorKind::invalid);
        done += static_cast<std::size_t>(n);
    }
    return bytes;
}

BlobSender::BlobSender(util::HttpClient& http, util::Sleeper& sleeper, BlobSenderOptions options)
    : m_http(http), m_sleeper(sleeper), m_options(std::move(options)) {}

util::HttpRequest BlobSender::request(std::string method, const std::string& path) const {
    util::HttpRequest r;
    r.method = std::move(method);
    r.url = m_options.manager_url + "/api/v1" + path;
    r.headers.emplace_back("Authorization", "Bearer " + m_options.token);
    r.timeout = m_options.timeout;
    r.abandon = m_options.abandon;
    return r;
}

util::Result<util::HttpResponse> BlobSender::send(const util::HttpRequest& request,
                                                  const std::string& what) {
    util::Backoff backoff(m_options.backoff_base, m_options.backoff_cap);
    std::string cause;
    for (int attempt = 1;; ++attempt) {
        auto response = m_http.send(request);
        if (response && !worth_retrying(response->status)) return response;
        if (!response && response.error().kind == util::ErrorKind::interrupted) {
            return response.error();
        }
        cause = response ? api_error_message(response->status, response->body)
                         : response.error().message;
        if (attempt >= m_options.attempts) break;
        m_sleeper.sleep_for(backoff.next());
        if (m_options.abandon && m_options.abandon()) {
            return util::make_error("interrupted while " + what, util::ErrorKind::interrupted);
        }
    }
    return util::make_error(
        fmt::format("{} failed {} times, the last time with: {}. What the manager at {} already "
                    "holds is kept: run the same command again to resume",
                    what, m_options.attempts, cause, m_options.manager_url),
        util::ErrorKind::unavailable);
}

util::Result<protocol::MissingAnswer> BlobSender::missing(const std::vector<std::string>& hashes) {
    protocol::MissingAnswer all;
    for (std::size_t start = 0; start < hashes.size(); start += k_hashes_per_request) {
        const auto end = std::min(hashes.size(), start + k_hashes_per_request);
        protocol::MissingRequest ask{{hashes.begin() + static_cast<std::ptrdiff_t>(start),
                                      hashes.begin() + static_cast<std::ptrdiff_t>(end)}};
        auto r = request("POST", "/blobs/missing");
        r.headers.emplace_back("Content-Type", "application/json");
        r.body = protocol::to_json(ask).dump();
        auto response = send(r, "asking the manager which files it lacks");
        if (!response) return response.error();
        if (response->status != 200) {
            return util::make_error("the manager refused POST /blobs/missing: " +
                                    api_error_message(response->status, response->body));
        }
        auto answer = protocol::from_json<protocol::MissingAnswer>(parse_body(*response));
        if (!answer) {
            return util::make_error("the manager's answer to POST /blobs/missing: " +
                                    answer.error().message);
        }
        all.missing.insert(all.missing.end(), answer->missing.begin(), answer->missing.end());
        all.partial.merge(answer->partial);
    }
    return all;
}

util::Status BlobSender::send_batch(const std::vector<const UploadBlob*>& blobs,
                                    std::atomic<std::int64_t>& sent) {
    std::vector<protocol::BatchEntry> entries;
    std::int64_t bytes = 0;
    for (const UploadBlob* blob : blobs) {
        entries.push_back({blob->hash, blob->size});
        bytes += blob->size;
    }
    auto r = request("POST", "/blobs/batch");
    r.headers.emplace_back("Content-Type", "application/octet-stream");
    r.body = protocol::encode_batch_header(entries);
    r.body.reserve(r.body.size() + static_cast<std::size_t>(bytes));
    for (const UploadBlob* blob : blobs) {
        auto data = read_blob(*blob, 0, blob->size);
        if (!data) return data.error();
        r.body += *data;
    }
    auto response = send(r, fmt::format("sending {} small files", blobs.size()));
    if (!response) return response.error();
    if (response->status != 200) {
        return util::make_error("the manager refused a batch of small files: " +
                                api_error_message(response->status, response->body));
    }
    auto answer = protocol::from_json<protocol::BatchAnswer>(parse_body(*response));
    if (!answer) {
        return util::make_error("the manager's answer to POST /blobs/batch: " +
                                answer.error().message);
    }
    if (!answer->rejected.empty()) {
        std::string list;
        for (const auto& [hash, reason] : answer->rejected) {
            auto it = std::find_if(blobs.begin(), blobs.end(),
                                   [&](const UploadBlob* b) { return b->hash == hash; });
            list += "\n  " + (it == blobs.end() ? hash : (*it)->label) + ": " + reason;
        }
        return util::make_error(
            fmt::format("the manager refused {} file{}:{}\nIf a file changed "
                        "while it was sent, run the command again.",
                        answer->rejected.size(), answer->rejected.size() == 1 ? "" : "s", list));
    }
    sent += bytes;
    return {};
}

util::Status BlobSender::send_chunked(const UploadBlob& blob, std::int64_t offset,
                                      std::int64_t chunk_bytes, std::atomic<std::int64_t>& sent) {
    int mismatches = 0;
    while (offset < blob.size) {
        const std::int64_t length = std::min(chunk_bytes, blob.size - offset);
        auto data = read_blob(blob, offset, length);
        if (!data) return data.error();
        auto r = request("PUT", fmt::format("/blobs/{}?offset={}", blob.hash, offset));
        r.headers.emplace_back(std::string(protocol::k_size_header), std::to_string(blob.size));
        r.headers.emplace_back("Content-Type", "application/octet-stream");
        r.body = std::move(data).value();
        auto response = send(r, fmt::format("sending {} at byte {}", blob.label, offset));
        if (!response) return response.error();
        const json body = parse_body(*response);
        // -1: the answer says nothing about what the manager holds.
        const std::int64_t received =
            body.is_object() && body.contains("received") && body["received"].is_number_integer()
                ? body["received"].get<std::int64_t>()
                : -1;
        if (response->status == 409 && body.value("code", "") == "offset_mismatch" &&
            received >= 0 && ++mismatches <= m_options.attempts) {
            offset = received;  // the manager holds another amount: go on from there
            continue;
        }
        if (response->status == 422) return util::make_error(changed_message(blob));
        if (response->status != 200 || received < 0) {
            return util::make_error(
                fmt::format("the manager refused {}: {}", blob.label,
                            api_error_message(response->status, response->body)));
        }
        sent += length;
        if (body.value("complete", false)) return {};
        if (received <= offset && ++mismatches > m_options.attempts) {
            return util::make_error(
                fmt::format("the manager keeps holding {} bytes of {}; run the command again later",
                            received, blob.label));
        }
        offset = received;
    }
    return {};
}

}  // namespace spotfarm::cli

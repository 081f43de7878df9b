#include "worker/manager_client.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "protocol/transfer.h"
#include "util/percent_encoding.h"
#include "util/resumable_download.h"

namespace spotfarm::worker {

namespace {

std::string api_root_of(std::string base) {
    while (!base.empty() && base.back() == '/') base.pop_back();
    constexpr std::string_view k_suffix = "/api/v1";
    if (base.size() < k_suffix.size() ||
        base.compare(base.size() - k_suffix.size(), k_suffix.size(), k_suffix) != 0) {
        base += k_suffix;
    }
    return base;
}

// The manager's own words from an error answer, or the start of whatever it sent.
std::string reason_of(const util::HttpResponse& response) {
    if (auto body = protocol::parse_body<protocol::ErrorBody>(response.body)) return body->error;
    std::string text = response.body.substr(0, 200);
    return text.empty() ? "no message" : text;
}

// The answer to POST `path` read as a T, or why there is none.
template <class T>
util::Result<T> decode(const util::Result<util::HttpResponse>& response, const std::string& path) {
    if (!response) return response.error();
    auto value = protocol::parse_body<T>(response->body);
    if (!value) {
        return util::make_error("the manager's answer to POST " + path + " was not understood (" +
                                    value.error().message +
                                    "); is the manager a different spotfarm version?",
                                util::ErrorKind::invalid);
    }
    return value;
}

// A non-2xx answer to `call` sorted by what the worker should do about it.
util::Error error_of(const util::HttpResponse& response, const std::string& call,
                     bool with_join_token) {
    const int status = response.status;
    std::string what =
        " (HTTP " + std::to_string(status) + " on " + call + "): " + reason_of(response);
    if (status == 401 || status == 403) {
        std::string hint =
            with_join_token
                ? "; give the worker join token from the manager's state folder "
                  "(worker-join.token) with --token or SPOTFARM_JOIN_TOKEN"
                : "; the worker was signed off or the manager's state was reset: start the worker "
                  "again to register anew";
        return util::make_error("the manager refused the worker's token" + what + hint,
                                util::ErrorKind::unauthorized);
    }
    if (status == 404 || status == 410) {
        return util::make_error("the manager does not know this" + what,
                                util::ErrorKind::not_found);
    }
    if (status >= 500 || status == 408 || status == 429) {
        return util::make_error("the manager could not answer now" + what,
                                util::ErrorKind::unavailable);
    }
    return util::make_error("the manager refused the request" + what, util::ErrorKind::invalid);
}

}  // namespace

ManagerClient::ManagerClient(util::HttpClient& http, ManagerClientOptions options)
    : m_http(http), m_options(std::move(options)), m_api_root(api_root_of(m_options.base_url)) {}

util::Result<util::HttpResponse> ManagerClient::post(const std::string& path, std::string body,
                                                     std::chrono::milliseconds timeout,
                                                     bool with_join_token,
                                                     std::function<bool()> abandon) {
    const std::string& token = with_join_token ? m_options.join_token : m_secret;
    util::HttpRequest request;
    request.method = "POST";
    request.url = m_api_root + path;
    request.headers = {{"Authorization", "Bearer " + token},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
    request.body = std::move(body);
    request.timeout = m_call_limit ? std::min(timeout, *m_call_limit) : timeout;
    request.abandon = std::move(abandon);

    const std::string call = "POST " + path;
    auto response = m_http.send(request);
    if (!response && response.error().kind == util::ErrorKind::interrupted) {
        return response.error();
    }
    if (!response) {
        return util::make_error(
            "cannot reach the manager at " + m_api_root + ": " + response.error().message,
            util::ErrorKind::unavailable);
    }
    if (response->status >= 200 && response->status < 300) return response;
    return error_of(*response, call, with_join_token);
}

util::Status ManagerClient::post_report(const std::string& path, std::string body) {
    auto response = post(path, std::move(body), m_options.request_timeout, false);
    if (!response) return response.error();
    return {};  // the answer is "{}": nothing in it to check
}

util::Result<protocol::Registration> ManagerClient::register_worker(
    const protocol::RegisterRequest& info) {
    return decode<protocol::Registration>(
        post("/workers", protocol::to_body(info), m_options.request_timeout, true), "/workers");
}

util::Result<Claimed> ManagerClient::claim(std::int64_t worker_id,
                                           const protocol::ClaimRequest& request,
                                           std::chrono::seconds wait) {
    const std::string path =
        "/workers/" + std::to_string(worker_id) + "/claim?wait=" + std::to_string(wait.count());
    auto timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(wait) + m_options.claim_slack;
    std::function<bool()> abandon;
    if (const std::atomic<int>* stop = m_options.stop_signals) {
        abandon = [stop, seen = stop->load()] { return stop->load() != seen; };
    }
    auto response = post(path, protocol::to_body(request), timeout, false, std::move(abandon));
    // Told to stop while waiting for work: none came, and the loop sees why.
    if (!response && response.error().kind == util::ErrorKind::interrupted) return Claimed();
    if (!response) return response.error();
    if (response->status == 204) return Claimed();
    auto assignment = protocol::parse_body<protocol::Assignment>(response->body);
    if (assignment) return Claimed(std::move(assignment).value());
    // The task is this worker's now: one it cannot read is failed with the reason, which the
    // manager can act on, rather than left to a lease that nobody renews.
    auto attempt = protocol::parse_body<protocol::TaskAttempt>(response->body);
    if (!attempt) return decode<protocol::Assignment>(response, path).error();
    return Claimed(UnreadableTask{
        *attempt, "the worker cannot take this task: " + assignment.error().message});
}

util::Result<protocol::ProgressAnswer> ManagerClient::progress(
    std::int64_t task_id, const protocol::ProgressReport& report) {
    const std::string path = "/tasks/" + std::to_string(task_id) + "/progress";
    return decode<protocol::ProgressAnswer>(
        post(path, protocol::to_body(report), m_options.request_timeout, false), path);
}

util::Status ManagerClient::complete(std::int64_t task_id, const protocol::CompleteReport& report) {
    return post_report("/tasks/" + std::to_string(task_id) + "/complete",
                       protocol::to_body(report));
}

util::Status ManagerClient::fail(std::int64_t task_id, const protocol::FailReport& report) {
    return post_report("/tasks/" + std::to_string(task_id) + "/fail", protocol::to_body(report));
}

util::Status ManagerClient::release(std::int64_t task_id, const protocol::ReleaseReport& report) {
    return post_report("/tasks/" + std::to_string(task_id) + "/release", protocol::to_body(report));
}

util::Result<protocol::DrainAnswer> ManagerClient::drain(std::int64_t worker_id,
                                                         const protocol::DrainRequest& request) {
    const std::string path = "/workers/" + std::to_string(worker_id) + "/drain";
    return decode<protocol::DrainAnswer>(
        post(path, protocol::to_body(request), m_options.request_timeout, false), path);
}

util::Status ManagerClient::sign_off(std::int64_t worker_id,
                                     const protocol::SignOffRequest& request) {
    return post_report("/workers/" + std::to_string(worker_id) + "/sign-off",
                       protocol::to_body(request));
}

util::Result<std::int64_t> ManagerClient::fetch_blob(const std::string& hash, std::int64_t size,
                                                     const std::filesystem::path& dest) {
    util::DownloadRequest request;
    request.url = m_api_root + "/blobs/" + hash;
    request.headers = {{"Authorization", "Bearer " + m_secret}};
    request.dest = dest;
    request.sha256 = hash;
    request.size = size;
    auto got = util::download_verified(m_http, request);
    if (!got) return got.error();
    return got->bytes_fetched;
}

util::Status ManagerClient::upload_frame(std::int64_t task_id, const FrameUpload& upload) {
    // The frame is sent as one body: frames are at most a few hundred MiB in practice, and the
    // manager takes one PUT per frame (docs/transfer.md).
    std::ifstream in(upload.file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        return util::make_error("cannot read the frame " + upload.file.string(),
                                util::ErrorKind::failed);
    }
    const std::string path = "/tasks/" + std::to_string(task_id) + "/frames/" +
                             std::to_string(upload.frame) +
                             "?attempt=" + std::to_string(upload.attempt_id) +
                             "&name=" + util::percent_encode(upload.name);
    util::HttpRequest request;
    request.method = "PUT";
    request.url = m_api_root + path;
    request.headers = {{"Authorization", "Bearer " + m_secret},
                       {"Content-Type", "application/octet-stream"},
                       {std::string(protocol::k_sha256_header), upload.sha256},
                       {"Accept", "application/json"}};
    request.body = std::move(bytes).str();
    // A second of slack per 4 MiB on top of the usual wait: a large frame on a slow link.
    auto timeout = m_options.request_timeout +
                   std::chrono::seconds(static_cast<std::int64_t>(request.body.size() >> 22));
    request.timeout = m_call_limit ? std::min(timeout, *m_call_limit) : timeout;

    const std::string call = "PUT " + path;
    auto response = m_http.send(request);
    if (!response) {
        if (response.error().kind == util::ErrorKind::interrupted) return response.error();
        return util::make_error(
            "cannot reach the manager at " + m_api_root + ": " + response.error().message,
            util::ErrorKind::unavailable);
    }
    const int status = response->status;
    if (status >= 200 && status < 300) return {};
    const std::string what =
        " (HTTP " + std::to_string(status) + " on " + call + "): " + reason_of(*response);
    if (status == 409) {
        return util::make_error("the manager no longer takes frames of this attempt" + what,
                                util::ErrorKind::conflict);
    }
    if (status == 422) {
        return util::make_error("the frame arrived with other bytes than it was hashed with" + what,
                                util::ErrorKind::failed);
    }
    if (status == 507) {
        return util::make_error("the manager's disk is full" + what, util::ErrorKind::unavailable);
    }
    return error_of(*response, call, false);
}

}  // namespace spotfarm::worker

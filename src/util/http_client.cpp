#include "util/http_client.h"

#include <algorithm>
#include <mutex>

#include <curl/curl.h>

#include "util/ascii.h"

namespace spotfarm::util {
namespace {

// libcurl's progress hook: a non-zero answer aborts the transfer.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto& abandon = *static_cast<const std::function<bool()>*>(user);
    return abandon() ? 1 : 0;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* response = static_cast<HttpResponse*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        // A new response begins (after a 100 Continue, say): keep only the last one's headers.
        response->headers.clear();
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
        response->headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                       std::string(trim(line.substr(colon + 1))));
    }
    return size * count;
}

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

std::string describe_failure(const HttpRequest& request, CURLcode code, const char* detail) {
    std::string message = request.method + " " + request.url + " failed: ";
    message += (detail && *detail) ? detail : curl_easy_strerror(code);
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            message += " (no complete answer within " + std::to_string(request.timeout.count()) +
                       " ms; is the server overloaded or the network down?)";
            break;
        case CURLE_COULDNT_CONNECT:
            message += " (is the server running and the URL's host and port right?)";
            break;
        case CURLE_COULDNT_RESOLVE_HOST:
            message += " (check the host name in the URL)";
            break;
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            message +=
                " (the server's TLS key is not the one this client was told to trust: "
                "another machine may answer at this address, or the manager was given a "
                "new certificate; check the URL and the pin, and never copy a pin from "
                "whatever answers)";
            break;
        case CURLE_PEER_FAILED_VERIFICATION:
            message +=
                " (give the manager's pin, --manager-pin or SPOTFARM_MANAGER_PIN, to trust "
                "its self-signed certificate)";
            break;
        case CURLE_SSL_CONNECT_ERROR:
            message += " (does the server speak TLS? an http:// manager needs an http:// URL)";
            break;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            message += " (a URL looks like http://host:port/path)";
            break;
        default:
            break;
    }
    return message;
}

}  // namespace

std::optional<std::string> find_header(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) return value;
    }
    return std::nullopt;
}

// Idle easy handles: each keeps its own connection cache, so a reused handle reuses a connection.
struct CurlHttpClient::Pool {
    std::mutex mutex;
    std::vector<EasyHandle> idle;

    EasyHandle take() {
        {
            std::lock_guard lock(mutex);
            if (!idle.empty()) {
                EasyHandle easy = std::move(idle.back());
                idle.pop_back();
                return easy;
            }
        }
        return EasyHandle(curl_easy_init());
    }
    void give_back(EasyHandle easy) {
        std::lock_guard lock(mutex);
        idle.push_back(std::move(easy));
    }
};

CurlHttpClient::CurlHttpClient(TlsTrust trust)
    : m_pool(std::make_unique<Pool>()), m_trust(std::move(trust)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlHttpClient::~CurlHttpClient() = default;

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
    EasyHandle easy = m_pool->take();
    if (!easy)
        return make_error("cannot set up an HTTP request: libcurl failed to initialise",
                          util::ErrorKind::failed);
    CURL* h = easy.get();
    curl_easy_reset(h);

    HttpResponse response;
    char detail[CURL_ERROR_SIZE] = "";
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto add_header = [&](const std::string& line) {
        curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
        if (grown) {
            (void)headers.release();
            headers.reset(grown);
        }
    };
    for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
    // No "Expect: 100-continue" round trip, and no made-up form content type for raw bodies.
    add_header("Expect:");
    if (!request.body.empty() && !find_header(request.headers, "Content-Type")) {
        add_header("Content-Type:");
    }

    auto timeout_ms = static_cast<long>(std::max<std::int64_t>(1, request.timeout.count()));
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
    if (request.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    }

    if (!m_trust.pinned_key.empty()) {
        // The pin is the whole trust: a self-signed certificate has no chain to check and is
        // not issued for a host name, so only the key it carries is compared.
        curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, m_trust.pinned_key.c_str());
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }

    if (request.abandon) {
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, &request.abandon);
    }

    CURLcode code = curl_easy_perform(h);
    if (code == CURLE_ABORTED_BY_CALLBACK) {
        return make_error(request.method + " " + request.url + ": given up on request",
                          util::ErrorKind::interrupted);
    }
    if (code != CURLE_OK) {
        // A handle that failed mid-transfer may hold a broken connection: do not pool it.
        return make_error(describe_failure(request, code, detail), util::ErrorKind::unavailable);
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    m_pool->give_back(std::move(easy));
    return response;
}

}  // namespace spotfarm::util

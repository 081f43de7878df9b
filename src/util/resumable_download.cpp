#include "util/resumable_download.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/file_hash.h"
#include "util/unique_fd.h"

namespace spotfarm::util {

namespace {

namespace fs = std::filesystem;

ErrorKind kind_of_status(int status) {
    if (status == 404) return ErrorKind::not_found;
    if (status == 401 || status == 403) return ErrorKind::unauthorized;
    if (status >= 500 || status == 429) return ErrorKind::unavailable;
    return ErrorKind::failed;
}

// The server's {"error": ...} message, else the start of its body.
std::string server_message(const HttpResponse& response) {
    auto j = nlohmann::json::parse(response.body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_string()) {
        return j["error"].get<std::string>();
    }
    return response.body.substr(0, 200);
}

Status append(int fd, std::string_view bytes, const fs::path& path) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            const bool full = errno == ENOSPC || errno == EDQUOT;
            return make_error(
                fmt::format("cannot write {}: {}{}", path.string(), std::strerror(errno),
                            full ? "; free some space and run it again" : ""),
                ErrorKind::storage);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

}  // namespace

Result<DownloadOutcome> download_verified(HttpClient& http, const DownloadRequest& request) {
    const fs::path part = fs::path(request.dest.string() + ".part");
    std::error_code ec;
    fs::create_directories(request.dest.parent_path(), ec);
    UniqueFd fd(::open(part.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!fd) {
        return make_error("cannot write " + part.string() + ": " + std::strerror(errno),
                          ErrorKind::storage);
    }
    std::int64_t have = static_cast<std::int64_t>(fs::file_size(part, ec));
    if (ec || (request.size >= 0 && have > request.size)) {
        if (::ftruncate(fd.get(), 0) != 0) {
            return make_error("cannot truncate " + part.string(), ErrorKind::storage);
        }
        have = 0;
    }
    DownloadOutcome outcome;
    for (;;) {
        if (request.size >= 0 && have >= request.size) break;
        HttpRequest get;
        get.url = request.url;
        get.headers = request.headers;
        get.headers.emplace_back("Range",
                                 fmt::format("bytes={}-{}", have, have + request.range_bytes - 1));
        get.timeout = request.timeout;
        get.abandon = request.abandon;
        auto response = http.send(get);
        if (!response) {
            Error error = response.error();
            if (error.kind != ErrorKind::interrupted) error.kind = ErrorKind::unavailable;
            return error;
        }
        if (response->status == 416) break;  // nothing after `have`: the file is whole
        if (response->status != 200 && response->status != 206) {
            return make_error(fmt::format("{} answered {}: {}", request.url, response->status,
                                          server_message(*response)),
                              kind_of_status(response->status));
        }
        if (response->status == 200 && have > 0) {  // the server ignored the range
            if (::ftruncate(fd.get(), 0) != 0) {
                return make_error("cannot truncate " + part.string(), ErrorKind::storage);
            }
            have = 0;
        }
        if (auto ok = append(fd.get(), response->body, part); !ok) return ok.error();
        const auto got = static_cast<std::int64_t>(response->body.size());
        have += got;
        outcome.bytes_fetched += got;
        if (response->status == 200 || got < request.range_bytes) break;
    }
    fd.reset();
    auto digest = hash_file(part);
    if (!digest) return digest.error();
    if (digest->sha256 != request.sha256 || (request.size >= 0 && digest->size != request.size)) {
        fs::remove(part, ec);
        return make_error(
            fmt::format("{} arrived with SHA-256 {} ({} bytes) instead of {}; the "
                        "partial file was removed, so the next try starts over",
                        request.url, digest->sha256, digest->size, request.sha256));
    }
    fs::rename(part, request.dest, ec);
    if (ec) {
        return make_error("cannot rename " + part.string() + ": " + ec.message(),
                          ErrorKind::storage);
    }
    outcome.size = digest->size;
    return outcome;
}

}  // namespace spotfarm::util

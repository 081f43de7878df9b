#include "util/resumable_download.h"

#include <fstream>

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/fake_http_client.h"
#include "support/scratch_dir.h"
#include "util/file_hash.h"

namespace spotfarm::util {
namespace {

namespace fs = std::filesystem;
using testing::FakeHttpClient;
using testing::header_value;
using testing::http_response;

std::string sha(std::string_view bytes) {
    Sha256 s;
    s.update(bytes);
    return s.hex_digest();
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string content() {
    std::string s(10'000, '\0');
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + i % 26);
    return s;
}

// Serves `bytes` as a server honouring "Range: bytes=A-B" does (206, 416 past the end).
Result<HttpResponse> serve(const std::string& bytes, const HttpRequest& r) {
    const std::string range = header_value(r, "Range");
    if (range.empty()) return http_response(200, bytes);
    const auto dash = range.find('-');
    const auto from = std::stoull(range.substr(6, dash - 6));
    const auto to = std::stoull(range.substr(dash + 1));
    if (from >= bytes.size()) return http_response(416);
    return http_response(206,
                         bytes.substr(from, std::min<std::size_t>(to + 1, bytes.size()) - from));
}

DownloadRequest request_for(const fs::path& dest, const std::string& bytes) {
    DownloadRequest r;
    r.url = "http://farm/api/v1/blobs/" + sha(bytes);
    r.dest = dest;
    r.sha256 = sha(bytes);
    r.size = static_cast<std::int64_t>(bytes.size());
    r.range_bytes = 4096;
    return r;
}

TEST(DownloadVerified, FetchesInRangesAndRenamesOnceVerified) {
    test::ScratchDir dir;
    const std::string bytes = content();
    FakeHttpClient http([&](const HttpRequest& r) { return serve(bytes, r); });
    auto outcome = download_verified(http, request_for(dir / "a/blob", bytes));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome->bytes_fetched, 10'000);
    EXPECT_EQ(read_all(dir / "a/blob"), bytes);
    EXPECT_FALSE(fs::exists(dir / "a/blob.part"));
    const auto requests = http.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(header_value(requests[0], "Range"), "bytes=0-4095");
    EXPECT_EQ(header_value(requests[2], "Range"), "bytes=8192-12287");
}

TEST(DownloadVerified, ResumesAPartFile) {
    test::ScratchDir dir;
    const std::string bytes = content();
    dir.write("blob.part", bytes.substr(0, 6000));
    FakeHttpClient http([&](const HttpRequest& r) { return serve(bytes, r); });
    auto outcome = download_verified(http, request_for(dir / "blob", bytes));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome->bytes_fetched, 4000);
    EXPECT_EQ(header_value(http.requests().front(), "Range"), "bytes=6000-10095");
    EXPECT_EQ(read_all(dir / "blob"), bytes);
}

TEST(DownloadVerified, AServerIgnoringRangeStartsTheFileOver) {
    test::ScratchDir dir;
    const std::string bytes = content();
    dir.write("blob.part", bytes.substr(0, 6000));
    FakeHttpClient http([&](const HttpRequest&) { return http_response(200, bytes); });
    auto outcome = download_verified(http, request_for(dir / "blob", bytes));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(read_all(dir / "blob"), bytes);  // not the 6000 bytes twice
    EXPECT_EQ(http.requests().size(), 1u);
}

TEST(DownloadVerified, AHashMismatchRemovesThePart) {
    test::ScratchDir dir;
    const std::string bytes = content();
    std::string wrong = bytes;
    wrong[5000] = '!';
    FakeHttpClient http([&](const HttpRequest& r) { return serve(wrong, r); });
    auto outcome = download_verified(http, request_for(dir / "blob", bytes));
    EXPECT_TRUE(testing::fails_mentioning(outcome, "partial file was removed"));
    EXPECT_FALSE(fs::exists(dir / "blob.part"));
    EXPECT_FALSE(fs::exists(dir / "blob"));
}

TEST(DownloadVerified, A416AfterAWholePartFinishesIt) {
    test::ScratchDir dir;
    const std::string bytes = content();
    dir.write("blob.part", bytes);
    auto request = request_for(dir / "blob", bytes);
    request.size = -1;  // unknown: the server's 416 says there is nothing more
    FakeHttpClient http([&](const HttpRequest& r) { return serve(bytes, r); });
    auto outcome = download_verified(http, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome->bytes_fetched, 0);
    EXPECT_EQ(read_all(dir / "blob"), bytes);
    ASSERT_EQ(http.requests().size(), 1u);
    EXPECT_EQ(header_value(http.requests()[0], "Range"), "bytes=10000-14095");
}

TEST(DownloadVerified, ATransportErrorKeepsThePartForTheNextCall) {
    test::ScratchDir dir;
    const std::string bytes = content();
    int calls = 0;
    FakeHttpClient http([&](const HttpRequest& r) -> Result<HttpResponse> {
        if (++calls == 2) return make_error("connection reset", ErrorKind::failed);
        return serve(bytes, r);
    });
    auto first = download_verified(http, request_for(dir / "blob", bytes));
    ASSERT_FALSE(first.ok());
    EXPECT_EQ(first.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(fs::file_size(dir / "blob.part"), 4096u);
    auto second = download_verified(http, request_for(dir / "blob", bytes));
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(second->bytes_fetched, 10'000 - 4096);
    EXPECT_EQ(read_all(dir / "blob"), bytes);
}

TEST(DownloadVerified, AServerErrorKeepsItsMessageAndKind) {
    test::ScratchDir dir;
    FakeHttpClient http([&](const HttpRequest&) {
        return http_response(403, R"({"error":"not a task of yours","code":"not_your_job"})");
    });
    auto outcome = download_verified(http, request_for(dir / "blob", content()));
    EXPECT_TRUE(testing::fails_mentioning(outcome, "not a task of yours"));
    EXPECT_EQ(outcome.error().kind, ErrorKind::unauthorized);
}

}  // namespace
}  // namespace spotfarm::util

// The dashboard's side of a real manager: its static files, the login cookie and the checks
// around it, the priority route, server-sent events and frame thumbnails.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "manager/routes_fixture.h"
#include "support/raw_tcp_client.h"
#include "util/ascii.h"
#include "util/subprocess.h"

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string header_of(const util::HttpResponse& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
        if (util::iequals(key, name)) return value;
    }
    return {};
}

// A raw connection that reads a server-sent event stream as it comes.
class EventReader {
public:
    EventReader(std::uint16_t port, const std::string& token, const std::string& extra = "")
        : m_client(port) {
        m_client.send(
            "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            "Authorization: Bearer " +
            token + "\r\n" + extra + "\r\n");
    }
    // Reads until `text` has arrived (true) or `timeout` passes (false).
    bool wait_for(std::string_view text, std::chrono::milliseconds timeout = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (m_seen.find(text) == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            m_seen += m_client.read_available(left);
        }
        return true;
    }
    std::size_t count(std::string_view text) const {
        std::size_t n = 0;
        for (auto at = m_seen.find(text); at != std::string::npos; at = m_seen.find(text, at + 1))
            ++n;
        return n;
    }
    const std::string& seen() const { return m_seen; }

private:
    testing::RawTcpClient m_client;
    std::string m_seen;
};

class DashboardTest : public RoutesTest {
protected:
    util::HttpResponse raw(std::string method, const std::string& path,
                           std::vector<std::pair<std::string, std::string>> headers,
                           std::string body = "") {
        util::HttpRequest request;
        request.method = std::move(method);
        request.url = manager->url() + path;
        request.headers = std::move(headers);
        request.body = std::move(body);
        auto response = http.send(request);
        EXPECT_TRUE(response) << path;
        return response ? *response : util::HttpResponse{};
    }
    std::string host() const { return "127.0.0.1:" + std::to_string(manager->port()); }
    // Logs in with `token` as the page does; the session cookie, or "" when refused.
    std::string login(const std::string& token, int* status = nullptr) {
        auto response = raw("POST", "/api/v1/login",
                            {{"Content-Type", "application/json"}, {"Origin", "http://" + host()}},
                            json{{"token", token}}.dump());
        if (status) *status = response.status;
        std::string set = header_of(response, "Set-Cookie");
        std::smatch m;
        if (!std::regex_search(set, m, std::regex("spotfarm_session=([0-9a-f]+)"))) return "";
        return m[1];
    }
};

TEST_F(DashboardTest, ServesThePageToAnyoneAndItsRoutesAsThePage) {
    auto index = raw("GET", "/", {});
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(header_of(index, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(index.body.find("/js/app.js"), std::string::npos);
    EXPECT_EQ(raw("GET", "/jobs/12", {}).body, index.body);
    auto script = raw("GET", "/js/app.js", {});
    EXPECT_EQ(script.status, 200);
    EXPECT_EQ(header_of(script, "Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(raw("GET", "/js/nothing.js", {}).status, 404);
    EXPECT_EQ(raw("GET", "/api/v1/nothing", {}).status, 404);
}

TEST_F(DashboardTest, OnlyThePeopleTokenLogsInAndTheCookieActsAsIt) {
    int status = 0;
    EXPECT_EQ(login(join(), &status), "");
    EXPECT_EQ(status, 401);
    TestWorker worker = register_worker("w1");
    EXPECT_EQ(login(worker.secret, &status), "");
    EXPECT_EQ(status, 401);
    // From another site, even the right token is refused.
    auto cross = raw("POST", "/api/v1/login",
                     {{"Content-Type", "application/json"}, {"Origin", "http://evil.example"}},
                     json{{"token", people()}}.dump());
    EXPECT_EQ(cross.status, 403);
    EXPECT_EQ(header_of(cross, "Set-Cookie"), "");

    const std::string session = login(people(), &status);
    ASSERT_EQ(status, 200);
    ASSERT_EQ(session.size(), 64u);
    EXPECT_NE(session, people());
    const std::pair<std::string, std::string> cookie{"Cookie", "spotfarm_session=" + session};
    std::int64_t job = submit("1-4");

    EXPECT_EQ(raw("GET", "/api/v1/jobs", {cookie}).status, 200);
    EXPECT_EQ(raw("GET", "/api/v1/session", {cookie}).status, 200);
    EXPECT_EQ(raw("GET", "/api/v1/jobs", {{"Cookie", "spotfarm_session=0123"}}).status, 401);
    // A worker's route does not take the cookie.
    EXPECT_EQ(
        raw("POST", "/api/v1/workers/" + std::to_string(worker.id) + "/claim", {cookie}).status,
        403);
    const std::string pause = "/api/v1/jobs/" + std::to_string(job) + "/pause";
    EXPECT_EQ(raw("POST", pause, {cookie}).status, 403);
    EXPECT_EQ(raw("POST", pause, {cookie, {"Origin", "http://evil.example"}}).status, 403);
    EXPECT_EQ(raw("POST", pause, {cookie, {"Sec-Fetch-Site", "cross-site"}}).status, 403);
    EXPECT_EQ(job_status(job), "queued");
    EXPECT_EQ(raw("POST", pause, {cookie, {"Origin", "http://" + host()}}).status, 200);
    EXPECT_EQ(job_status(job), "paused");

    auto out = raw("POST", "/api/v1/logout", {cookie, {"Origin", "http://" + host()}});
    EXPECT_EQ(out.status, 200);
    EXPECT_NE(header_of(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(raw("GET", "/api/v1/jobs", {cookie}).status, 401);
}

TEST_F(DashboardTest, PriorityMovesAJobAndIsKept) {
    std::int64_t job = submit("1-2");
    Answer moved = post("/jobs/" + std::to_string(job) + "/priority", {{"priority", 90}}, people());
    EXPECT_EQ(moved.status, 200) << moved.text;
    EXPECT_EQ(moved.body["priority"], 90);
    EXPECT_EQ(get("/jobs/" + std::to_string(job), people()).body["priority"], 90);
    EXPECT_EQ(
        post("/jobs/" + std::to_string(job) + "/priority", {{"priority", 101}}, people()).status,
        400);
    EXPECT_EQ(post("/jobs/99/priority", {{"priority", 10}}, people()).status, 404);
    // A job moved above an older one is claimed first.
    std::int64_t later = submit("1");
    ASSERT_EQ(
        post("/jobs/" + std::to_string(later) + "/priority", {{"priority", 100}}, people()).status,
        200);
    TestWorker worker = register_worker("w1");
    EXPECT_EQ(claim(worker).body["job_id"], later);
    manager.reset();
    start();
    EXPECT_EQ(get("/jobs/" + std::to_string(job), people()).body["priority"], 90);
}

TEST_F(DashboardTest, EventStreamSendsFarmEventsWithIdsAndGatheredChanges) {
    EventReader reader(manager->port(), people());
    ASSERT_TRUE(reader.wait_for("event: hello")) << reader.seen();
    EXPECT_NE(reader.seen().find("Content-Type: text/event-stream"), std::string::npos);
    std::int64_t job = submit("1-3");
    ASSERT_TRUE(reader.wait_for("job.submit")) << reader.seen();
    EXPECT_TRUE(std::regex_search(reader.seen(), std::regex("id: \\d+\nevent: farm\ndata: \\{")))
        << reader.seen();
    ASSERT_TRUE(reader.wait_for("event: change")) << reader.seen();
    EXPECT_NE(reader.seen().find("\"frames\":\"1-3\""), std::string::npos) << reader.seen();

    // A burst of changes arrives gathered, a few messages a second at most.
    const auto start = std::chrono::steady_clock::now();
    const std::size_t before = reader.count("event: change");
    for (int i = 0; i < 40; ++i) submit("1-5");
    ASSERT_TRUE(reader.wait_for("\"frames\":\"1-5\",\"id\":" + std::to_string(job + 40) + ","))
        << reader.seen();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::size_t changes = reader.count("event: change") - before;
    EXPECT_LE(changes, static_cast<std::size_t>(seconds / 0.5) + 2)
        << changes << " change messages in " << seconds << " s";

    // A browser that reconnects gets what it missed after its last id.
    EventReader again(manager->port(), people(), "Last-Event-ID: 1\r\n");
    ASSERT_TRUE(again.wait_for("id: 2\n")) << again.seen();
    EXPECT_EQ(again.count("id: 1\n"), 0u);
    // The join token opens no stream.
    EventReader stranger(manager->port(), join());
    EXPECT_TRUE(stranger.wait_for("403")) << stranger.seen();
}

TEST_F(DashboardTest, AFinishedFrameGetsAThumbnailAndItsImage) {
    // A 640x360 PNG where a worker in shared mode reported its frame.
    const auto frame = dir.path() / "out" / "frame_0001.png";
    std::filesystem::create_directories(frame.parent_path());
    auto made = util::run_capture({"ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                                   "testsrc=size=640x360", "-frames:v", "1", frame.string()},
                                  30s);
    ASSERT_TRUE(made && made->status.success()) << (made ? made->output : made.error().message);
    std::int64_t job = submit("1", 1, (dir.path() / "out" / "frame_####").string());
    EventReader reader(manager->port(), people());
    ASSERT_TRUE(reader.wait_for("event: hello"));
    EXPECT_EQ(get("/jobs/" + std::to_string(job) + "/frames/1/thumbnail", people()).status, 404);

    TestWorker worker = register_worker("w1");
    Answer task = claim(worker);
    ASSERT_EQ(task.status, 200) << task.text;
    json frames = json::array({{{"frame", 1},
                                {"output", frame.string()},
                                {"render_seconds", 2.5},
                                {"peak_memory_mb", 100},
                                {"warnings", json::array()}}});
    Answer done = post(
        "/tasks/" + std::to_string(task.body["task_id"].get<std::int64_t>()) + "/complete",
        {{"worker_id", worker.id}, {"attempt_id", task.body["attempt_id"]}, {"frames", frames}},
        worker.secret);
    ASSERT_EQ(done.status, 200) << done.text;
    // Made as the frame was done, and announced on the stream.
    ASSERT_TRUE(reader.wait_for("\"thumbnails\":[[" + std::to_string(job) + ",1]]", 30s))
        << reader.seen();
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "state" / "thumbs" /
                                        ("job-" + std::to_string(job)) / "1.jpg"));
    auto thumb = raw("GET", "/api/v1/jobs/" + std::to_string(job) + "/frames/1/thumbnail",
                     {{"Authorization", "Bearer " + people()}});
    ASSERT_EQ(thumb.status, 200) << thumb.body;
    EXPECT_EQ(header_of(thumb, "Content-Type"), "image/jpeg");
    ASSERT_GT(thumb.body.size(), 100u);
    EXPECT_EQ(thumb.body.substr(0, 2), "\xFF\xD8");
    const auto saved = dir.path() / "thumb.jpg";
    std::ofstream(saved, std::ios::binary) << thumb.body;
    auto probe = util::run_capture({"ffprobe", "-v", "error", "-show_entries",
                                    "stream=width,height", "-of", "csv=p=0", saved.string()},
                                   30s);
    ASSERT_TRUE(probe);
    EXPECT_EQ(probe->output.substr(0, 7), "320,180") << probe->output;

    auto image = raw("GET", "/api/v1/jobs/" + std::to_string(job) + "/frames/1/image",
                     {{"Authorization", "Bearer " + people()}});
    EXPECT_EQ(image.status, 200);
    EXPECT_EQ(header_of(image, "Content-Type"), "image/png");
    std::ifstream original(frame, std::ios::binary);
    EXPECT_EQ(image.body, std::string(std::istreambuf_iterator<char>(original), {}));

    Answer stats = get("/jobs/" + std::to_string(job) + "/frame-stats", people());
    ASSERT_EQ(stats.status, 200) << stats.text;
    EXPECT_EQ(stats.body["frames"][0]["render_seconds"], 2.5);
    EXPECT_EQ(stats.body["frames"][0]["worker"], worker.id);
}

}  // namespace
}  // namespace spotfarm::manager

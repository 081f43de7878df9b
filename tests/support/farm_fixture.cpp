#include "support/farm_fixture.h"

#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "blender/output_validator.h"

namespace spotfarm::test {

namespace fs = std::filesystem;

fs::path farm_scene(const std::string& name) {
    return fs::path(SPOTFARM_TEST_SCENES) / (name + ".blend");
}

std::string read_trimmed(const fs::path& path) {
    std::string text;
    try {
        std::ifstream in(path);
        text.assign(std::istreambuf_iterator<char>(in), {});
    } catch (const std::exception&) {
        return {};  // a /proc file of a process that ended while it was read
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

fs::path FarmTest::frame_path(int frame) const {
    char name[32];
    std::snprintf(name, sizeof name, "f_%04d.png", frame);
    return m_dir / "out" / name;
}

void FarmTest::start_manager(double lease_seconds) {
    const auto port_file = m_dir / "port";
    fs::remove(port_file);
    m_manager = std::make_unique<SpotfarmProcess>(std::vector<std::string>{
        "manager", "--state-dir", state().string(), "--listen",
        "127.0.0.1:" + std::to_string(m_port), "--port-file", port_file.string(), "--lease-timeout",
        std::to_string(lease_seconds)});
    ASSERT_TRUE(
        wait_for([&] { return !read_trimmed(port_file).empty() || !m_manager->running(); }, 60s));
    ASSERT_TRUE(m_manager->running()) << "the manager exited:\n" << m_manager->log();
    m_port = std::stoi(read_trimmed(port_file));
    m_people = read_trimmed(state() / "people.token");
    m_join = read_trimmed(state() / "worker-join.token");
}

void FarmTest::kill_manager() {
    auto status = m_manager->stop(SIGKILL, 10s);
    EXPECT_TRUE(status && status->signal == SIGKILL);
    m_manager_log += m_manager->log();
    m_manager.reset();
}

std::size_t FarmTest::start_worker(std::vector<std::string> extra) {
    const auto index = m_workers.size();
    const auto name = "w" + std::to_string(index + 1);
    std::vector<std::string> args = {"worker",
                                     "--manager",
                                     url(),
                                     "--name",
                                     name,
                                     "--state-dir",
                                     (m_dir / "workers" / name).string(),
                                     "--claim-wait",
                                     "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    m_workers.push_back(std::make_unique<SpotfarmProcess>(
        std::move(args),
        std::vector<std::pair<std::string, std::string>>{{"SPOTFARM_TOKEN", m_join}}));
    return index;
}

std::pair<int, json> FarmTest::api(const std::string& method, const std::string& path,
                                   const json& body) {
    util::HttpRequest request;
    request.method = method;
    request.url = url() + "/api/v1" + path;
    request.headers = {{"Authorization", "Bearer " + m_people}};
    if (!body.is_null()) {
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body.dump();
    }
    request.timeout = 10s;
    auto response = m_http.send(request);
    if (!response) return {0, json()};
    json parsed = response->body.empty() ? json() : json::parse(response->body, nullptr, false);
    return {response->status, parsed};
}

std::int64_t FarmTest::submit(const std::string& scene, const std::string& frames, bool scripts,
                              int chunk) {
    json spec = {{"scene", farm_scene(scene).string()},
                 {"output", output_pattern()},
                 {"frames", frames},
                 {"chunk", chunk},
                 {"threads", 1},
                 {"allow_scripts", scripts}};
    auto [status, body] = api("POST", "/jobs", spec);
    EXPECT_EQ(status, 201) << body.dump();
    return body.value("id", std::int64_t{0});
}

json FarmTest::job(std::int64_t id) {
    return api("GET", "/jobs/" + std::to_string(id)).second;
}

std::string FarmTest::job_status(std::int64_t id) {
    json j = job(id);
    return j.is_object() ? j.value("status", "") : "";
}

json FarmTest::tasks(std::int64_t id, const std::string& status) {
    auto path = "/jobs/" + std::to_string(id) + "/tasks";
    if (!status.empty()) path += "?status=" + status;
    auto body = api("GET", path).second;
    if (body.is_object() && body.contains("tasks") && body["tasks"].is_array()) {
        return body["tasks"];
    }
    return json::array();
}

json FarmTest::task(std::int64_t id) {
    return api("GET", "/tasks/" + std::to_string(id)).second;
}

json FarmTest::rendering_tasks(std::int64_t job) {
    json busy = json::array();
    for (const auto& t : tasks(job, "active")) {
        if (!t.contains("progress")) continue;
        const double fraction = t["progress"].value("fraction", 0.0);
        if (fraction > 0.0 && fraction < 1.0) busy.push_back(t);
    }
    return busy;
}

std::int64_t FarmTest::worker_id(const std::string& name) {
    auto body = api("GET", "/workers").second;
    if (!body.is_object() || !body.contains("workers")) return 0;
    for (const auto& w : body["workers"]) {
        if (w.value("name", "") == name) return w.value("id", std::int64_t{0});
    }
    return 0;
}

bool FarmTest::wait_for(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    return wait_until(condition, limit, [this] {
        if (m_manager) m_manager->pump();
        for (auto& w : m_workers) w->pump();
    });
}

std::string FarmTest::logs() {
    std::string text = "--- manager ---\n" + m_manager_log;
    if (m_manager) text += m_manager->log();
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        text += "--- worker w" + std::to_string(i + 1) + " ---\n" + m_workers[i]->log();
    }
    return text;
}

void FarmTest::expect_frames_on_disk(const std::vector<int>& frames) {
    for (int frame : frames) {
        const auto path = frame_path(frame);
        EXPECT_TRUE(blender::validate_output(path).ok()) << path;
    }
    for (const auto& name : list_dir(m_dir / "out")) {
        if (name == ".spotfarm") continue;  // the farm's state, beside the frames
        EXPECT_EQ(name.rfind("f_", 0), 0u) << "unexpected file in the output: " << name;
    }
}

void FarmTest::TearDown() {
    m_workers.clear();  // kills each worker's process group
    m_manager.reset();
}

}  // namespace spotfarm::test

// Transfer mode's API on a real manager on loopback: blobs by chunks and batches, transfer jobs,
// who may read what, frames uploaded, gating completion and downloaded by range.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "manager/routes_fixture.h"
#include "protocol/transfer.h"
#include "support/raw_tcp_client.h"
#include "util/file_hash.h"

namespace spotfarm::manager {
namespace {

using nlohmann::json;

std::string sha256(std::string_view bytes) {
    util::Sha256 digest;
    digest.update(bytes);
    return digest.hex_digest();
}

std::string bytes_of(std::size_t size, char seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(seed + i * 13 + i / 509);
    return bytes;
}

class TransferRoutesTest : public RoutesTest {
protected:
    Answer send(std::string method, const std::string& path, std::string body,
                const std::string& token,
                std::vector<std::pair<std::string, std::string>> headers = {}) {
        util::HttpRequest request;
        request.method = std::move(method);
        request.url = manager->url() + "/api/v1" + path;
        request.headers = std::move(headers);
        request.headers.emplace_back("Authorization", "Bearer " + token);
        request.body = std::move(body);
        auto response = http.send(request);
        EXPECT_TRUE(response) << path << ": " << response.error().message;
        if (!response) return {};
        Answer answer{response->status, nullptr, response->body};
        answer.body = json::parse(response->body, nullptr, false);
        if (answer.body.is_discarded()) answer.body = nullptr;
        return answer;
    }

    Answer put_chunk(const std::string& hash, std::int64_t offset, std::int64_t total,
                     std::string bytes) {
        return send("PUT", "/blobs/" + hash + "?offset=" + std::to_string(offset), std::move(bytes),
                    people(), {{"X-Spotfarm-Size", std::to_string(total)}});
    }

    Answer get_range(const std::string& path, const std::string& token, const std::string& range) {
        return send("GET", path, "", token, {{"Range", range}});
    }

    json missing(const std::vector<std::string>& hashes) {
        auto a = send("POST", "/blobs/missing", json{{"hashes", hashes}}.dump(), people());
        EXPECT_EQ(a.status, 200) << a.text;
        return a.body;
    }

    // Uploads `files` in one batch; returns the answer.
    Answer batch(const std::vector<std::string>& files) {
        std::vector<protocol::BatchEntry> entries;
        std::string tail;
        for (const std::string& f : files) {
            entries.push_back({sha256(f), static_cast<std::int64_t>(f.size())});
            tail += f;
        }
        return send("POST", "/blobs/batch", protocol::encode_batch_header(entries) + tail,
                    people());
    }

    // A tree of the given files (path -> bytes), stored as a blob; returns its hash.
    std::string tree_of(const std::vector<std::pair<std::string, std::string>>& files,
                        bool upload_files = true) {
        protocol::Tree tree;
        std::vector<std::string> contents;
        for (const auto& [path, bytes] : files) {
            tree.files.push_back({path, sha256(bytes), static_cast<std::int64_t>(bytes.size())});
            contents.push_back(bytes);
        }
        if (upload_files) {
            EXPECT_EQ(batch(contents).status, 200);
        }
        const std::string blob = protocol::to_tree_blob(tree);
        EXPECT_EQ(batch({blob}).status, 200);
        return sha256(blob);
    }

    Answer submit_transfer(const std::string& tree, const std::string& scene = "shot.blend",
                           const std::string& output = "frame_####",
                           const std::string& frames = "1-2") {
        return post("/jobs",
                    {{"scene", scene},
                     {"output", output},
                     {"frames", frames},
                     {"chunk", 1},
                     {"tree", tree}},
                    people());
    }

    Answer put_frame(const TestWorker& w, const json& assignment, int frame,
                     const std::string& name, const std::string& bytes, const std::string& hash) {
        std::int64_t task = assignment["task_id"];
        std::int64_t attempt = assignment["attempt_id"];
        return send("PUT",
                    "/tasks/" + std::to_string(task) + "/frames/" + std::to_string(frame) +
                        "?attempt=" + std::to_string(attempt) + "&name=" + name,
                    bytes, w.secret, {{"X-Spotfarm-Sha256", hash}});
    }
};

TEST_F(TransferRoutesTest, AChunkedUploadCutInTheMiddleResumesWhereTheManagerStands) {
    const std::int64_t chunk = 1 << 20;
    const std::string data = bytes_of(3 * chunk + 12345, 'a');
    const std::int64_t total = static_cast<std::int64_t>(data.size());
    const std::string hash = sha256(data);

    json before = missing({hash});
    EXPECT_EQ(before["missing"], json::array({hash}));
    EXPECT_TRUE(before["partial"].empty());

    auto first = put_chunk(hash, 0, total, data.substr(0, chunk));
    ASSERT_EQ(first.status, 200) << first.text;
    EXPECT_EQ(first.body["received"], chunk);
    EXPECT_EQ(first.body["complete"], false);

    {
        // The second chunk's connection dies half way: nothing of it may count.
        testing::RawTcpClient raw(manager->port());
        ASSERT_TRUE(raw.connected());
        const std::string header = "PUT /api/v1/blobs/" + hash +
                                   "?offset=" + std::to_string(chunk) +
                                   " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + people() +
                                   "\r\nX-Spotfarm-Size: " + std::to_string(total) +
                                   "\r\nContent-Length: " + std::to_string(chunk) + "\r\n\r\n";
        ASSERT_TRUE(raw.send(header + data.substr(chunk, chunk / 2)));
        raw.close(true);
    }

    json resume = missing({hash});
    EXPECT_EQ(resume["partial"][hash], chunk);

    auto wrong = put_chunk(hash, 2 * chunk, total, data.substr(2 * chunk, chunk));
    EXPECT_EQ(wrong.status, 409) << wrong.text;
    EXPECT_EQ(wrong.body["code"], "offset_mismatch");
    EXPECT_EQ(wrong.body["received"], chunk);

    for (std::int64_t offset = chunk; offset < total; offset += chunk) {
        auto a = put_chunk(hash, offset, total, data.substr(offset, chunk));
        ASSERT_EQ(a.status, 200) << a.text;
        EXPECT_EQ(a.body["complete"], offset + chunk >= total);
    }
    json after = missing({hash});
    EXPECT_TRUE(after["missing"].empty());

    auto again = put_chunk(hash, 0, total, data.substr(0, 10));
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body["complete"], true);

    auto whole = send("GET", "/blobs/" + hash, "", people());
    ASSERT_EQ(whole.status, 200);
    EXPECT_TRUE(whole.text == data);
    auto part = get_range("/blobs/" + hash, people(), "bytes=1000-1999");
    EXPECT_EQ(part.status, 206);
    EXPECT_TRUE(part.text == data.substr(1000, 1000));
    auto past = get_range("/blobs/" + hash, people(), "bytes=" + std::to_string(total) + "-");
    EXPECT_EQ(past.status, 416);
}

TEST_F(TransferRoutesTest, ABlobThatDoesNotMatchItsHashIsRefusedAndDropped) {
    const std::string data = bytes_of(5000, 'h');
    const std::string hash = sha256(data);
    std::string corrupt = data;
    corrupt[4000] ^= 0x40;
    auto a = put_chunk(hash, 0, 5000, corrupt.substr(0, 2500));
    ASSERT_EQ(a.status, 200) << a.text;
    auto b = put_chunk(hash, 2500, 5000, corrupt.substr(2500));
    EXPECT_EQ(b.status, 422) << b.text;
    EXPECT_EQ(b.body["code"], "hash_mismatch");
    json after = missing({hash});
    EXPECT_EQ(after["missing"], json::array({hash}));
    EXPECT_TRUE(after["partial"].empty());

    auto no_size = send("PUT", "/blobs/" + hash + "?offset=0", data, people());
    EXPECT_EQ(no_size.status, 400);
    auto bad_name = put_chunk("ABC", 0, 3, "abc");
    EXPECT_EQ(bad_name.status, 400);
    auto no_token =
        send("PUT", "/blobs/" + hash + "?offset=0", data, join(), {{"X-Spotfarm-Size", "5000"}});
    EXPECT_EQ(no_token.status, 403);
}

TEST_F(TransferRoutesTest, AFullDiskIs507AndTheUploadResumesOnceThereIsRoom) {
    // The blob store's writes fail with ENOSPC while `full` is set.
    auto full = std::make_shared<std::atomic<bool>>(false);
    blob_writer = [full](int fd, std::string_view bytes, std::int64_t offset) {
        if (full->load()) return ENOSPC;
        return ::pwrite(fd, bytes.data(), bytes.size(), offset) ==
                       static_cast<ssize_t>(bytes.size())
                   ? 0
                   : errno;
    };
    manager.reset();
    start();
    const std::string data = bytes_of(200'000, 'n');
    const std::string hash = sha256(data);
    ASSERT_EQ(put_chunk(hash, 0, 200'000, data.substr(0, 100'000)).status, 200);
    full->store(true);
    auto refused = put_chunk(hash, 100'000, 200'000, data.substr(100'000));
    EXPECT_EQ(refused.status, 507) << refused.text;
    EXPECT_EQ(refused.body["code"], "disk_full");
    EXPECT_NE(refused.text.find("blobs"), std::string::npos) << refused.text;
    EXPECT_EQ(batch({"a small file"}).status, 507);
    EXPECT_EQ(missing({hash})["partial"][hash], 100'000);

    full->store(false);
    auto resumed = put_chunk(hash, 100'000, 200'000, data.substr(100'000));
    EXPECT_EQ(resumed.status, 200) << resumed.text;
    EXPECT_EQ(resumed.body["complete"], true);
}

TEST_F(TransferRoutesTest, ABatchStoresAThousandSmallBlobsInOneRequest) {
    std::vector<std::string> files;
    std::vector<std::string> hashes;
    for (int i = 0; i < 1000; ++i) {
        files.push_back("file " + std::to_string(i) + " " + bytes_of(100 + i % 50, char(i)));
        hashes.push_back(sha256(files.back()));
    }
    json before = missing(hashes);
    EXPECT_EQ(before["missing"].size(), 1000u);

    // One entry whose bytes do not match its name, sent by hand.
    std::vector<protocol::BatchEntry> entries;
    std::string tail;
    for (const std::string& f : files) {
        entries.push_back({sha256(f), static_cast<std::int64_t>(f.size())});
        tail += f;
    }
    const std::string liar(64, 'e');
    entries.push_back({liar, 3});
    tail += "abc";
    auto a = send("POST", "/blobs/batch", protocol::encode_batch_header(entries) + tail, people());
    ASSERT_EQ(a.status, 200) << a.text;
    auto answer = protocol::from_json<protocol::BatchAnswer>(a.body);
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->stored, 1000);
    ASSERT_EQ(answer->rejected.size(), 1u);
    EXPECT_EQ(answer->rejected[0].first, liar);

    hashes.push_back(liar);
    json after = missing(hashes);
    EXPECT_EQ(after["missing"], json::array({liar}));

    auto broken = send("POST", "/blobs/batch",
                       "{\"blobs\":[{\"hash\":\"" + liar + "\",\"size\":10}]}\nabc", people());
    EXPECT_EQ(broken.status, 400) << broken.text;
}

TEST_F(TransferRoutesTest, ATransferJobWaitsForEveryBlobOfItsTree) {
    const std::vector<std::pair<std::string, std::string>> files = {
        {"shot.blend", bytes_of(4000, 'b')}, {"tex/wood.png", bytes_of(3000, 'w')}};
    const std::string tree = tree_of(files, false);

    auto lacking = submit_transfer(tree);
    EXPECT_EQ(lacking.status, 409) << lacking.text;
    EXPECT_EQ(lacking.body["code"], "blobs_missing");
    EXPECT_EQ(lacking.body["missing_count"], 2);
    EXPECT_EQ(lacking.body["missing"].size(), 2u);

    auto no_tree = submit_transfer(std::string(64, '0'));
    EXPECT_EQ(no_tree.status, 409) << no_tree.text;
    EXPECT_EQ(no_tree.body["missing_count"], 1);

    ASSERT_EQ(batch({files[0].second, files[1].second}).status, 200);
    auto wrong_scene = submit_transfer(tree, "other.blend");
    EXPECT_EQ(wrong_scene.status, 400) << wrong_scene.text;
    EXPECT_EQ(wrong_scene.body["code"], "scene_not_in_tree");
    auto absolute_output = submit_transfer(tree, "shot.blend", "/renders/frame_####");
    EXPECT_EQ(absolute_output.status, 400) << absolute_output.text;
    EXPECT_EQ(absolute_output.body["code"], "invalid_output");

    auto accepted = submit_transfer(tree);
    EXPECT_EQ(accepted.status, 201) << accepted.text;
}

TEST_F(TransferRoutesTest, AWorkerReadsOnlyTheBlobsOfTheJobsItHolds) {
    const std::string scene = bytes_of(2000, 's');
    const std::string tree = tree_of({{"shot.blend", scene}});
    const std::string other = bytes_of(100, 'o');
    ASSERT_EQ(batch({other}).status, 200);
    ASSERT_EQ(submit_transfer(tree, "shot.blend", "frame_####", "1").status, 201);

    TestWorker holder = register_worker("holder");
    TestWorker idle = register_worker("idle");
    auto idle_read = send("GET", "/blobs/" + sha256(scene), "", idle.secret);
    EXPECT_EQ(idle_read.status, 403) << idle_read.text;
    EXPECT_EQ(idle_read.body["code"], "not_your_job");

    auto assignment = claim(holder);
    ASSERT_EQ(assignment.status, 200) << assignment.text;
    auto read = send("GET", "/blobs/" + sha256(scene), "", holder.secret);
    EXPECT_EQ(read.status, 200);
    EXPECT_TRUE(read.text == scene);
    auto tree_read = send("GET", "/blobs/" + tree, "", holder.secret);
    EXPECT_EQ(tree_read.status, 200);
    auto not_listed = send("GET", "/blobs/" + sha256(other), "", holder.secret);
    EXPECT_EQ(not_listed.status, 403);
    EXPECT_EQ(send("GET", "/blobs/" + sha256(scene), "", idle.secret).status, 403);
    EXPECT_EQ(send("GET", "/blobs/" + sha256(other), "", people()).status, 200);

    // After a restart the manager reads the job's tree again to decide.
    manager.reset();
    start();
    EXPECT_EQ(send("GET", "/blobs/" + sha256(scene), "", holder.secret).status, 200);
    EXPECT_EQ(send("GET", "/blobs/" + sha256(scene), "", idle.secret).status, 403);
}

TEST_F(TransferRoutesTest, AFrameCompletesItsTaskOnlyOnceTheManagerHoldsIt) {
    const std::string tree = tree_of({{"shot.blend", bytes_of(1000, 'f')}});
    auto job = submit_transfer(tree, "shot.blend", "frame_####", "1");
    ASSERT_EQ(job.status, 201) << job.text;
    const std::int64_t job_id = job.body["id"];
    TestWorker w = register_worker("w");
    TestWorker other = register_worker("other");
    auto assignment = claim(w);
    ASSERT_EQ(assignment.status, 200) << assignment.text;
    const std::int64_t task = assignment.body["task_id"];

    auto early = complete(w, assignment.body);
    EXPECT_EQ(early.status, 409) << early.text;
    EXPECT_EQ(early.body["code"], "frame_not_uploaded");

    const std::string frame = bytes_of(300'000, 'p');
    const std::string hash = sha256(frame);
    auto lying = put_frame(w, assignment.body, 1, "frame_0001.png", frame, sha256("other"));
    EXPECT_EQ(lying.status, 422) << lying.text;
    EXPECT_FALSE(std::filesystem::exists(manager->state_dir() / "outputs" /
                                         ("job-" + std::to_string(job_id)) / "frame_0001.png"));
    auto stranger = put_frame(other, assignment.body, 1, "frame_0001.png", frame, hash);
    EXPECT_EQ(stranger.status, 409) << stranger.text;
    auto outside = put_frame(w, assignment.body, 1, "../frame_0001.png", frame, hash);
    EXPECT_EQ(outside.status, 400) << outside.text;
    auto not_in_task = put_frame(w, assignment.body, 2, "frame_0002.png", frame, hash);
    EXPECT_EQ(not_in_task.status, 400) << not_in_task.text;

    auto stored = put_frame(w, assignment.body, 1, "frame_0001.png", frame, hash);
    ASSERT_EQ(stored.status, 200) << stored.text;
    EXPECT_EQ(stored.body["sha256"], hash);
    EXPECT_EQ(stored.body["size"], 300'000);
    const auto file =
        manager->state_dir() / "outputs" / ("job-" + std::to_string(job_id)) / "frame_0001.png";
    EXPECT_EQ(util::hash_file(file)->sha256, hash);
    auto repeat = put_frame(w, assignment.body, 1, "frame_0001.png", frame, hash);
    EXPECT_EQ(repeat.status, 200) << repeat.text;

    auto done = complete(w, assignment.body);
    EXPECT_EQ(done.status, 200) << done.text;
    EXPECT_EQ(job_status(job_id), "completed");

    auto listed = get("/jobs/" + std::to_string(job_id) + "/frames", people());
    ASSERT_EQ(listed.status, 200) << listed.text;
    auto frames = protocol::from_json<protocol::FrameFiles>(listed.body);
    ASSERT_TRUE(frames) << frames.error().message;
    ASSERT_EQ(frames->frames.size(), 1u);
    EXPECT_EQ(
        frames->frames[0],
        (protocol::FrameFile{.frame = 1, .name = "frame_0001.png", .size = 300'000, .hash = hash}));

    const std::string path = "/jobs/" + std::to_string(job_id) + "/frames/1";
    auto whole = send("GET", path, "", people());
    EXPECT_EQ(whole.status, 200);
    EXPECT_TRUE(whole.text == frame);
    auto tail = get_range(path, people(), "bytes=-1000");
    EXPECT_EQ(tail.status, 206);
    EXPECT_TRUE(tail.text == frame.substr(frame.size() - 1000));
    auto middle = get_range(path, people(), "bytes=200000-");
    EXPECT_EQ(middle.status, 206);
    EXPECT_TRUE(middle.text == frame.substr(200000));
    EXPECT_EQ(get_range(path, people(), "bytes=300000-").status, 416);
    EXPECT_EQ(get("/jobs/" + std::to_string(job_id) + "/frames/2", people()).status, 404);
    EXPECT_EQ(send("GET", path, "", w.secret).status, 403);
    (void)task;

    // A restarted manager still holds the frame and lists it.
    manager.reset();
    start();
    auto relisted = get("/jobs/" + std::to_string(job_id) + "/frames", people());
    ASSERT_EQ(relisted.status, 200) << relisted.text;
    EXPECT_EQ(relisted.body["frames"].size(), 1u);
    EXPECT_TRUE(send("GET", path, "", people()).text == frame);
}

TEST_F(TransferRoutesTest, ATaskGivenBackCountsOnlyTheFramesTheManagerHolds) {
    const std::string tree = tree_of({{"shot.blend", bytes_of(1000, 'g')}});
    auto job = submit_transfer(tree, "shot.blend", "frame_####", "1");
    ASSERT_EQ(job.status, 201) << job.text;
    const std::int64_t job_id = job.body["id"];
    TestWorker w = register_worker("w");
    auto assignment = claim(w);
    ASSERT_EQ(assignment.status, 200) << assignment.text;
    auto release = [&](const json& a) {
        std::int64_t task = a["task_id"];
        return post("/tasks/" + std::to_string(task) + "/release",
                    {{"worker_id", w.id},
                     {"attempt_id", a["attempt_id"]},
                     {"reason", "shutdown"},
                     {"frames", frames_done(a)}},
                    w.secret);
    };
    // Rendered, but the bytes never reached the manager: the task goes back to the queue.
    auto unsent = release(assignment.body);
    ASSERT_EQ(unsent.status, 200) << unsent.text;
    auto tasks = get("/jobs/" + std::to_string(job_id) + "/tasks", people());
    ASSERT_EQ(tasks.status, 200) << tasks.text;
    EXPECT_EQ(tasks.body["tasks"][0]["status"], "queued") << tasks.text;

    auto again = claim(w);
    ASSERT_EQ(again.status, 200) << again.text;
    const std::string frame = bytes_of(1000, 'z');
    ASSERT_EQ(put_frame(w, again.body, 1, "frame_0001.png", frame, sha256(frame)).status, 200);
    auto sent = release(again.body);
    ASSERT_EQ(sent.status, 200) << sent.text;
    EXPECT_EQ(job_status(job_id), "completed");
}

TEST_F(TransferRoutesTest, ASharedModeJobTakesNoFrameUploads) {
    const std::int64_t job = submit("1");
    ASSERT_GT(job, 0);
    TestWorker w = register_worker("w");
    auto assignment = claim(w);
    ASSERT_EQ(assignment.status, 200);
    const std::string frame = "bytes";
    auto refused = put_frame(w, assignment.body, 1, "frame_0001.png", frame, sha256(frame));
    EXPECT_EQ(refused.status, 409) << refused.text;
    EXPECT_EQ(complete(w, assignment.body).status, 200);
}

TEST_F(TransferRoutesTest, PathsCheckTellsWhetherTheManagerSeesAFile) {
    const std::string data = bytes_of(5000, 'v');
    const auto file = dir.path() / "scene.blend";
    {
        std::ofstream out(file, std::ios::binary);
        out << data;
    }
    auto ask = [&](const std::string& path, std::int64_t size, const std::string& head) {
        auto a =
            post("/paths/check", {{"path", path}, {"size", size}, {"head_sha256", head}}, people());
        EXPECT_EQ(a.status, 200) << a.text;
        return a.body.value("visible", false);
    };
    EXPECT_TRUE(ask(file.string(), 5000, sha256(data)));
    EXPECT_FALSE(ask(file.string(), 4999, sha256(data)));
    EXPECT_FALSE(ask(file.string(), 5000, sha256("else")));
    EXPECT_FALSE(ask((dir.path() / "absent.blend").string(), 5000, sha256(data)));
    EXPECT_EQ(
        post("/paths/check", {{"path", "rel.blend"}, {"size", 1}, {"head_sha256", "x"}}, people())
            .status,
        400);
}

}  // namespace
}  // namespace spotfarm::manager

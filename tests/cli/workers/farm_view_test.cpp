// The tables and details of `spotfarm jobs`, `job` and `workers`, drawn from a real Farm's records
// as the manager sends them: its wire structs (manager/farm_json.h to_wire) through JSON and back,
// so the CLI reads what the API sends.

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/client/list_command.h"
#include "cli/jobs/job_view.h"
#include "cli/workers/worker_view.h"
#include "manager/farm_fixture.h"
#include "manager/farm_json.h"

namespace spotfarm::cli {
namespace {

using nlohmann::json;

// `record` as the manager writes it, read back as a client reads it.
template <class Record>
auto over_the_wire(const Record& record) {
    auto wire = manager::to_wire(record);
    using Wire = decltype(wire);
    auto read = protocol::from_json<Wire>(protocol::to_json(wire));
    EXPECT_TRUE(read) << read.error().message;
    return read ? *read : Wire{};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::vector<std::string> words_of(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

// The column where `word` ends in `line`, for checking right alignment.
std::size_t end_of(const std::string& line, const std::string& word, std::size_t from = 0) {
    auto at = line.find(word, from);
    return at == std::string::npos ? std::string::npos : at + word.size();
}

class FarmViewTest : public manager::FarmTest {
protected:
    // Job 1: frames 1-10 one per task: 1-3 completed, 4 failed on three workers, 5 active.
    // Job 2: frames 1-10 in tasks of 4, priority 80: 1-4 completed.
    void SetUp() override {
        FarmTest::SetUp();
        job1 = submit("1-10");
        w1 = worker("w1");
        w2 = worker("w2");
        w3 = worker("w3");
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(complete(claim(w1.id), w1.id));
        for (const auto* w : {&w1, &w2, &w3}) {
            manager::Assignment a = claim(w->id);
            ASSERT_EQ(a.frames.to_string(), "4");
            failed_task = a.task;
            ASSERT_TRUE(farm->fail(a.task, w->id, "Blender crashed on " + w->info_name,
                                   log_of(w->info_name)));
        }
        held = claim(w1.id);
        ASSERT_EQ(held.frames.to_string(), "5");
        job2 = submit("1-10", 4, 80);
        ASSERT_TRUE(complete(claim(w2.id), w2.id));
        clock.advance(std::chrono::minutes(5));
        now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     clock.wall_now().time_since_epoch())
                     .count();
    }

    struct Named : manager::WorkerCredentials {
        std::string info_name;
    };
    Named worker(const std::string& name) { return {FarmTest::worker(name), name}; }

    // 15 lines of log, "line 1" to "line 15".
    static std::string log_of(const std::string& who) {
        std::string log;
        for (int i = 1; i <= 15; ++i) log += who + " line " + std::to_string(i) + "\n";
        return log;
    }

    core::JobId job1, job2;
    Named w1, w2, w3;
    core::TaskId failed_task;
    manager::Assignment held;
    std::int64_t now_ms = 0;
};

TEST_F(FarmViewTest, JobsTableShowsEachJobOnOneAlignedRow) {
    const std::string table = render_jobs_table(over_the_wire(farm->list_jobs()), now_ms);
    auto lines = lines_of(table);
    ASSERT_EQ(lines.size(), 3u) << table;
    EXPECT_EQ(words_of(lines[0]),
              (std::vector<std::string>{"ID", "NAME", "STATUS", "PRIO", "DONE", "FAILED", "AGE"}));
    EXPECT_EQ(words_of(lines[1]),
              (std::vector<std::string>{"1", "a.blend", "active", "50", "3/10", "1", "5m"}));
    // Tasks of 4 frames: the list carries task counts only, so frames done are estimated.
    EXPECT_EQ(words_of(lines[2]),
              (std::vector<std::string>{"2", "a.blend", "active", "80", "~4/10", "0", "5m"}));
    // Right-aligned columns end where their header ends.
    for (std::size_t row : {1u, 2u}) {
        EXPECT_EQ(end_of(lines[row], row == 1 ? "3/10" : "~4/10"), end_of(lines[0], "DONE"));
        EXPECT_EQ(lines[row].size(), lines[0].size()) << table;  // AGE ends each line
    }
}

TEST_F(FarmViewTest, FrameProgressIsExactWhenTheAnswerCarriesFrameCounts) {
    auto detail = farm->show_job(job2);
    ASSERT_TRUE(detail);
    FrameProgress from_list = frame_progress(over_the_wire(detail->summary));
    EXPECT_FALSE(from_list.exact);
    EXPECT_EQ(from_list.done, 4);  // one task of four frames done: ~4
    FrameProgress from_detail = frame_progress(over_the_wire(*detail));
    EXPECT_TRUE(from_detail.exact);
    EXPECT_EQ(from_detail.done, 4);
    EXPECT_EQ(from_detail.total, 10);
    EXPECT_EQ(from_detail.failed, 0);
    FrameProgress job1_list = frame_progress(over_the_wire(farm->show_job(job1)->summary));
    EXPECT_TRUE(job1_list.exact);  // one frame per task: task counts are frame counts
    EXPECT_EQ(job1_list.done, 3);
    EXPECT_EQ(job1_list.failed, 1);
}

TEST_F(FarmViewTest, JobDetailShowsFramesByStatusAndFailuresWithTheirLogTail) {
    auto detail = farm->show_job(job1);
    ASSERT_TRUE(detail);
    auto task = farm->show_task(failed_task);
    ASSERT_TRUE(task);
    const std::string t = render_job_detail(over_the_wire(*detail), {over_the_wire(*task)}, now_ms);
    EXPECT_TRUE(t.starts_with("Job 1 \"a.blend\": active, priority 50, created 5m ago (")) << t;
    EXPECT_NE(t.find("  scene     /scenes/a.blend\n"), std::string::npos) << t;
    EXPECT_NE(t.find("  frames    1-10 (10 frames, 1 per task)\n"), std::string::npos) << t;
    EXPECT_NE(t.find("  progress  3/10 frames done (30%), 1 failed\n"), std::string::npos) << t;
    EXPECT_NE(t.find("  settings  engine=CYCLES samples=4\n"), std::string::npos) << t;
    EXPECT_EQ(t.find("  cost"), std::string::npos) << "no fleet, no cost\n" << t;
    protocol::JobCost cost{.cost = {.usd = 0.25, .instance_hours = 1.5, .notes = {}},
                           .fleet_usd = 3,
                           .provider = "aws"};
    const std::string costed = render_job_detail(over_the_wire(*detail), {}, now_ms, cost);
    EXPECT_NE(costed.find("  cost      1.500 instance-hours, about $0.25 on aws\n"),
              std::string::npos)
        << costed;

    std::vector<std::vector<std::string>> by_status;
    auto lines = lines_of(t);
    auto header = std::find(lines.begin(), lines.end(), "Frames by status:");
    ASSERT_NE(header, lines.end()) << t;
    for (auto it = header + 2; it != lines.end() && !it->empty(); ++it) {
        by_status.push_back(words_of(*it));
    }
    EXPECT_EQ(by_status, (std::vector<std::vector<std::string>>{{"completed", "3", "1-3"},
                                                                {"active", "1", "5"},
                                                                {"queued", "5", "6-10"},
                                                                {"failed", "1", "4"}}))
        << t;

    EXPECT_NE(t.find("  task " + failed_task.to_string() +
                     ", frames 4: failed, failed on workers 1, 2, 3\n"
                     "    worker 3: Blender crashed on w3\n"),
              std::string::npos)
        << t;
    // The last 10 lines of the log of the last failed attempt.
    EXPECT_NE(t.find("      | w3 line 15\n"), std::string::npos) << t;
    EXPECT_NE(t.find("      | w3 line 6\n"), std::string::npos) << t;
    EXPECT_EQ(t.find("w3 line 5\n"), std::string::npos) << t;
    EXPECT_EQ(t.find("w2 line"), std::string::npos) << t;
    EXPECT_NE(t.find("Failed tasks per worker: worker 1: 1, worker 2: 1, worker 3: 1"),
              std::string::npos)
        << t;
}

TEST_F(FarmViewTest, WorkersTableShowsWhatEachWorkerHolds) {
    clock.advance(std::chrono::seconds(1));
    ASSERT_TRUE(farm->heartbeat(held.task, w1.id, {}));  // w1 was seen just now
    now_ms += 1000;
    const std::string table = render_workers_table(over_the_wire(farm->list_workers()), now_ms);
    auto lines = lines_of(table);
    ASSERT_EQ(lines.size(), 4u) << table;
    EXPECT_EQ(words_of(lines[0]), (std::vector<std::string>{"ID", "NAME", "HOST", "STATUS", "TASK",
                                                            "CORES", "LAST", "SEEN"}));
    EXPECT_EQ(words_of(lines[1]),
              (std::vector<std::string>{"1", "w1", "host", "online", held.task.to_string(), "4",
                                        "0s", "ago"}));
    EXPECT_EQ(words_of(lines[2]),
              (std::vector<std::string>{"2", "w2", "host", "online", "-", "4", "5m", "ago"}));
    EXPECT_EQ(end_of(lines[1], "ago"), end_of(lines[0], "SEEN"));
}

TEST(FarmViews, EmptyListsSayWhatToDo) {
    EXPECT_NE(render_jobs_table({}, 0).find("spotfarm submit"), std::string::npos);
    EXPECT_NE(render_workers_table({}, 0).find("spotfarm worker --manager"), std::string::npos);
}

TEST(FarmViews, ListAnswersAreReadAsTheirWireStruct) {
    auto jobs = list_table(&render_jobs_table);
    auto empty = jobs(json{{"jobs", json::array()}}, 0);
    ASSERT_TRUE(empty) << empty.error().message;
    EXPECT_NE(empty->find("No jobs."), std::string::npos);
    // A bare list or a list of the wrong records is not what the manager sends.
    auto bare = jobs(json::array(), 0);
    ASSERT_FALSE(bare);
    EXPECT_NE(bare.error().message.find("JobList"), std::string::npos) << bare.error().message;
    auto workers = list_table(&render_workers_table);
    auto wrong = workers(json{{"workers", json::array({{{"id", 1}}})}}, 0);
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().message.find("workers[0]: field 'name' is missing"), std::string::npos)
        << wrong.error().message;
}

}  // namespace
}  // namespace spotfarm::cli

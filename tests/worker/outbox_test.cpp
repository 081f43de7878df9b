#include "worker/outbox.h"

#include "util/atomic_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::worker {
namespace {

namespace fs = std::filesystem;

class OutboxTest : public ::testing::Test {
protected:
    std::vector<fs::path> reports_on_disk() {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().extension() == ".json") files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        return files;
    }
    test::ScratchDir scratch;
    const fs::path dir = scratch / "outbox";
};

protocol::CompleteReport complete(int frame) {
    return protocol::CompleteReport{
        3, 40 + frame, {{frame, "/out/" + std::to_string(frame), 2.5, 100, {"w"}}}};
}

TEST_F(OutboxTest, ReportsOutliveTheProcessAndComeBackInOrder) {
    {
        auto outbox = Outbox::open(dir);
        ASSERT_TRUE(outbox) << outbox.error().message;
        ASSERT_TRUE((*outbox)->add(7, complete(1)));
        ASSERT_TRUE((*outbox)->add(8, protocol::FailReport{3, 50, "boom", "tail", {}}));
        ASSERT_TRUE((*outbox)->add(
            9, protocol::ReleaseReport{3, 60, protocol::LeaveReason::rebalance, {}}));
        EXPECT_EQ(reports_on_disk().size(), 3u);
    }
    auto outbox = Outbox::open(dir);
    ASSERT_TRUE(outbox) << outbox.error().message;
    const auto& pending = (*outbox)->pending();
    ASSERT_EQ(pending.size(), 3u);
    EXPECT_EQ(pending[0].task_id, 7);
    EXPECT_EQ(report_kind(pending[0].report), "complete");
    const auto& first = std::get<protocol::CompleteReport>(pending[0].report);
    EXPECT_EQ(first.attempt_id, 41);
    EXPECT_EQ(first.frames.at(0).render_seconds, 2.5);
    EXPECT_EQ(first.frames.at(0).warnings, std::vector<std::string>{"w"});
    EXPECT_EQ(std::get<protocol::FailReport>(pending[1].report).log_tail, "tail");
    EXPECT_EQ(std::get<protocol::ReleaseReport>(pending[2].report).reason,
              protocol::LeaveReason::rebalance);
    // New reports go after the old ones.
    ASSERT_TRUE((*outbox)->add(10, complete(2)));
    EXPECT_GT((*outbox)->pending().back().seq, pending[2].seq);
}

TEST_F(OutboxTest, DeliveredReportsAreRemovedFromDisk) {
    auto outbox = Outbox::open(dir);
    ASSERT_TRUE(outbox);
    ASSERT_TRUE((*outbox)->add(7, complete(1)));
    ASSERT_TRUE((*outbox)->add(8, complete(2)));
    ASSERT_TRUE((*outbox)->remove((*outbox)->pending().front().seq));
    EXPECT_EQ((*outbox)->pending().size(), 1u);
    ASSERT_EQ(reports_on_disk().size(), 1u);
    EXPECT_NE(reports_on_disk()[0].filename().string().find("task8"), std::string::npos);
}

TEST_F(OutboxTest, RefusedReportsAreSetAsideWithTheReason) {
    auto outbox = Outbox::open(dir);
    ASSERT_TRUE(outbox);
    ASSERT_TRUE((*outbox)->add(7, complete(1)));
    ASSERT_TRUE((*outbox)->set_aside((*outbox)->pending().front().seq, "HTTP 409: stale attempt"));
    EXPECT_TRUE((*outbox)->empty());
    EXPECT_TRUE(reports_on_disk().empty());
    auto refused = fs::directory_iterator(dir / "refused");
    ASSERT_NE(refused, fs::directory_iterator());
    std::ifstream in(refused->path());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(text.find("HTTP 409: stale attempt"), std::string::npos);
}

TEST_F(OutboxTest, OnlyOneWorkerAtATime) {
    auto first = Outbox::open(dir);
    ASSERT_TRUE(first);
    auto second = Outbox::open(dir);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().message.find("--state-dir"), std::string::npos);
}

TEST_F(OutboxTest, HalfWrittenAndUnreadableFilesDoNotStopTheWorker) {
    fs::create_directories(dir);
    const fs::path half_written =
        util::temp_path_for(dir / "00000000000000000004-complete-task1.json");
    std::ofstream(half_written) << "{\"kind\":";
    std::ofstream(dir / "00000000000000000005-complete-task2.json") << "{\"kind\":\"complete\"";
    std::ofstream(dir / "00000000000000000006-complete-task3.json")
        << R"({"kind":"complete","task_id":3,"report":{"worker_id":1,"attempt_id":2,"frames":[]}})";

    auto outbox = Outbox::open(dir);

    ASSERT_TRUE(outbox) << outbox.error().message;
    EXPECT_TRUE((*outbox)->empty());  // a complete without frames is not a report either
    EXPECT_FALSE(fs::exists(half_written));
    EXPECT_TRUE(fs::exists(dir / "refused" / "00000000000000000005-complete-task2.json"));
    EXPECT_TRUE(fs::exists(dir / "refused" / "00000000000000000006-complete-task3.json"));
    ASSERT_TRUE((*outbox)->add(4, complete(1)));
    EXPECT_EQ((*outbox)->pending().front().seq, 7u);  // never reuses a number
}

}  // namespace
}  // namespace spotfarm::worker

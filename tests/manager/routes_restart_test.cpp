// A manager started again on the same state folder keeps its jobs, its tokens and its workers.
#include <sys/stat.h>
#include <filesystem>
#include <fstream>

#include "manager/farm.h"
#include "manager/routes_fixture.h"

namespace spotfarm::manager {
namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    return text;
}

TEST_F(RoutesTest, RestartOnTheSameStateKeepsJobsTokensAndWorkers) {
    EXPECT_TRUE(manager->created_tokens());
    const std::string people_before = people();
    const std::string join_before = join();
    EXPECT_EQ(read_file(manager->people_token_path()), people_before);
    struct stat info {};
    ASSERT_EQ(::stat(manager->people_token_path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(manager->worker_join_token_path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);

    TestWorker w = register_worker("w");
    std::int64_t job = submit("1-4");
    Answer held = claim(w);
    ASSERT_EQ(held.status, 200) << held.text;
    ASSERT_EQ(complete(w, held.body).status, 200);
    const std::uint16_t old_port = manager->port();

    manager.reset();
    start();
    EXPECT_FALSE(manager->created_tokens());
    EXPECT_EQ(people(), people_before);
    EXPECT_EQ(join(), join_before);
    (void)old_port;

    // In-process callers reach the Farm on the server's thread.
    EXPECT_EQ(manager->with_farm([](Farm& farm) { return farm.list_jobs().size(); }), 1u);
    Answer jobs = get("/jobs", people_before);
    ASSERT_EQ(jobs.status, 200) << jobs.text;
    ASSERT_EQ(jobs.body["jobs"].size(), 1u);
    EXPECT_EQ(jobs.body["jobs"][0]["id"], job);
    Answer detail = get("/jobs/" + std::to_string(job), people_before);
    EXPECT_EQ(detail.body["frames_by_status"]["completed"], "1");
    // The worker's secret still works, and the job finishes without frame 1 again.
    Answer next = claim(w);
    ASSERT_EQ(next.status, 200) << next.text;
    EXPECT_EQ(next.body["frames"], "2");
    ASSERT_EQ(complete(w, next.body).status, 200);
    EXPECT_EQ(finish_all(w), 2);
    EXPECT_EQ(job_status(job), "completed");
}

}  // namespace
}  // namespace spotfarm::manager

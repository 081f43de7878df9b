// The state folder holds the tokens and the farm's database: whoever made the folder first and
// whatever the umask, only its owner may read it once a manager started on it.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "manager/manager_service.h"
#include "support/scratch_dir.h"

namespace spotfarm::manager {
namespace {

namespace fs = std::filesystem;

mode_t mode_of(const fs::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
}

// Sets the umask for one test and puts the old one back.
class Umask {
public:
    explicit Umask(mode_t mask) : m_old(::umask(mask)) {}
    ~Umask() { ::umask(m_old); }
    Umask(const Umask&) = delete;
    Umask& operator=(const Umask&) = delete;

private:
    mode_t m_old;
};

void expect_private(const fs::path& state) {
    EXPECT_EQ(mode_of(state), 0700u);
    for (const char* name : {"farm.db", "farm.db-wal", "farm.db-shm", "people.token",
                             "worker-join.token", "manager.lock"}) {
        if (!fs::exists(state / name)) continue;
        EXPECT_EQ(mode_of(state / name) & 077, 0u) << name << " is open to others";
    }
    EXPECT_EQ(mode_of(state / "farm.db"), 0600u);
}

TEST(StateFolderMode, AFolderMadeBeforeTheManagerIsClosedToOthers) {
    test::ScratchDir dir;
    const fs::path state = dir.path() / "render" / ".spotfarm";
    Umask open_umask(0);
    fs::create_directories(state);  // as a render makes its output folder: 0777 under umask 0
    ASSERT_NE(mode_of(state) & 077, 0u);
    {
        auto service = ManagerService::open({.state_dir = state, .port = 0});
        ASSERT_TRUE(service) << service.error().message;
        expect_private(state);
    }
    expect_private(state);
}

TEST(StateFolderMode, ANewFolderAndDatabaseAreClosedToOthersWhateverTheUmask) {
    test::ScratchDir dir;
    const fs::path state = dir.path() / "state";
    Umask open_umask(0);
    auto service = ManagerService::open({.state_dir = state, .port = 0});
    ASSERT_TRUE(service) << service.error().message;
    ASSERT_TRUE((*service)->start());
    expect_private(state);
}

TEST(StateFolderMode, AnOpenDatabaseFromAnEarlierVersionIsClosedToOthers) {
    test::ScratchDir dir;
    const fs::path state = dir.path() / "state";
    { ASSERT_TRUE(ManagerService::open({.state_dir = state, .port = 0})); }
    ASSERT_EQ(::chmod((state / "farm.db").c_str(), 0644), 0);
    ASSERT_EQ(::chmod(state.c_str(), 0755), 0);
    auto service = ManagerService::open({.state_dir = state, .port = 0});
    ASSERT_TRUE(service) << service.error().message;
    expect_private(state);
}

}  // namespace
}  // namespace spotfarm::manager

#pragma once
// Runs the built `spotfarm` (SPOTFARM_EXE) with exactly the environment given, nothing inherited,
// so no AWS key or profile of the machine running the tests can leak in.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace spotfarm::testing {

struct SpotfarmRun {
    int exit_code = -1;  // -1 when it did not start or a signal ended it
    std::string out;
    std::string err;
};

inline std::string read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// `spotfarm args...` with `env` ("NAME=value") as its whole environment; stdout and stderr pass
// through files in `dir`.
inline SpotfarmRun run_spotfarm(const std::vector<std::string>& args,
                                const std::vector<std::string>& env,
                                const std::filesystem::path& dir) {
    const auto out_path = dir / "stdout";
    const auto err_path = dir / "stderr";
    std::vector<std::string> argv_strings = {SPOTFARM_EXE};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<std::string> env_strings = env;
    std::vector<char*> argv, envp;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    pid_t pid = -1;
    const int error = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    SpotfarmRun run;
    if (error != 0) {
        run.err = "cannot start " + argv_strings[0];
        return run;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    run.out = read_whole(out_path);
    run.err = read_whole(err_path);
    return run;
}

// The environment of a user with these keys (for the EC2 stand-in) and nothing else.
inline std::vector<std::string> user_env(const std::filesystem::path& home, const std::string& key,
                                         const std::string& secret) {
    return {"PATH=/usr/bin:/bin",       "HOME=" + home.string(),
            "AWS_ACCESS_KEY_ID=" + key, "AWS_SECRET_ACCESS_KEY=" + secret,
            "AWS_REGION=us-east-1",     "AWS_EC2_METADATA_DISABLED=true"};
}

}  // namespace spotfarm::testing

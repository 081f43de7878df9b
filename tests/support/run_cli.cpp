#include "support/run_cli.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "util/subprocess.h"

namespace spotfarm::test {

CliRun run_cli(const std::vector<std::string>& args, std::chrono::seconds timeout,
               const std::vector<std::pair<std::string, std::string>>& env) {
    static std::atomic<int> counter{0};
    auto err_file =
        std::filesystem::temp_directory_path() /
        ("spotfarm-cli-stderr-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    // The shell only sends stderr to a file and then becomes spotfarm.
    std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>\"$CLI_STDERR\"",
                                     SPOTFARM_EXE};
    argv.insert(argv.end(), args.begin(), args.end());
    auto all_env = env;
    all_env.emplace_back("CLI_STDERR", err_file.string());
    auto run = util::run_capture(argv, timeout, all_env);
    CliRun result;
    {
        std::ifstream in(err_file);
        result.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::filesystem::remove(err_file);
    if (!run) {
        ADD_FAILURE() << "spotfarm did not finish: " << run.error().message << "\n" << result.err;
        return result;
    }
    result.out = run->output;
    if (run->status.signal == 0) result.exit_code = run->status.code;
    return result;
}

}  // namespace spotfarm::test

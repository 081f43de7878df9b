#include "providers/command_runner.h"

#include "util/subprocess.h"

namespace spotfarm::providers {

util::Result<CommandOutput> ProcessCommandRunner::run(const std::vector<std::string>& argv,
                                                      const CommandEnv& env,
                                                      std::chrono::milliseconds timeout) {
    auto ran = util::run_capture(argv, timeout, env);
    if (!ran) return ran.error();
    return CommandOutput{ran->status.code, std::move(ran->output)};
}

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string describe_command(const std::vector<std::string>& argv) {
    std::string text;
    for (const auto& arg : argv) {
        if (!text.empty()) text += ' ';
        const bool plain =
            !arg.empty() && arg.find_first_of(" \t'\"$\\|&;<>()*?[]#~%") == std::string::npos;
        text += plain ? arg : shell_quote(arg);
    }
    return text;
}

}  // namespace spotfarm::providers

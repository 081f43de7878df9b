#pragma once
// A CommandRunner that runs nothing: it records each command line (and environment) and answers
// from a script of canned outputs, matched by the program's name, in order.

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "providers/command_runner.h"

namespace spotfarm::test {

class RecordingRunner final : public providers::CommandRunner {
public:
    struct Call {
        std::vector<std::string> argv;
        providers::CommandEnv env;
    };

    // The next run of `program` answers this; with none queued it answers exit 0, no output.
    void answer(const std::string& program, int exit_code, std::string output) {
        m_answers[program].push_back({exit_code, std::move(output)});
    }
    // The next run of `program` cannot start at all.
    void refuse(const std::string& program) { m_refused[program] = true; }

    util::Result<providers::CommandOutput> run(const std::vector<std::string>& argv,
                                               const providers::CommandEnv& env,
                                               std::chrono::milliseconds) override {
        calls.push_back({argv, env});
        if (m_refused[argv.at(0)]) return util::make_error("No such file or directory");
        auto& queue = m_answers[argv.at(0)];
        if (queue.empty()) return providers::CommandOutput{0, ""};
        auto answer = queue.front();
        queue.pop_front();
        return answer;
    }

    // The calls of `program`, in order.
    std::vector<Call> calls_of(const std::string& program) const {
        std::vector<Call> found;
        for (const auto& call : calls)
            if (call.argv.at(0) == program) found.push_back(call);
        return found;
    }

    std::vector<Call> calls;

private:
    std::map<std::string, std::deque<providers::CommandOutput>> m_answers;
    std::map<std::string, bool> m_refused;
};

}  // namespace spotfarm::test

#pragma once
// A SessionStarter that starts nothing: each session is a record the test ends or reads.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/ssh/ssh_session.h"

namespace spotfarm::test {

class FakeSessions final : public providers::ssh::SessionStarter {
public:
    struct State {
        std::vector<std::string> argv;
        std::string first_line;        // what the remote shell printed first (its pid)
        std::optional<int> exit_code;  // set: the session ended
        bool killed = false;
    };

    util::Result<std::unique_ptr<providers::ssh::Session>> start(
        const std::vector<std::string>& argv, const providers::CommandEnv&,
        const std::string&) override {
        auto state = std::make_shared<State>();
        state->argv = argv;
        state->first_line = next_first_line;
        started.push_back(state);
        return std::unique_ptr<providers::ssh::Session>(new FakeSession(state));
    }

    std::string next_first_line = "4242";
    std::vector<std::shared_ptr<State>> started;

private:
    class FakeSession final : public providers::ssh::Session {
    public:
        explicit FakeSession(std::shared_ptr<State> state) : m_state(std::move(state)) {}
        std::optional<int> poll() override { return m_state->exit_code; }
        std::string first_line() override { return m_state->first_line; }
        void kill() override {
            m_state->killed = true;
            if (!m_state->exit_code) m_state->exit_code = -1;
        }

    private:
        std::shared_ptr<State> m_state;
    };
};

}  // namespace spotfarm::test

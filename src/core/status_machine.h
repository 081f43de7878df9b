#pragma once
// Shared shape of the job and task state machines: each named transition lists the statuses it may
// leave and the one it enters.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/enum_names.h"
#include "core/errors.h"
#include "util/result.h"

namespace spotfarm::core::detail {

template <class Status>
struct TransitionRule {
    std::string_view name;
    std::uint32_t from_mask = 0;
    Status to{};
};

template <class Status>
constexpr std::uint32_t mask_of(std::initializer_list<Status> statuses) {
    std::uint32_t mask = 0;
    for (Status s : statuses) mask |= 1u << static_cast<unsigned>(s);
    return mask;
}

// Status and Transition are enums numbered from 0; `rules` is indexed by Transition.
template <class Status, class Transition, std::size_t StatusCount, std::size_t TransitionCount>
struct StatusMachine {
    std::string_view noun;  // "job" or "task", for messages
    EnumNames<Status, StatusCount> statuses;
    std::array<TransitionRule<Status>, TransitionCount> rules;

    std::string_view name(Status s) const { return statuses.name(s); }
    std::string_view name(Transition t) const { return rule(t).name; }
    std::optional<Status> parse(std::string_view text) const { return statuses.parse(text); }

    bool allowed(Status from, Transition t) const {
        return (rule(t).from_mask >> static_cast<unsigned>(from)) & 1u;
    }

    util::Result<Status> apply(Status from, Transition t) const {
        if (allowed(from, t)) return rule(t).to;
        return conflict("cannot " + std::string(rule(t).name) + " a " + std::string(noun) +
                        " that is " + std::string(name(from)));
    }

private:
    const TransitionRule<Status>& rule(Transition t) const {
        return rules[static_cast<std::size_t>(t)];
    }
};

}  // namespace spotfarm::core::detail

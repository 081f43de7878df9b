#include "core/attempt.h"

#include "core/enum_names.h"

namespace spotfarm::core {
namespace {

constexpr detail::EnumNames<AttemptOutcome, 7> k_outcomes{
    {"running", "completed", "failed", "lease_expired", "released", "stopped", "superseded"}};

}  // namespace

std::string_view to_string(AttemptOutcome outcome) {
    return k_outcomes.name(outcome);
}

std::optional<AttemptOutcome> parse_attempt_outcome(std::string_view text) {
    return k_outcomes.parse(text);
}

}  // namespace spotfarm::core

#pragma once
// The kinds of error the domain returns, carried in util::Error::code so callers can tell them
// apart: the HTTP layer maps them to statuses, a command uses them as its exit code.

#include <string>

#include "util/result.h"

namespace spotfarm::core {

inline constexpr int k_error_invalid = 2;    // the input breaks a rule (400)
inline constexpr int k_error_not_found = 4;  // no such job, task or worker (404)
inline constexpr int k_error_conflict = 5;   // the record's state refuses the move (409)

inline util::Error invalid(std::string message) {
    return util::make_error(std::move(message), k_error_invalid);
}
inline util::Error not_found(std::string message) {
    return util::make_error(std::move(message), k_error_not_found);
}
inline util::Error conflict(std::string message) {
    return util::make_error(std::move(message), k_error_conflict);
}

}  // namespace spotfarm::core

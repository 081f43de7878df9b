#pragma once
// The kinds of error the domain returns, as util::ErrorKind values: the HTTP layer maps them to
// statuses, a command to its exit code.

#include <string>

#include "util/result.h"

namespace spotfarm::core {

inline util::Error invalid(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}
inline util::Error not_found(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::not_found);
}
inline util::Error conflict(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::conflict);
}

}  // namespace spotfarm::core

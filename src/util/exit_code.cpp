#include "util/exit_code.h"

namespace spotfarm::util {

int exit_code(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid:
        case ErrorKind::not_found:
        case ErrorKind::unauthorized:  // a token to fix, like a flag
            return k_exit_usage;
        case ErrorKind::unavailable:
            return k_exit_unavailable;
        case ErrorKind::interrupted:
            return k_exit_interrupted;
        case ErrorKind::failed:
        case ErrorKind::conflict:
        case ErrorKind::storage:
            return k_exit_failure;
    }
    return k_exit_failure;
}

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::failed:
            return "failed";
        case ErrorKind::invalid:
            return "invalid";
        case ErrorKind::not_found:
            return "not_found";
        case ErrorKind::conflict:
            return "conflict";
        case ErrorKind::unavailable:
            return "unavailable";
        case ErrorKind::unauthorized:
            return "unauthorized";
        case ErrorKind::storage:
            return "storage";
        case ErrorKind::interrupted:
            return "interrupted";
    }
    return "failed";
}

}  // namespace spotfarm::util

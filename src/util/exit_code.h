#pragma once
// Exit codes of every spotfarm command, and the one mapping from an error's kind to them.

#include "util/result.h"

namespace spotfarm::util {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;      // the work failed (a frame did not render, ...)
inline constexpr int k_exit_usage = 2;        // bad arguments or input
inline constexpr int k_exit_unavailable = 3;  // a needed program or service is missing/unreachable
inline constexpr int k_exit_interrupted = 130;

// The exit code of a command that ends with an error of this kind.
int exit_code(ErrorKind kind);

}  // namespace spotfarm::util

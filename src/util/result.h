#pragma once
// Result<T>: a value or an Error, for every fallible function in the library (std::expected is
// C++23). Exceptions are only thrown across one boundary per process (main, an HTTP handler).

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace spotfarm::util {

// What kind of failure an Error is, so callers can tell them apart without reading the text.
// util/exit_code.h maps a kind to a command's exit code, the manager's routes to an HTTP status;
// there are no other error numbers in the tree.
enum class ErrorKind {
    failed,        // the work itself failed (a frame did not render, a call went wrong)
    invalid,       // the input breaks a rule: bad flags, a malformed request, a broken scene
    not_found,     // no such job, task, worker or file
    conflict,      // the record's state refuses the move (a finished job cannot be paused)
    unavailable,   // a needed program or service is missing or out of reach: try again later
    unauthorized,  // the token is wrong or revoked
    storage,       // the state database or the disk failed
    interrupted,   // a signal asked us to stop
};

std::string_view to_string(ErrorKind kind);

// A failure a person can read: what went wrong and, where known, what to do about it.
struct Error {
    std::string message;
    ErrorKind kind = ErrorKind::failed;
};

inline Error make_error(std::string message, ErrorKind kind = ErrorKind::failed) {
    return Error{std::move(message), kind};
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_v); }

    T value_or(T fallback) const { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

using Status = Result<void>;

}  // namespace spotfarm::util

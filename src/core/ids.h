#pragma once
// Identifiers of the farm's records. Each kind is its own type so a task id is never passed where a
// job id is expected; the value is the row id in the store, assigned by the scheduler.

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace spotfarm::core {

template <class Tag>
struct Id {
    std::int64_t value = 0;

    constexpr Id() = default;
    constexpr explicit Id(std::int64_t v) : value(v) {}
    constexpr bool valid() const { return value > 0; }
    friend constexpr auto operator<=>(Id, Id) = default;
    std::string to_string() const { return std::to_string(value); }
};

using JobId = Id<struct JobTag>;
using TaskId = Id<struct TaskTag>;
using WorkerId = Id<struct WorkerTag>;
using AttemptId = Id<struct AttemptTag>;
using EventId = Id<struct EventTag>;

}  // namespace spotfarm::core

template <class Tag>
struct std::hash<spotfarm::core::Id<Tag>> {
    std::size_t operator()(spotfarm::core::Id<Tag> id) const noexcept {
        return std::hash<std::int64_t>{}(id.value);
    }
};

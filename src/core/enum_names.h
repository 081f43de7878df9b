#pragma once
// Names of an enum numbered from 0, both ways: for records, JSON and messages.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace spotfarm::core::detail {

template <class Enum, std::size_t N>
struct EnumNames {
    std::array<std::string_view, N> names;

    std::string_view name(Enum value) const { return names[static_cast<std::size_t>(value)]; }

    std::optional<Enum> parse(std::string_view text) const {
        for (std::size_t i = 0; i < N; ++i) {
            if (names[i] == text) return static_cast<Enum>(i);
        }
        return std::nullopt;
    }
};

}  // namespace spotfarm::core::detail

#pragma once
// Shorthands for the tests of the manager's summaries: a struct through JSON text and back, and
// the message of a document that does not read.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "protocol/protocol.h"

namespace spotfarm::protocol::testing {

// `value` written with to_json, sent as text and read back with from_json.
template <class T>
T round_trip(const T& value) {
    auto back = from_json<T>(nlohmann::json::parse(to_json(value).dump()));
    EXPECT_TRUE(back) << back.error().message;
    return back ? *back : T{};
}

// The error reading `text` as T; a test failure when it reads.
template <class T>
std::string error_of(std::string_view text) {
    auto read = from_json<T>(nlohmann::json::parse(text));
    EXPECT_FALSE(read) << "accepted: " << text;
    return read ? std::string() : read.error().message;
}

}  // namespace spotfarm::protocol::testing

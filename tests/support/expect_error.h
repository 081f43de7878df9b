#pragma once
// Checks that a Result failed with a message that says `text`.

#include <string_view>

#include <gtest/gtest.h>

#include "util/result.h"

namespace spotfarm::testing {

template <class T>
::testing::AssertionResult fails_mentioning(const util::Result<T>& result, std::string_view text) {
    if (result.ok()) return ::testing::AssertionFailure() << "succeeded, expected an error";
    if (result.error().message.find(text) == std::string::npos)
        return ::testing::AssertionFailure()
               << "error '" << result.error().message << "' does not mention '" << text << "'";
    return ::testing::AssertionSuccess();
}

}  // namespace spotfarm::testing

#pragma once
// The Range header of a GET of a blob or a frame (one range of bytes, RFC 9110), and the answer
// that serves it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "manager/http/response.h"

namespace spotfarm::manager::routes {

// What a request asks of a file of `size` bytes.
struct RangeAsk {
    bool partial = false;     // a Range was given and understood: answer 206
    bool satisfiable = true;  // false: 416, the range starts past the end
    std::int64_t from = 0;    // first byte to send
    std::int64_t length = 0;  // bytes to send
};

// Reads `header` (absent, "bytes=A-B", "bytes=A-" or "bytes=-N"). A header in another form, or
// with several ranges, is ignored (the whole file), as RFC 9110 allows.
RangeAsk ask_range(std::optional<std::string_view> header, std::int64_t size);

// The answer carrying `bytes` as `ask` wanted them: 200, 206 with Content-Range, or 416.
http::Response ranged_answer(const RangeAsk& ask, std::int64_t size, std::string bytes);

}  // namespace spotfarm::manager::routes

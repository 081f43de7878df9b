#include "manager/routes/byte_range.h"

#include <algorithm>
#include <charconv>

namespace spotfarm::manager::routes {
namespace {

std::optional<std::int64_t> number(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

RangeAsk ask_range(std::optional<std::string_view> header, std::int64_t size) {
    RangeAsk whole{.partial = false, .satisfiable = true, .from = 0, .length = size};
    if (!header) return whole;
    std::string_view text = *header;
    constexpr std::string_view k_unit = "bytes=";
    if (!text.starts_with(k_unit)) return whole;
    text.remove_prefix(k_unit.size());
    const std::size_t dash = text.find('-');
    if (dash == std::string_view::npos || text.find(',') != std::string_view::npos) return whole;
    const std::string_view first = text.substr(0, dash);
    const std::string_view last = text.substr(dash + 1);
    RangeAsk ask{.partial = true};
    if (first.empty()) {  // the last N bytes
        auto n = number(last);
        if (!n) return whole;
        if (*n == 0) return RangeAsk{.partial = true, .satisfiable = false};
        ask.from = std::max<std::int64_t>(0, size - *n);
        ask.length = size - ask.from;
        ask.satisfiable = size > 0;
        return ask;
    }
    auto from = number(first);
    if (!from) return whole;
    std::int64_t to = size - 1;
    if (!last.empty()) {
        auto end = number(last);
        if (!end || *end < *from) return whole;
        to = std::min(to, *end);
    }
    if (*from >= size) return RangeAsk{.partial = true, .satisfiable = false};
    ask.from = *from;
    ask.length = to - *from + 1;
    return ask;
}

http::Response ranged_answer(const RangeAsk& ask, std::int64_t size, std::string bytes) {
    if (!ask.satisfiable) {
        http::Response refusal =
            http::error_response(416, "range_not_satisfiable",
                                 "the range starts past the end of the file, which has " +
                                     std::to_string(size) + " bytes");
        refusal.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        return refusal;
    }
    http::Response answer =
        http::Response::text(std::move(bytes), "application/octet-stream", ask.partial ? 206 : 200);
    answer.headers.emplace_back("Accept-Ranges", "bytes");
    if (ask.partial) {
        const std::int64_t last = ask.from + std::int64_t(answer.body.size()) - 1;
        answer.headers.emplace_back("Content-Range", "bytes " + std::to_string(ask.from) + "-" +
                                                         std::to_string(last) + "/" +
                                                         std::to_string(size));
    }
    return answer;
}

}  // namespace spotfarm::manager::routes

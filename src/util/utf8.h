#pragma once
// Text from outside (a child's output, a file name) made safe for JSON, which must be UTF-8:
// invalid bytes replaced, and cuts made only between characters.

#include <cstddef>
#include <string>
#include <string_view>

namespace spotfarm::util {

// `text` with each byte that is not part of a well-formed UTF-8 character replaced by U+FFFD
// (overlong forms, surrogates and code points above U+10FFFF count as ill-formed).
std::string valid_utf8(std::string_view text);

// Whether `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// The largest cut <= `pos` (and <= text.size()) that does not fall inside a character: a cut
// there leaves whole characters on both sides.
std::size_t utf8_cut_before(std::string_view text, std::size_t pos);

// The smallest cut >= `pos` that does not fall inside a character (text.size() at most).
std::size_t utf8_cut_after(std::string_view text, std::size_t pos);

}  // namespace spotfarm::util

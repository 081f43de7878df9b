#include "util/utf8.h"

namespace spotfarm::util {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0) == 0x80;
}

// The length of the well-formed character at text[i], or 0 when the byte there starts none.
std::size_t character_length(std::string_view text, std::size_t i) {
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = at(i);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80;  // the second byte's range: narrower after some leads (RFC 3629)
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // no overlong forms
        if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // no overlong forms
        if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    if (at(i + 1) < low || at(i + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (!is_continuation(at(i + k))) return 0;
    }
    return length;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = character_length(text, i);
        if (length == 0) {
            out += k_replacement;
            ++i;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = character_length(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

std::size_t utf8_cut_before(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return text.size();
    // A character is at most 4 bytes: look back no further than 3 continuation bytes, so a
    // run of stray continuation bytes is cut anywhere rather than searched to its start.
    std::size_t cut = pos;
    while (cut > 0 && pos - cut < 3 && is_continuation(static_cast<unsigned char>(text[cut]))) {
        --cut;
    }
    if (cut == pos) return pos;
    // text[cut] starts the character that `pos` falls into only if that character spans `pos`.
    const std::size_t length = character_length(text, cut);
    return length > 0 && cut + length > pos ? cut : pos;
}

std::size_t utf8_cut_after(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return text.size();
    const std::size_t start = utf8_cut_before(text, pos);
    if (start == pos) return pos;
    return start + character_length(text, start);
}

}  // namespace spotfarm::util

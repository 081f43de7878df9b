#include "util/line_buffer.h"

#include "util/utf8.h"

namespace spotfarm::util {

namespace {
void push_line(std::string line, std::vector<std::string>& out) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
}
}  // namespace

void LineBuffer::feed(std::string_view bytes, std::vector<std::string>& out) {
    while (!bytes.empty()) {
        size_t nl = bytes.find('\n');
        std::string_view piece = nl == std::string_view::npos ? bytes : bytes.substr(0, nl);
        size_t room = m_max_line - m_partial.size();
        if (piece.size() >= room && (nl == std::string_view::npos || piece.size() > room)) {
            // Cut between characters, so each piece is still text; a cut that would leave
            // nothing (no character ends in reach) falls back to the byte limit.
            size_t take = utf8_cut_before(piece, room);
            if (take == 0) take = room;
            m_partial.append(piece.substr(0, take));
            push_line(std::move(m_partial), out);
            m_partial.clear();
            bytes.remove_prefix(take);
            continue;
        }
        m_partial.append(piece);
        if (nl == std::string_view::npos) break;
        push_line(std::move(m_partial), out);
        m_partial.clear();
        bytes.remove_prefix(nl + 1);
    }
}

void LineBuffer::flush(std::vector<std::string>& out) {
    if (m_partial.empty()) return;
    push_line(std::move(m_partial), out);
    m_partial.clear();
}

}  // namespace spotfarm::util

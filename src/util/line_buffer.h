#pragma once
// Splits a byte stream (a child's output, a pipe protocol) into lines as the bytes arrive.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spotfarm::util {

class LineBuffer {
public:
    // Lines longer than max_line are cut into pieces of at most max_line bytes, between UTF-8
    // characters, so a child that never prints a newline cannot grow memory without bound.
    explicit LineBuffer(size_t max_line = 64 * 1024) : m_max_line(max_line) {}

    // Appends the complete lines in `bytes` (without "\n" or a trailing "\r") to `out`.
    void feed(std::string_view bytes, std::vector<std::string>& out);
    // At end of stream: the unterminated rest, if any, becomes a last line.
    void flush(std::vector<std::string>& out);

private:
    std::string m_partial;
    size_t m_max_line;
};

}  // namespace spotfarm::util

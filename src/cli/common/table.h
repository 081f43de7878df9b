#pragma once
// Tables for people: a header line and rows, columns aligned on display width (UTF-8 aware),
// two spaces apart, no trailing spaces. Over-long cells are cut with "…".

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spotfarm::cli {

enum class Align { left, right };

struct Column {
    std::string header;
    Align align = Align::left;
    std::size_t max_width = 0;  // 0: no limit
};

class Table {
public:
    explicit Table(std::vector<Column> columns);

    // Missing cells are blank; cells beyond the columns are dropped.
    void add_row(std::vector<std::string> cells);
    std::size_t rows() const { return m_rows.size(); }

    // The header and every row, each line starting with `indent` and ending in '\n'.
    std::string render(std::string_view indent = "") const;

private:
    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
};

// The columns a terminal shows for `text`: UTF-8 code points, not bytes (combining and wide
// characters are not told apart).
std::size_t display_width(std::string_view text);

// `text` cut to at most `width` display columns, ending in "…" when cut.
std::string truncate_to_width(std::string_view text, std::size_t width);

}  // namespace spotfarm::cli

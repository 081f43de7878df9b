#include "cli/common/table.h"

#include <algorithm>

namespace spotfarm::cli {
namespace {

bool is_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Control characters (a newline in a job name, a terminal escape) would break the layout.
std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        out.push_back(byte < 0x20 || byte == 0x7F ? ' ' : c);
    }
    return out;
}

}  // namespace

std::size_t display_width(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(c); }));
}

std::string truncate_to_width(std::string_view text, std::size_t width) {
    if (display_width(text) <= width) return std::string(text);
    if (width == 0) return {};
    std::string out;
    std::size_t columns = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_continuation(text[i]) && ++columns == width) break;
        out.push_back(text[i]);
    }
    return out + "…";
}

Table::Table(std::vector<Column> columns) : m_columns(std::move(columns)) {}

void Table::add_row(std::vector<std::string> cells) {
    cells.resize(m_columns.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        cells[i] = printable(cells[i]);
        if (m_columns[i].max_width > 0) {
            cells[i] = truncate_to_width(cells[i], m_columns[i].max_width);
        }
    }
    m_rows.push_back(std::move(cells));
}

std::string Table::render(std::string_view indent) const {
    std::vector<std::size_t> widths;
    for (const Column& column : m_columns) widths.push_back(display_width(column.header));
    for (const auto& row : m_rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], display_width(row[i]));
        }
    }
    auto line = [&](const auto& cell_of) {
        std::string out(indent);
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
            std::string_view cell = cell_of(i);
            std::string pad(widths[i] - display_width(cell), ' ');
            if (i > 0) out += "  ";
            out += m_columns[i].align == Align::right ? pad + std::string(cell)
                                                      : std::string(cell) + pad;
        }
        while (out.size() > indent.size() && out.back() == ' ') out.pop_back();
        return out + "\n";
    };
    std::string out = line([&](std::size_t i) -> std::string_view { return m_columns[i].header; });
    for (const auto& row : m_rows) {
        out += line([&](std::size_t i) -> std::string_view { return row[i]; });
    }
    return out;
}

}  // namespace spotfarm::cli

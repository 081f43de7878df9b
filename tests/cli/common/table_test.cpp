#include "cli/common/table.h"

#include <gtest/gtest.h>

namespace spotfarm::cli {
namespace {

TEST(Table, AlignsColumnsLeftAndRightWithoutTrailingSpaces) {
    Table table({{"ID", Align::right}, {"NAME"}, {"DONE", Align::right}});
    table.add_row({"7", "shot010", "12/250"});
    table.add_row({"123", "a", "250/250"});
    EXPECT_EQ(table.render(),
              " ID  NAME        DONE\n"
              "  7  shot010   12/250\n"
              "123  a        250/250\n");
}

TEST(Table, LastLeftColumnLeavesNoTrailingSpaces) {
    Table table({{"A"}, {"LONG HEADER"}});
    table.add_row({"x", "y"});
    EXPECT_EQ(table.render(), "A  LONG HEADER\nx  y\n");
}

TEST(Table, WidthCountsCharactersNotBytes) {
    Table table({{"NAME"}, {"N", Align::right}});
    table.add_row({"Szene-Ü", "1"});
    table.add_row({"plain__", "2"});
    std::string out = table.render();
    EXPECT_EQ(out,
              "NAME     N\n"
              "Szene-Ü  1\n"
              "plain__  2\n");
    EXPECT_EQ(display_width("Ü日本"), 3u);
}

TEST(Table, CutsLongCellsAtTheColumnLimit) {
    Table table({{"NAME", Align::left, 6}, {"X"}});
    table.add_row({"a-very-long-name", "1"});
    EXPECT_EQ(table.render(), "NAME    X\na-ver…  1\n");
    EXPECT_EQ(truncate_to_width("日本語です", 3), "日本…");
    EXPECT_EQ(truncate_to_width("abc", 3), "abc");
}

TEST(Table, MissingCellsAreBlankAndExtraCellsDropped) {
    Table table({{"A"}, {"B"}});
    table.add_row({"1"});
    table.add_row({"2", "3", "4"});
    EXPECT_EQ(table.render(), "A  B\n1\n2  3\n");
}

TEST(Table, ControlCharactersCannotBreakTheLayout) {
    Table table({{"NAME"}, {"N"}});
    table.add_row({"two\nlines\x1b[31m", "1"});
    EXPECT_EQ(table.render(), "NAME" + std::string(12, ' ') + "N\ntwo lines [31m  1\n");
}

TEST(Table, IndentsEveryLine) {
    Table table({{"A"}, {"B", Align::right}});
    table.add_row({"x", "10"});
    EXPECT_EQ(table.render("  "), "  A   B\n  x  10\n");
}

}  // namespace
}  // namespace spotfarm::cli

#pragma once
// What the benchmarks share to print figures: medians, the machine's load, and option lists.

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "util/text_file.h"

namespace spotfarm::bench {

// The middle value (the mean of the two middle ones for an even count); 0 for none.
inline double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The 1, 5 and 15 minute load averages as /proc/loadavg gives them ("unknown" without it).
inline std::string load_average() {
    auto text = util::read_text_file("/proc/loadavg", 256);
    if (!text) return "unknown";
    std::istringstream in(*text);
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

// "a,b,c" -> {"a", "b", "c"}, empty items left out.
inline std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) items.push_back(item);
    }
    return items;
}

}  // namespace spotfarm::bench

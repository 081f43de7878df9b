#include "util/utc_time.h"

#include <cstdio>

namespace spotfarm::util {
namespace {

using namespace std::chrono;

bool read_digits(std::string_view text, size_t pos, size_t count, int& out) {
    if (pos + count > text.size()) return false;
    int value = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        value = value * 10 + (text[i] - '0');
    }
    out = value;
    return true;
}

// Formats t's UTC calendar fields with a printf pattern taking year, month, day, h, m, s.
std::string format_fields(system_clock::time_point t, const char* pattern) {
    const auto secs = floor<seconds>(t);
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss hms{secs - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, pattern, int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                  int(hms.seconds().count()));
    return buf;
}

}  // namespace

Result<system_clock::time_point> parse_iso8601_utc(std::string_view text) {
    auto bad = [&] {
        return make_error("not an ISO 8601 UTC time: '" + std::string(text) +
                          "' (expected e.g. 2026-01-31T12:00:00Z)");
    };
    int y, mo, d, h, mi, s;
    if (!read_digits(text, 0, 4, y) || text.size() < 19 || text[4] != '-' ||
        !read_digits(text, 5, 2, mo) || text[7] != '-' || !read_digits(text, 8, 2, d) ||
        (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !read_digits(text, 11, 2, h) ||
        text[13] != ':' || !read_digits(text, 14, 2, mi) || text[16] != ':' ||
        !read_digits(text, 17, 2, s))
        return bad();
    size_t pos = 19;
    milliseconds fraction{0};
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int scale = 100, ms = 0;
        size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ms += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) return bad();
        fraction = milliseconds(ms);
    }
    const std::string_view zone = text.substr(pos);
    if (zone != "Z" && zone != "z" && zone != "+00:00") return bad();
    const year_month_day ymd{year(y), month(unsigned(mo)), day(unsigned(d))};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return bad();
    return system_clock::time_point(sys_days(ymd)) + hours(h) + minutes(mi) + seconds(s) + fraction;
}

std::string format_iso8601_utc(system_clock::time_point t) {
    return format_fields(t, "%04d-%02u-%02uT%02d:%02d:%02dZ");
}

std::string format_compact_utc(system_clock::time_point t) {
    return format_fields(t, "%04d%02u%02uT%02d%02d%02dZ");
}

}  // namespace spotfarm::util

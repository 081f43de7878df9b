#include "providers/aws/ini.h"

#include "util/ascii.h"

namespace spotfarm::providers::aws {

util::Result<IniFile> parse_ini(std::string_view text, std::string_view origin) {
    IniFile file;
    IniSection* section = nullptr;
    int line_number = 0;
    while (!text.empty()) {
        const size_t end = text.find('\n');
        const std::string_view raw = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++line_number;
        const std::string_view line = util::trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        auto bad = [&](std::string_view why) {
            return util::make_error(std::string(origin) + " line " + std::to_string(line_number) +
                                    ": " + std::string(why) + ": '" + std::string(line) + "'");
        };
        if (raw[0] == ' ' || raw[0] == '\t') {
            // A nested setting ("s3 =" followed by indented lines); nothing spotfarm reads.
            if (section == nullptr) return bad("indented line outside a section");
            continue;
        }
        if (line.front() == '[') {
            if (line.back() != ']') return bad("a section header must end with ']'");
            section = &file[std::string(util::trim(line.substr(1, line.size() - 2)))];
            continue;
        }
        const size_t equals = line.find('=');
        if (equals == std::string_view::npos) return bad("expected 'key = value'");
        if (section == nullptr) return bad("setting before the first [section]");
        const std::string_view key = util::trim(line.substr(0, equals));
        if (key.empty()) return bad("missing key before '='");
        (*section)[std::string(key)] = std::string(util::trim(line.substr(equals + 1)));
    }
    return file;
}

}  // namespace spotfarm::providers::aws

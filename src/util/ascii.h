#pragma once
// ASCII text as protocols and file formats write it (HTTP headers, INI files, Blender's log,
// option values), independent of the C locale.

#include <string>
#include <string_view>

namespace spotfarm::util {

// `text` without the white space (space, \t, \n, \v, \f, \r) at either end.
std::string_view trim(std::string_view text);

// Whether `a` and `b` are equal when ASCII letters are compared without case.
bool iequals(std::string_view a, std::string_view b);

// `text` with its ASCII letters in lower or upper case; other bytes (UTF-8 included) unchanged.
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);

}  // namespace spotfarm::util

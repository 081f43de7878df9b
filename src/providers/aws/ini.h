#pragma once
// The INI dialect of ~/.aws/credentials and ~/.aws/config: [section] lines, "key = value" lines,
// '#' and ';' comment lines, and indented sub-settings (kept out of the result).

#include <map>
#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::providers::aws {

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection>;  // by section name, as written inside []

// `origin` names the file in error messages.
util::Result<IniFile> parse_ini(std::string_view text, std::string_view origin);

}  // namespace spotfarm::providers::aws

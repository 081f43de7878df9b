#include "cli/common/listen_address.h"

#include <exception>

namespace spotfarm::cli {

bool split_listen(const std::string& text, std::string& address, std::uint16_t& port) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon + 1 == text.size()) return false;
    address = text.substr(0, colon);
    if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
        address = address.substr(1, address.size() - 2);
    }
    try {
        std::size_t used = 0;
        unsigned long value = std::stoul(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1 || value > 65535) return false;
        port = static_cast<std::uint16_t>(value);
    } catch (const std::exception&) {
        return false;
    }
    return !address.empty();
}

}  // namespace spotfarm::cli

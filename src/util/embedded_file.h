#pragma once
// A file compiled into the binary (spotfarm_embed_folder in CMakeLists.txt).

#include <cstddef>
#include <string_view>

namespace spotfarm::util {

struct EmbeddedFile {
    std::string_view path;  // "/index.html": relative to the folder, with a leading slash
    std::string_view content;
};

}  // namespace spotfarm::util

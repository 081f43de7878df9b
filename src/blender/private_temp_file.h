#pragma once
// Files Blender must read that nobody else may swap while it runs: the driver script and the
// path remap table, each written once to a fresh random name in the temp folder, mode 0600.

#include <string>
#include <string_view>

#include "util/atomic_file.h"
#include "util/result.h"

namespace spotfarm::blender {

// Writes `content` to TMPDIR/spotfarm-<stem>-XXXXXX<suffix>; the file goes when the result does.
// `what` names the file in the error ("Blender's driver script").
util::Result<util::TempFile> write_private_temp_file(std::string_view stem, std::string_view suffix,
                                                     std::string_view content,
                                                     const std::string& what);

}  // namespace spotfarm::blender

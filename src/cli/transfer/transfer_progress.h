#pragma once
// The upload's progress on a terminal: one line redrawn in place at most ten times a second
// (bytes sent of the total, rate); nothing when the output is not a terminal.

#include <chrono>
#include <cstdio>

#include "cli/transfer/uploader.h"

namespace spotfarm::cli {

class TransferProgress {
public:
    TransferProgress(std::FILE* out, bool terminal);

    void update(const UploadProgress& progress);
    // Clears the line before the summary is printed.
    void finish();

private:
    std::FILE* m_out;
    bool m_terminal;
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_last_draw{};
};

}  // namespace spotfarm::cli

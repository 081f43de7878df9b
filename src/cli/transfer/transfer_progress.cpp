#include "cli/transfer/transfer_progress.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "cli/transfer/byte_text.h"

namespace spotfarm::cli {

TransferProgress::TransferProgress(std::FILE* out, bool terminal)
    : m_out(out), m_terminal(terminal) {}

void TransferProgress::update(const UploadProgress& p) {
    if (!m_terminal) return;
    const auto now = std::chrono::steady_clock::now();
    const bool last = p.bytes_done >= p.bytes_total;
    if (!last && now - m_last_draw < std::chrono::milliseconds(100)) return;
    m_last_draw = now;
    constexpr int k_width = 30;
    const double share =
        p.bytes_total > 0 ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total)
                          : 1.0;
    const int filled = std::clamp(static_cast<int>(share * k_width), 0, k_width);
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    const std::string line =
        fmt::format("\r  uploading [{}{}] {:3.0f}%  {} of {}  {}", std::string(filled, '#'),
                    std::string(k_width - filled, '.'), share * 100, byte_text(p.bytes_done),
                    byte_text(p.bytes_total), rate_text(p.bytes_done, seconds));
    std::fputs(line.c_str(), m_out);
    std::fputs("\x1b[K", m_out);  // clear what a longer line left
    std::fflush(m_out);
    m_shown = true;
}

void TransferProgress::finish() {
    if (!m_shown) return;
    std::fputs("\r\x1b[K", m_out);
    std::fflush(m_out);
    m_shown = false;
}

}  // namespace spotfarm::cli
